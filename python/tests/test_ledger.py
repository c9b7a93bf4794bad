"""The session ledger from Python (issue 19): a session opened in a child process that was
SIGKILLed is listed by ``unended_sessions()`` and ended by ``unended_sessions(terminate=True)``.
The ledger is a file in the test's temporary directory (``ENIGMA_LEDGER``); the rest of the
suite runs on a loopback simulator, whose sessions the default ledger never records."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import enigma
from enigma.testing import Simulator

from _util import finish, spawn

CHILD = """
    import enigma
    client = enigma.Client(poll_interval=0.01)
    session = client.start_session()
    print(session.id, flush=True)
    session.new_task("Long #sim duration=80000")
    print("running", flush=True)
    import time
    time.sleep(600)
"""


def test_a_session_of_a_killed_process_is_listed_and_terminated(sim: Simulator, tmp_path: Path, monkeypatch: Any) -> None:
    ledger = tmp_path / "state" / "sessions.jsonl"
    monkeypatch.setenv("ENIGMA_LEDGER", str(ledger))
    key = sim.api_key()
    proc = spawn(sim, CHILD, {**sim.env(key), "ENIGMA_LEDGER": str(ledger)})
    assert proc.stdout is not None
    session_id = proc.stdout.readline().strip()
    assert proc.stdout.readline().strip() == "running"
    proc.send_signal(signal.SIGKILL)
    finish(proc)
    assert sim.stat("sessions.open") == 1

    with enigma.Client(api_key=key, base_url=sim.url) as client:
        assert client.ledger_path == str(ledger)
        listed = client.unended_sessions()
        assert [s.session_id for s in listed] == [session_id]
        found = listed[0]
        assert isinstance(found, enigma.UnendedSession)
        assert (found.state, found.process_alive, found.pid) == ("open", False, proc.pid)
        assert found.key_last4 == key[-4:] and key not in found.command
        assert found.opened_at <= time.time() and found.age_secs >= 0
        assert sim.stat("sessions.open") == 1, "listing ends nothing"

        ended = client.unended_sessions(terminate=True)
        assert [(s.session_id, s.state) for s in ended] == [(session_id, "terminated")]
        assert sim.stat("sessions.open") == 0
        assert client.unended_sessions() == []


async def test_the_async_client_lists_the_same(sim: Simulator, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("ENIGMA_LEDGER", str(tmp_path / "sessions.jsonl"))
    async with sim.async_client() as client:
        session = await client.start_session()
        listed = await client.unended_sessions()
        # This process runs: its open session is not ended, even when asked to.
        kept = await client.unended_sessions(terminate=True)
        assert [(s.session_id, s.state, s.process_alive) for s in listed] == [(session.id, "open", True)]
        assert [s.state for s in kept] == ["open"] and "still runs" in (kept[0].detail or "")
        await session.terminate()
        assert await client.unended_sessions() == []
