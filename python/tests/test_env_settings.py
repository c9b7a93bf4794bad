"""`ENIGMA_REQUEST_TIMEOUT`, `ENIGMA_MAX_RETRIES` and `ENIGMA_POLL_INTERVAL` reach both
facades: a client made without those arguments takes the core's env-or-default, not values
spelled again in Python. Each case runs in a child process whose environment sets the variable
(changing this process's environment under running threads would be a race)."""

from __future__ import annotations

import json
from typing import Dict

import pytest

from enigma.testing import Simulator

from _util import run_python

# Prints what the child's call did: "ok" or the error class, and the client's settings.
CHILD = """
import asyncio, json, enigma

FACADE, ACTION = __ARGS__

def report(outcome, client):
    print(json.dumps({"outcome": outcome, "settings": client._native.settings()}))

def call(client):
    if ACTION == "health":
        return client.health()
    return client.run_task("Slow #sim duration=150", timeout=60)

if FACADE == "sync":
    client = enigma.Client()
    try:
        call(client)
        report("ok", client)
    except enigma.EnigmaError as err:
        report(type(err).__name__, client)
else:
    async def main():
        client = enigma.AsyncClient()
        try:
            await call(client)
            report("ok", client)
        except enigma.EnigmaError as err:
            report(type(err).__name__, client)
    asyncio.run(main())
"""


def run_child(sim: Simulator, facade: str, action: str, env: Dict[str, str]) -> Dict[str, object]:
    out = run_python(CHILD.replace("__ARGS__", repr((facade, action))), env={**sim.env(), **env})
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


FACADES = pytest.mark.parametrize("facade", ["sync", "async"])


@FACADES
def test_max_retries_from_env(sim: Simulator, facade: str) -> None:
    sim.add_fault("GET /start/health", status=500, count=1)
    assert run_child(sim, facade, "health", {})["outcome"] == "ok"  # the default retries it
    sim.add_fault("GET /start/health", status=500, count=1)
    report = run_child(sim, facade, "health", {"ENIGMA_MAX_RETRIES": "0"})
    assert report["outcome"] == "ServerError"
    assert report["settings"]["max_retries"] == 0  # type: ignore[index]


@FACADES
def test_request_timeout_from_env(sim: Simulator, facade: str) -> None:
    sim.add_fault("GET /start/health", action="delay", delay_ms=3000, count=3)
    report = run_child(sim, facade, "health", {"ENIGMA_REQUEST_TIMEOUT": "0.2", "ENIGMA_MAX_RETRIES": "0"})
    assert report["outcome"] == "EnigmaConnectionError"
    assert report["settings"]["request_timeout"] == 0.2  # type: ignore[index]


@FACADES
def test_poll_interval_from_env(sim: Simulator, facade: str) -> None:
    # REST only, so the wait polls; the task runs 1.5 s wall after the 0.5 s inline wait. At
    # the default 2 s interval that is one or two polls; at 0.02 s, dozens.
    env = {"ENIGMA_POLL_INTERVAL": "0.02", "ENIGMA_LIVE_EVENTS": "0"}
    report = run_child(sim, facade, "run_task", env)
    assert report["outcome"] == "ok"
    assert report["settings"]["poll_interval"] == 0.02  # type: ignore[index]
    assert sim.stat("requests.byEndpoint.GET /task") >= 10
