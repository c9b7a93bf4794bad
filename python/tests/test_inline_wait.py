"""The service's 50 s inline wait, at its default: a task's create is answered only when the
task ends or 50 s passed, and every guard of the task acts meanwhile (issue 17).

The simulator runs at a tenth of real time with its default inline wait (50 simulated s = 5 s
of wall time); clients keep the default poll interval (2 s)."""

from __future__ import annotations

import signal
import time
from typing import Iterator

import pytest

import enigma
from enigma.testing import Simulator

from _util import spawn, wait_for_stat

INLINE_WAIT_WALL = 5.0


@pytest.fixture
def slow_sim() -> Iterator[Simulator]:
    with Simulator(time_scale=0.1, rate_limit=0) as sim:
        yield sim


@pytest.fixture
def slow_client(slow_sim: Simulator) -> Iterator[enigma.Client]:
    # Every timing at its default: the 2 s poll interval included.
    with enigma.Client(base_url=slow_sim.url, api_key=slow_sim.api_key()) as c:
        yield c


def test_run_task_max_cost_stops_during_the_inline_wait(slow_sim: Simulator, slow_client: enigma.Client) -> None:
    started = time.monotonic()
    with pytest.raises(enigma.CostLimitExceeded) as caught:
        # 1 USD over 400 simulated s: 0.025 USD a wall second; the 0.05 ceiling is passed at 2 s.
        slow_client.run_task("Research laptops #sim duration=400 cost=1.0", max_cost=0.05)
    took = time.monotonic() - started
    assert took < INLINE_WAIT_WALL, f"stopped after {took:.1f} s, before the inline answer"
    cost = caught.value.usage.cost
    # The bound: the ceiling plus one poll interval's spend (2 s x 0.025 USD), plus slack.
    assert cost is not None and 0.05 < cost <= 0.11, cost
    assert slow_sim.stat("requests.byMessage.state:stop") >= 1
    slow_client.terminate_open_sessions()
    wait_for_stat(slow_sim, "sessions.open", 0)


def test_new_task_then_result_max_cost_stops_during_the_inline_wait(
    slow_sim: Simulator, slow_client: enigma.Client
) -> None:
    with slow_client.start_session() as session:
        started = time.monotonic()
        task = session.new_task("Research laptops #sim duration=400 cost=1.0")
        assert time.monotonic() - started < 1.5, "new_task returns while the task runs"
        with pytest.raises(enigma.CostLimitExceeded):
            task.result(max_cost=0.05)
        assert time.monotonic() - started < INLINE_WAIT_WALL
    wait_for_stat(slow_sim, "sessions.open", 0)


def test_run_task_timeout_fires_on_time(slow_sim: Simulator, slow_client: enigma.Client) -> None:
    started = time.monotonic()
    with pytest.raises(enigma.WaitTimeout) as caught:
        slow_client.run_task("A 30 s task #sim duration=30", timeout=0.5)
    took = time.monotonic() - started
    assert 0.5 <= took < 1.5, took
    # The task goes on: the error hands it back, and it can be waited on again.
    assert caught.value.task is not None
    assert caught.value.task.result().outcome == "completed"
    # It ended its session (terminate on completion): the client no longer tracks it.
    assert slow_client.open_session_ids() == []


def test_a_task_over_the_ceiling_is_never_a_silent_success(slow_client: enigma.Client) -> None:
    with pytest.raises(enigma.CostLimitExceeded) as caught:
        slow_client.run_task("Quick but dear #sim duration=0.1 cost=0.5", max_cost=0.10)
    # It ends (or is stopped) past the ceiling within its first look: either way an error.
    cost = caught.value.usage.cost
    assert cost is not None and cost > 0.10, cost


def test_progress_reports_spend_as_it_grows(slow_sim: Simulator, slow_client: enigma.Client) -> None:
    with slow_client.start_session() as session:
        task = session.new_task("Twelve seconds #sim duration=120 cost=1.0")
        costs: list[float] = []
        result = task.result(on_status=lambda s: costs.append(s.usage.cost or 0.0))
    assert result.outcome == "completed"
    running = [c for c in costs if 0 < c < 1.0]
    assert len(running) >= 3 and running == sorted(running), costs


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_inline_wait_terminates_the_session_at_once(slow_sim: Simulator, sig: int) -> None:
    script = """
    import enigma
    with enigma.Client() as client:
        print("running", flush=True)
        client.run_task("A long one #sim duration=300")
    """
    proc = spawn(slow_sim, script)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "running"
        wait_for_stat(slow_sim, "tasks.running", 1)
        time.sleep(0.5)
        sent = time.monotonic()
        proc.send_signal(sig)
        wait_for_stat(slow_sim, "sessions.open", 0, limit=3.0)
        assert time.monotonic() - sent < 2.0, "the terminate went out at once, not after the inline wait"
        assert proc.wait(timeout=10) != 0
    finally:
        proc.kill()
    assert slow_sim.stat("requests.byMessage.state:terminate") == 1


async def test_events_arrive_as_they_happen_not_when_the_create_is_answered(slow_sim: Simulator) -> None:
    import asyncio

    from enigma import events

    async with slow_sim.async_client() as client:
        async with await client.start_session() as session:
            stream = session.events()
            async for event in stream:
                if isinstance(event, events.Connected):
                    break
            sent = time.monotonic()
            await session.new_task("Twenty seconds #sim duration=20 steps=4")
            first = completed = None
            async for event in stream:
                if isinstance(event, events.AgentThought) and first is None:
                    first = time.monotonic() - sent
                if isinstance(event, events.TaskCompleted):
                    completed = time.monotonic() - sent
                    break
            await asyncio.sleep(0)
    assert first is not None and first < 0.5, f"the first thought came after {first}"
    assert completed is not None and completed > 1.8, f"the task took its 2 s: {completed}"
