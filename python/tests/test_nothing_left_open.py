"""Money safety: one-shot calls, Ctrl-C while a start's answer is on its way, SIGTERM, and
integers too large for any field.

Children that receive signals set the disposition they need themselves: a test run started in
the background (``&``, ``nohup``, CI) hands them SIGINT ignored."""

from __future__ import annotations

import signal
from typing import Dict, List, Optional

import pytest

import enigma
from enigma import _signals, errors
from enigma.testing import Simulator

from _util import finish, spawn, wait_for_stat

pytestmark = pytest.mark.enigma_simulator(inline_wait=0.5)

# --- run_task is one-shot ----------------------------------------------------------------------


def test_run_task_ending_in_a_guardrail_terminates_its_session(sim: Simulator, client: enigma.Client) -> None:
    result = client.run_task('Buy a book #sim guardrail="Which card?"')
    assert result.outcome == "guardrail" and result.question == "Which card?"
    assert sim.stat("sessions.open") == 0
    assert client.open_session_ids() == []


async def test_async_run_task_ending_in_a_guardrail_terminates_its_session(
    sim: Simulator, aclient: enigma.AsyncClient
) -> None:
    result = await aclient.run_task('Buy a book #sim guardrail="Which card?"')
    assert result.outcome == "guardrail" and result.question == "Which card?"
    assert sim.stat("sessions.open") == 0


# --- Ctrl-C while work is on its way: the exit waits for the cleanup ---------------------------

START_SYNC = """
    import sys, enigma
    client = enigma.Client()
    try:
        client.start_session()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    sys.exit(3)
"""

START_ASYNC = """
    import asyncio, sys, enigma
    async def main():
        await enigma.AsyncClient().start_session()
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    sys.exit(3)
"""

RUN_TASK_ASYNC = """
    import asyncio, sys, enigma
    async def main():
        await enigma.AsyncClient(poll_interval=0.01).run_task("Long #sim duration=80000")
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    sys.exit(3)
"""


@pytest.mark.parametrize("script", [START_SYNC, START_ASYNC], ids=["sync", "async"])
def test_ctrl_c_while_a_start_is_answered_still_terminates_the_session(sim: Simulator, script: str) -> None:
    # The answer is held long enough for the Ctrl-C to land while it is on its way.
    sim.add_fault("POST /start/start-session", action="delay", delay_ms=800)
    proc = spawn(sim, script)
    wait_for_stat(sim, "requests.byEndpoint.POST /start/start-session", 1)
    proc.send_signal(signal.SIGINT)
    code, out, err = finish(proc)
    assert (code, out.strip()) == (0, "interrupted"), err
    # No waiting here: the child's exit waited for the terminate.
    assert sim.stat("sessions.total") == 1
    assert sim.stat("sessions.open") == 0, sim.stats()


def test_ctrl_c_during_async_run_task_terminates_its_session(sim: Simulator) -> None:
    proc = spawn(sim, RUN_TASK_ASYNC)
    wait_for_stat(sim, "tasks.started", 1)
    proc.send_signal(signal.SIGINT)
    code, out, err = finish(proc)
    assert (code, out.strip()) == (0, "interrupted"), err
    assert sim.stat("sessions.open") == 0, sim.stats()


# --- SIGTERM ----------------------------------------------------------------------------------

TERM_SYNC = """
    import enigma
    with enigma.Client(poll_interval=0.01) as client:
        with client.start_session() as session:
            task = session.new_task("Long #sim duration=80000")
            print("waiting", flush=True)
            task.result()
"""

TERM_ASYNC = """
    import asyncio, enigma
    async def main():
        async with enigma.AsyncClient(poll_interval=0.01) as client:
            async with await client.start_session() as session:
                task = await session.new_task("Long #sim duration=80000")
                print("waiting", flush=True)
                await task.result()
    asyncio.run(main())
"""

TERM_RUN_TASK = """
    import enigma
    print("waiting", flush=True)
    enigma.Client(poll_interval=0.01).run_task("Long #sim duration=80000")
"""

