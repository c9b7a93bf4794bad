"""The asyncio crossing (docs/benchmarks.md, "The crossing"): a polled value is the typed model,
built without the dataclass ``__init__`` but the same object as one built through it; a
cancelled call and an interrupt in the woken task behave as asyncio's own. No timing here."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

import enigma
from enigma.testing import Simulator


async def test_a_polled_status_is_the_dataclass_its_class_would_build(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        task = await session.new_task("Search #sim cost=0.25 tokens=1000")
        status = await task.poll()
        result = await task.result(timeout=30)
        final = await task.poll()
    for value in (status, final, result):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        rebuilt = type(value)(**fields)
        assert value == rebuilt and hash(value) == hash(rebuilt) and repr(value) == repr(rebuilt)
        assert sorted(vars(value)) == sorted(vars(rebuilt))
        assert value.usage == enigma.Usage(**value.usage.to_dict())
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.usage = enigma.Usage()  # type: ignore[misc]
    assert final.done and final.state == "completed" and final.usage.cost == pytest.approx(0.25)


async def test_a_cancelled_poll_raises_cancelled_error_and_the_next_one_works(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        task = await session.new_task("Long #sim duration=1000")
        pending = asyncio.ensure_future(task.poll())
        await asyncio.sleep(0)  # it awaits the native call now
        pending.cancel("enough")
        with pytest.raises(asyncio.CancelledError):
            await pending
        assert pending.cancelled()
        assert (await task.poll()).state == "running"


def test_keyboard_interrupt_in_a_woken_task_leaves_asyncio_run(sim: Simulator) -> None:
    async def main() -> None:
        await sim.async_client().health()
        raise KeyboardInterrupt  # raised while the bridge's reader callback runs this task

    with pytest.raises(KeyboardInterrupt):
        asyncio.run(main())
