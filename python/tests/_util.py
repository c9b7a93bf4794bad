"""Helpers for the tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple

if TYPE_CHECKING:
    from enigma.testing import Simulator

REPO = Path(__file__).resolve().parents[2]


def run_python(code: str, env: Optional[Dict[str, str]] = None, timeout: float = 60) -> "subprocess.CompletedProcess[str]":
    """Runs a Python snippet in a fresh interpreter (same venv)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# What every signalled child does first: Ctrl-C raises KeyboardInterrupt and SIGTERM has its
# default, whatever the test runner's shell handed down (a background run hands SIGINT ignored).
PRELUDE = """
    import signal
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
"""


def spawn(sim: "Simulator", script: str, env: Optional[Dict[str, str]] = None) -> "subprocess.Popen[str]":
    """Starts a Python child pointed at `sim`, with the signal dispositions of PRELUDE."""
    full_env = {**os.environ, **sim.env(), **(env or {})}
    code = textwrap.dedent(PRELUDE) + textwrap.dedent(script)
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_stat(sim: "Simulator", path: str, expected: int, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while sim.stat(path) != expected:
        assert time.monotonic() < deadline, f"{path} never became {expected}: {sim.stats()}"
        time.sleep(0.01)


def finish(proc: "subprocess.Popen[str]", limit: float = 20.0) -> Tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=limit)
    finally:
        proc.kill()
    return proc.returncode, out, err


def post_raw(sim: "Simulator", path: str, body: Dict[str, Any]) -> Dict[str, Any]:
    """The raw JSON answer of ``POST path`` on the simulator, with a fresh key."""
    request = urllib.request.Request(
        sim.url + path,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {sim.api_key()}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        result: Dict[str, Any] = json.loads(answer.read())
    return result