TERM_USER_HANDLER = """
    import os, signal, sys, enigma
    def mine(signum, frame):
        # The SDK has terminated the session before calling this handler.
        print("user handler", flush=True)
        os._exit(7)
    signal.signal(signal.SIGTERM, mine)
    client = enigma.Client(poll_interval=0.01)
    with client.start_session() as session:
        task = session.new_task("Long #sim duration=80000")
        print("waiting", flush=True)
        task.result()
"""

TERM_OPTED_OUT = """
    import enigma
    client = enigma.Client(poll_interval=0.01, handle_signals=False)
    with client.start_session() as session:
        task = session.new_task("Long #sim duration=80000")
        print("waiting", flush=True)
        task.result()
"""


def sigterm(sim: Simulator, script: str, env: Optional[Dict[str, str]] = None) -> "tuple[int, List[str], str]":
    proc = spawn(sim, script, env)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "waiting"
    wait_for_stat(sim, "tasks.started", 1)
    assert sim.stat("sessions.open") == 1
    proc.send_signal(signal.SIGTERM)
    code, out, err = finish(proc)
    return code, out.splitlines(), err


@pytest.mark.parametrize("script", [TERM_SYNC, TERM_ASYNC, TERM_RUN_TASK], ids=["sync-with", "async-with", "run_task"])
def test_sigterm_terminates_the_session_then_exits_143(sim: Simulator, script: str) -> None:
    code, _, err = sigterm(sim, script)
    assert code == 143, err
    assert sim.stat("sessions.open") == 0, sim.stats()


def test_sigterm_with_a_user_handler_terminates_then_calls_it(sim: Simulator) -> None:
    code, out, err = sigterm(sim, TERM_USER_HANDLER)
    assert (code, out) == (7, ["user handler"]), err
    assert sim.stat("sessions.open") == 0, sim.stats()


@pytest.mark.parametrize(
    "script, env",
    [(TERM_OPTED_OUT, None), (TERM_SYNC, {"ENIGMA_HANDLE_SIGNALS": "0"})],
    ids=["handle_signals=False", "ENIGMA_HANDLE_SIGNALS=0"],
)
def test_sigterm_handling_is_opt_out(sim: Simulator, script: str, env: Optional[Dict[str, str]]) -> None:
    code, _, _ = sigterm(sim, script, env)
    assert code == -signal.SIGTERM  # Python's default: killed on the spot
    assert sim.stat("sessions.open") == 1


def test_the_handler_is_installed_only_while_sessions_are_open(sim: Simulator, client: enigma.Client) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with client.start_session():
        assert signal.getsignal(signal.SIGTERM) is _signals._on_sigterm
    assert signal.getsignal(signal.SIGTERM) is before
    assert client.handle_signals


# --- integers beyond 64 bits ------------------------------------------------------------------


async def test_ints_beyond_64_bits_are_validation_errors_naming_the_field(
    sim: Simulator, client: enigma.Client
) -> None:
    session = client.session("abcdefabcdef")
    cases = [
        ("max_duration", lambda: client.start_session(max_duration=2**64)),
        ("max_output_tokens", lambda: client.run_task("x", max_output_tokens=2**70)),
        ("max_input_tokens", lambda: session.new_task("x", max_input_tokens=-(2**70))),
        ("x", lambda: session.click(2**64, 200)),
        ("y", lambda: session.double_click(10, 2**100)),
        ("max_retries", lambda: enigma.AsyncClient(max_retries=2**64)),
        ("max_retries", lambda: enigma.Client(max_retries=2**32)),
    ]
    for field, call in cases:
        with pytest.raises(errors.ValidationError) as info:
            call()
        assert info.value.field == field, info.value
    with pytest.raises(errors.ValidationError) as info:
        await sim.async_client().start_task("x", max_duration=2**64)
    assert info.value.field == "max_duration"
    with pytest.raises(TypeError):
        client.start_session(max_duration="10")  # type: ignore[arg-type]
    assert sim.stat("requests.total") == 0
