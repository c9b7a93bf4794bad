"""Many live sessions in one Python process (issue 23), at a size that fits CI: every result
arrives through the asyncio bridge, every stream accounts for each event of its task (read, or
counted as missed by a ``Lagged``), and no session is left open. Half the sessions use a tiny
event buffer, so the ``Lagged`` accounting is exercised too. The memory figures at 10,000
sessions are a benchmark (``benchmarks/many_sessions.py``), not a test."""

from __future__ import annotations

import asyncio
from typing import Tuple

import pytest

import enigma
from enigma import events
from enigma.testing import Simulator

SESSIONS = 200
STEPS = 4
# Three events a step (thought, action, update), then the completion: in both simulator modes.
TASK_EVENTS = 3 * STEPS + 1


async def one_session(client: enigma.AsyncClient, i: int) -> Tuple[int, int]:
    """(events read, events reported missed) of one session's task, up to its completion."""
    async with await client.start_session() as session:
        stream = session.events()
        async for event in stream:
            if isinstance(event, events.Connected):
                break
        task = await session.new_task(f"Scale task {i} #sim steps={STEPS}")
        result = await task.result()
        assert result.outcome == "completed", (i, result)
        read = lagged = 0
        async for event in stream:
            if isinstance(event, events.Lagged):
                lagged += event.missed
            elif isinstance(event, (events.Connected, events.Disconnected, events.Reconnecting)):
                continue
            else:
                read += 1
                if isinstance(event, events.TaskCompleted):
                    break
        await stream.aclose()
        return read, lagged


@pytest.mark.enigma_simulator(max_sessions=SESSIONS * 2, time_scale=0.05)
async def test_two_hundred_live_sessions_lose_no_result_and_no_event_and_leave_none_open(sim: Simulator) -> None:
    # A buffer of 4 holds less than one task's events: read after the result, it must lag.
    async with sim.async_client() as roomy, sim.async_client(event_buffer=4) as tiny:
        counts = await asyncio.wait_for(
            asyncio.gather(*(one_session(roomy if i % 2 == 0 else tiny, i) for i in range(SESSIONS))), 120
        )
    for i, (read, lagged) in enumerate(counts):
        assert read + lagged == TASK_EVENTS, f"session {i}: read {read} + lagged {lagged}"
    assert all(lagged == 0 for _, lagged in counts[::2]), "the default buffer holds a task's events"
    assert sum(1 for _, lagged in counts[1::2] if lagged) >= SESSIONS // 4, "the tiny buffers lagged"
    assert sim.stat("sessions.open") == 0
    assert sim.stat("tasks.completed") == SESSIONS
