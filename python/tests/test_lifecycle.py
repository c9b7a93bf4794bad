"""Sessions end on every exit path: exceptions, cancellation, Ctrl-C, interpreter exit."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest

import enigma
from enigma.testing import Simulator

from _util import run_python, spawn

pytestmark = pytest.mark.enigma_simulator(inline_wait=0.5)


async def test_async_with_terminates_on_exception(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    with pytest.raises(ZeroDivisionError):
        async with await aclient.start_session() as session:
            await session.new_task("Long #sim duration=1000")
            1 / 0
    assert sim.stat("sessions.open") == 0
    assert sim.stat("requests.byMessage.state:terminate") == 1


async def test_async_with_terminates_on_cancellation(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    started = asyncio.Event()

    async def body() -> None:
        async with await aclient.start_session() as session:
            task = await session.new_task("Long #sim duration=1000")
            started.set()
            await task.result()

    job = asyncio.create_task(body())
    await asyncio.wait_for(started.wait(), 10)
    await asyncio.sleep(0.05)
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    assert sim.stat("sessions.open") == 0


async def test_terminate_survives_a_second_cancellation(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    entered = asyncio.Event()

    async def body() -> None:
        async with await aclient.start_session():
            entered.set()
            await asyncio.sleep(100)

    job = asyncio.create_task(body())
    await asyncio.wait_for(entered.wait(), 10)
    job.cancel()
    await asyncio.sleep(0)  # now inside __aexit__, awaiting the terminate
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    for _ in range(200):  # the detached terminate finishes in Rust
        if sim.stat("sessions.open") == 0:
            break
        await asyncio.sleep(0.01)
    assert sim.stat("sessions.open") == 0


async def test_cancelling_a_wait_cancels_the_rust_future(sim: Simulator) -> None:
    aclient = sim.async_client(live_events=False, poll_interval=0.01)  # REST only: the wait polls, visibly
    async with await aclient.start_session() as session:
        task = await session.new_task("Long #sim duration=1000")
        waiter = asyncio.create_task(task.result())
        await asyncio.sleep(0.2)
        assert sim.stat("requests.byEndpoint.GET /task") > 0
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        await asyncio.sleep(0.05)
        polls = sim.stat("requests.byEndpoint.GET /task")
        await asyncio.sleep(0.3)
        assert sim.stat("requests.byEndpoint.GET /task") == polls  # nothing keeps polling


async def test_wait_for_timeout_cancels_too(sim: Simulator) -> None:
    aclient = sim.async_client(live_events=False, poll_interval=0.01)
    async with await aclient.start_session() as session:
        task = await session.new_task("Long #sim duration=1000")
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(task.result(), 0.1)
        await asyncio.sleep(0.05)
        polls = sim.stat("requests.byEndpoint.GET /task")
        await asyncio.sleep(0.2)
        assert sim.stat("requests.byEndpoint.GET /task") == polls


def test_sync_with_terminates_on_exception(sim: Simulator, client: enigma.Client) -> None:
    with pytest.raises(RuntimeError):
        with client.start_session() as session:
            session.new_task("Long #sim duration=1000")
            raise RuntimeError("boom")
    assert sim.stat("sessions.open") == 0


SIGINT_SYNC = """
    import sys, time, enigma
    client = enigma.Client(poll_interval=0.01)
    try:
        with client.start_session() as session:
            task = session.new_task("Long #sim duration=80000")
            print("waiting", flush=True)
            task.result()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    sys.exit(3)
"""

SIGINT_ASYNC = """
    import asyncio, sys, enigma
    async def main():
        async with enigma.AsyncClient(poll_interval=0.01) as client:
            async with await client.start_session() as session:
                task = await session.new_task("Long #sim duration=80000")
                print("waiting", flush=True)
                await task.result()
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    sys.exit(3)
"""

SIGINT_EVENTS = """
    import sys, enigma
    client = enigma.Client(poll_interval=0.01)
    try:
        with client.start_session() as session:
            for event in session.events():
                if event.type == "connected":
                    print("waiting", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(0)
    sys.exit(3)
"""


@pytest.mark.parametrize("script", [SIGINT_SYNC, SIGINT_ASYNC, SIGINT_EVENTS], ids=["sync", "async", "sync-events"])
def test_ctrl_c_interrupts_a_wait_and_the_with_block_terminates(sim: Simulator, script: str) -> None:
    proc = spawn(sim, script)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "waiting"
        time.sleep(0.3)
        assert sim.stat("sessions.open") == 1
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        line = proc.stdout.readline().strip()
        elapsed = time.monotonic() - sent
        assert line == "interrupted", proc.stderr.read() if proc.stderr else ""
        assert elapsed < 1.0, elapsed
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
    assert sim.stat("sessions.open") == 0


def test_open_session_at_exit_is_named_in_a_warning(sim: Simulator) -> None:
    out = run_python(
        """
        import enigma
        s = enigma.Client().start_session()
        print(s.id, flush=True)
        """,
        env=sim.env(),
    )
    assert out.returncode == 0, out.stderr
    session_id = out.stdout.strip()
    assert "OpenSessionWarning" in out.stderr and session_id in out.stderr
    assert sim.stat("sessions.open") == 1


def test_terminate_on_exit_terminates_open_sessions(sim: Simulator) -> None:
    out = run_python(
        """
        import asyncio, enigma
        async def main():
            client = enigma.AsyncClient(terminate_on_exit=True)
            for _ in range(2):
                await client.start_session()
        asyncio.run(main())
        """,
        env=sim.env(),
    )
    assert out.returncode == 0, out.stderr
    assert "OpenSessionWarning" not in out.stderr
    assert sim.stat("sessions.total") == 2 and sim.stat("sessions.open") == 0
