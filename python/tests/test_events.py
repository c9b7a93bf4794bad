"""Live events (`session.events()`), async and sync, and results delivered by the socket."""

from __future__ import annotations

import asyncio
import gc
import pickle
import time
from typing import List

import pytest

import enigma
from enigma import events
from enigma.testing import Simulator

STEP = ["agent_thought", "action", "response_update"]
TASK_EVENTS = {"agent_thought", "action", "response_update", "task_completed", "guardrail", "task_error"}


async def until_connected(stream: enigma.AsyncEventStream) -> None:
    async for event in stream:
        if isinstance(event, events.Connected):
            return
    raise AssertionError("the stream ended before it connected")


async def task_events(stream: enigma.AsyncEventStream, last: str = "task_completed") -> List[events.Event]:
    """Events of tasks, up to and including the first of type `last`."""
    seen: List[events.Event] = []
    async for event in stream:
        if event.type in TASK_EVENTS:
            seen.append(event)
        if event.type == last:
            return seen
    raise AssertionError(f"the stream ended before {last}: {seen}")


async def test_a_default_task_emits_its_events_in_order(aclient: enigma.AsyncClient, strict_docs: bool) -> None:
    async with await aclient.start_session() as session:
        stream = session.events()
        await asyncio.wait_for(until_connected(stream), 10)
        task = await session.new_task("Find the opening hours")
        seen = await asyncio.wait_for(task_events(stream), 10)
    assert [e.type for e in seen] == STEP * 3 + ["task_completed"]
    # Every event names its task; the documented events name it on task_completed only.
    for e in seen:
        named = not strict_docs or isinstance(e, events.TaskCompleted)
        assert e.task_id == (task.id if named else None), e  # type: ignore[attr-defined]
    thought, action, update, done = seen[0], seen[1], seen[2], seen[-1]
    assert isinstance(thought, events.AgentThought) and thought.content
    assert isinstance(action, events.Action) and action.name
    assert isinstance(update, events.ResponseUpdate) and update.message
    assert isinstance(done, events.TaskCompleted)
    assert "opening hours" in done.message
    assert done.usage.cost is not None and done.usage.cost > 0
    # Plain data, the payload as received, readable reprs.
    assert done.to_dict()["type"] == "task_completed"
    assert done.to_dict()["usage"]["cost"] == done.usage.cost
    assert done.raw["type"] == "task_completed" and done.raw["taskId"] == task.id
    assert repr(thought).startswith("AgentThought(task_id=")
    assert pickle.loads(pickle.dumps(done)) == done


