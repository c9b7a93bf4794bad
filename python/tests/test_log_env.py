"""`ENIGMA_LOG=debug` is read by the core: in a Python process it prints the SDK's traffic to
stderr (requests, socket connects, classifier decisions, spans with ids) and Python's `logging`
still receives the records. The key never appears. Child processes, since the core's subscriber
is process-wide."""

from __future__ import annotations

from enigma.testing import Simulator

from _util import run_python

KEY = "enig_logsecretlogsecretlogsecret1"

CHILD = """
import logging, sys, enigma
seen = []
class Keep(logging.Handler):
    def emit(self, record):
        seen.append(record.getMessage())
logging.getLogger("enigma").addHandler(Keep())
logging.getLogger("enigma").setLevel(logging.DEBUG)
client = enigma.Client()
with client.start_session() as session:
    session.new_task("logged #sim duration=1").result(timeout=30)
print("LOGGING", len(seen), any("request" in m for m in seen))
"""


def test_enigma_log_debug_prints_to_stderr_and_still_reaches_logging(sim: Simulator) -> None:
    env = {**sim.env(), "ENIGMA_API_KEY": KEY, "ENIGMA_LOG": "debug"}
    out = run_python(CHILD, env=env)
    assert out.returncode == 0, out.stderr
    for expected in ["enigma::rest::http", "request", "socket.io: connected", "classified the task answer",
                     "new_task{session="]:
        assert expected in out.stderr, f"stderr lacks {expected!r}:\n{out.stderr[-3000:]}"
    assert KEY not in out.stderr and KEY not in out.stdout
    count, has_request = out.stdout.split()[-2:]
    assert int(count) > 0 and has_request == "True", "Python logging received the records too"


def test_without_enigma_log_stderr_stays_quiet(sim: Simulator) -> None:
    env = {**sim.env(), "ENIGMA_API_KEY": KEY}
    out = run_python(CHILD, env={**env, "ENIGMA_LOG": ""})
    assert out.returncode == 0, out.stderr
    assert "enigma::rest::http" not in out.stderr
    assert out.stdout.split()[-1] == "True", "logging is unaffected"