async def test_guardrail_event_and_answer(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        stream = session.events()
        await asyncio.wait_for(until_connected(stream), 10)
        await session.new_task('Buy shoes #sim guardrail="Which size?"')
        seen = await asyncio.wait_for(task_events(stream, "guardrail"), 10)
        guardrail = seen[-1]
        assert isinstance(guardrail, events.Guardrail) and guardrail.question == "Which size?"
        await session.answer_guardrail("42")
        rest = await asyncio.wait_for(task_events(stream), 10)
        assert rest[-1].type == "task_completed"


async def test_error_event(aclient: enigma.AsyncClient, strict_docs: bool) -> None:
    async with await aclient.start_session() as session:
        stream = session.events()
        await asyncio.wait_for(until_connected(stream), 10)
        task = await session.new_task("Open it #sim fail=PAGE_CRASH")
        seen = await asyncio.wait_for(task_events(stream, "task_error"), 10)
    error = seen[-1]
    assert isinstance(error, events.TaskError)
    assert error.code == "PAGE_CRASH" and error.error
    assert error.task_id == (None if strict_docs else task.id)


async def test_terminate_ends_the_stream_with_session_ended(aclient: enigma.AsyncClient) -> None:
    session = await aclient.start_session()
    stream = session.events()
    await asyncio.wait_for(until_connected(stream), 10)
    await session.terminate()

    async def rest() -> List[events.Event]:
        return [event async for event in stream]

    after = await asyncio.wait_for(rest(), 10)
    ended = [e for e in after if isinstance(e, events.SessionEnded)]
    assert len(ended) == 1 and ended[0].reason == "terminated", after
    assert stream.closed


async def test_two_streams_on_one_session_both_receive(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        first, second = session.events(), session.events()
        await asyncio.wait_for(asyncio.gather(until_connected(first), until_connected(second)), 10)
        await session.new_task("Compare prices #sim steps=2")
        a, b = await asyncio.wait_for(asyncio.gather(task_events(first), task_events(second)), 10)
    assert [e.type for e in a] == [e.type for e in b] == STEP * 2 + ["task_completed"]


async def test_breaking_out_closes_the_stream(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        await asyncio.wait_for(until_connected(session.events()), 10)
        before = sim.stat("sockets.connected")
        # A second handle on the session (its own connection), used only by the loop.
        other = aclient.session(session.id)
        async for event in other.events():
            if event.type == "connected":
                break
        assert sim.stat("sockets.connected") == before + 1
        del other, event
        gc.collect()
        for _ in range(200):  # the loop's stream was dropped: the connection closes
            if sim.stat("sockets.connected") == before:
                break
            await asyncio.sleep(0.01)
        assert sim.stat("sockets.connected") == before

        stream = session.events()
        async with stream:
            assert (await stream.__anext__()).type == "connected"
        assert stream.closed
        with pytest.raises(StopAsyncIteration):
            await stream.__anext__()


async def test_cancelling_anext_keeps_the_stream(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        stream = session.events()
        await asyncio.wait_for(until_connected(stream), 10)
        for _ in range(3):  # nothing happens: each wait is cancelled
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(stream.__anext__(), 0.02)
        await session.new_task("Find it #sim steps=1")
        # Cancel waits while the task runs, too: no event is lost or reordered.
        seen: List[str] = []
        while "task_completed" not in seen:
            try:
                event = await asyncio.wait_for(stream.__anext__(), 0.001)
            except asyncio.TimeoutError:
                continue
            if event.type in TASK_EVENTS:
                seen.append(event.type)
        assert seen == STEP + ["task_completed"]


async def test_a_cancelled_next_loses_no_event_the_next_call_gets_it(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        stream = session.events()
        await asyncio.wait_for(until_connected(stream), 10)
        pending = asyncio.ensure_future(stream.__anext__())
        await asyncio.sleep(0.05)  # it waits: nothing happens in the session yet
        await session.new_task("Find it #sim steps=1")
        await asyncio.sleep(0.01)  # the task's first events are on their way
        pending.cancel()
        seen: List[str] = []
        try:
            first = await pending
            seen.append(first.type)  # it had its event before the cancel: delivered, not lost
        except asyncio.CancelledError:
            pass
        assert not stream.closed, "a cancelled next() keeps the stream"
        seen += [event.type for event in await asyncio.wait_for(task_events(stream), 10)]
        assert [t for t in seen if t in TASK_EVENTS] == STEP + ["task_completed"]


async def test_live_events_off_gives_a_connect_error(sim: Simulator) -> None:
    aclient = sim.async_client(live_events=False)
    async with await aclient.start_session() as session:
        got = [event async for event in session.events()]
    assert len(got) == 1 and isinstance(got[0], events.ConnectError), got


def test_sync_iteration(client: enigma.Client) -> None:
    with client.start_session() as session:
        seen: List[str] = []
        with session.events() as stream:
            for event in stream:
                if isinstance(event, events.Connected):
                    task = session.new_task("Find it #sim steps=2")
                elif event.type in TASK_EVENTS:
                    seen.append(event.type)
                    if event.type == "task_completed":
                        break
        assert stream.closed
    assert seen == STEP * 2 + ["task_completed"]
    assert task.id


@pytest.mark.enigma_simulator(inline_wait=0.05)
async def test_a_result_delivered_by_socket_needs_no_poll(sim: Simulator) -> None:
    # Events come more often than the poll interval: the socket is never silent long enough
    # for a REST check.
    aclient = sim.async_client(poll_interval=2.0)
    async with await aclient.start_session() as session:
        await asyncio.wait_for(until_connected(session.events()), 10)
        started = time.monotonic()
        task = await session.new_task("Long enough #sim duration=50")
        result = await asyncio.wait_for(task.result(), 10)
        assert result.outcome == "completed"
        assert time.monotonic() - started > 0.3  # it was not answered inline
    assert sim.stat("requests.byEndpoint.GET /task") == 0, sim.stats()


async def test_cancelling_start_session_mid_request_leaves_no_session(
    sim: Simulator, aclient: enigma.AsyncClient
) -> None:
    sim.add_fault("POST /start/start-session", action="delay", delay_ms=300)
    job = asyncio.create_task(aclient.start_session())
    await asyncio.sleep(0.1)
    job.cancel()
    with pytest.raises(asyncio.CancelledError):
        await job
    for _ in range(300):  # the core finishes the request, then terminates what it created
        if sim.stat("sessions.total") == 1 and sim.stat("sessions.open") == 0:
            break
        await asyncio.sleep(0.01)
    assert sim.stat("sessions.total") == 1
    assert sim.stat("sessions.open") == 0
    assert aclient.open_session_ids() == []


def test_lagged_is_an_event_class_with_the_number_missed() -> None:
    lagged = events._from_json({"type": "lagged", "missed": 7})
    assert isinstance(lagged, events.Lagged) and lagged.missed == 7
    assert lagged.type == "lagged" and lagged.to_dict()["missed"] == 7
    assert "Lagged" in events.__all__ and events.Lagged in events.AnyEvent.__args__  # type: ignore[attr-defined]


# A steps=1000 task emits a thought, an action and an update per step, then its outcome.
FLOOD_EVENTS = 3 * 1000 + 1


async def test_a_slow_reader_is_told_how_many_events_it_missed(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        slow, fast = session.events(), session.events()
        await asyncio.wait_for(asyncio.gather(until_connected(slow), until_connected(fast)), 10)
        task = await session.new_task("Flood #sim steps=1000 duration=10")
        # The fast reader sees the last event of the flood: by then every event has reached
        # the client, and the slow one has read none of them.
        await asyncio.wait_for(task_events(fast), 20)

        received = missed = gaps = 0

        async def drain() -> None:
            nonlocal received, missed, gaps
            async for event in slow:
                if isinstance(event, events.Lagged):
                    gaps += 1
                    missed += event.missed
                    continue
                received += 1
                if event.type == "task_completed":
                    return

        await asyncio.wait_for(drain(), 20)
        assert (await task.result()).outcome == "completed"
    assert gaps >= 1 and missed > 0, (gaps, missed)
    assert received + missed == FLOOD_EVENTS, (received, missed)
