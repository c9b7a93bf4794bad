"""client.run_many against the in-process simulator: async and sync, journal, budget,
guardrail callback, bad input, progress and pandas (when installed)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

import enigma
from enigma.testing import Simulator

from _util import post_raw


async def test_async_run_many_yields_one_item_per_task_in_completion_order(aclient: enigma.AsyncClient, sim: Simulator) -> None:
    tasks = [f"task {i} #sim duration={1 + (i % 3)}" for i in range(8)] + [{"task_details": "last", "id": "x", "max_cost": 1.0}]
    batch = aclient.run_many(tasks, concurrency=3)
    items = [item async for item in batch]
    assert sorted(i.index for i in items) == list(range(9))
    assert all(i.outcome == "completed" for i in items)
    assert items[-1].timings["endedAtMs"] >= items[0].timings["endedAtMs"]
    last = next(i for i in items if i.index == 8)
    assert last.id == "x" and last.result is not None and "last" in (last.result.message or "")
    assert batch.summary is not None and batch.summary["outcomes"]["completed"] == 9
    assert sim.stat("tasks.started") == 9
    assert sim.stat("sessions.maxOpenPerKey") <= 3


def test_sync_run_many_with_a_journal_skips_what_finished(client: enigma.Client, sim: Simulator, tmp_path: Path) -> None:
    journal = tmp_path / "run.jsonl"
    tasks = ["one", "two", "three"]
    first = list(client.run_many(tasks, journal=journal))
    assert len(first) == 3
    again = client.run_many(tasks, journal=str(journal))
    assert list(again) == []
    assert again.summary is not None and again.summary["previously_done"] == 3
    assert sim.stat("tasks.started") == 3


def test_the_budget_stops_the_batch(client: enigma.Client, sim: Simulator) -> None:
    batch = client.run_many([f"t{i} #sim duration=60 cost=0.5" for i in range(10)], budget=1.0)
    items = list(batch)
    assert batch.summary is not None and batch.summary["budget_reached"]
    assert any(i.outcome == "stopped" and i.error is not None and i.error.code == "budget" for i in items)
    assert sim.stat("tasks.started") < 10


async def test_on_guardrail_answers_questions_and_the_default_ends_the_task(aclient: enigma.AsyncClient) -> None:
    task = 'buy shoes #sim guardrail="Which size?"'
    [item] = [i async for i in aclient.run_many([task])]
    assert item.outcome == "guardrail" and item.question == "Which size?"

    asked = []

    async def answer(q: enigma.GuardrailQuestion) -> str:
        asked.append(q.question)
        return "42"

    [item] = [i async for i in aclient.run_many([task], on_guardrail=answer)]
    assert item.outcome == "completed" and asked == ["Which size?"]


def test_bad_tasks_raise_validation_naming_the_task_and_send_nothing(client: enigma.Client, sim: Simulator) -> None:
    with pytest.raises(enigma.ValidationError, match=r"tasks\[1\].*unknown option 'colour'"):
        client.run_many(["fine", {"task": "x", "colour": "red"}])
    with pytest.raises(enigma.ValidationError, match=r"tasks\[0\]"):
        client.run_many([""])
    with pytest.raises(enigma.ValidationError, match="concurrency"):
        client.run_many(["fine"], concurrency=0)
    assert sim.stat("requests.total") == 0
    items = list(client.run_many(["fine", {"task": "x", "colour": "red"}], skip_invalid=True))
    assert sorted((i.index, i.outcome) for i in items) == [(0, "completed"), (1, "skipped")]


async def test_an_item_read_for_a_cancelled_next_comes_out_of_a_later_one(aclient: enigma.AsyncClient) -> None:
    batch = aclient.run_many(["a", "b", "c"])
    while batch.progress()["done"] < 3:
        await asyncio.sleep(0.01)
    reading = asyncio.ensure_future(batch.__anext__())
    await asyncio.sleep(0)  # the read starts; the core has an item for it at once...
    time.sleep(0.2)  # ...which waits for this loop (blocked here) to hand it over
    reading.cancel()  # the caller stops waiting before that: the core takes the item back
    assert sorted([item.index async for item in batch]) == [0, 1, 2]


def test_task_and_batch_options_are_read_in_python_spelling_errors_naming_the_field(
    client: enigma.Client, sim: Simulator
) -> None:
    with pytest.raises(enigma.ValidationError, match=r"tasks\[1\].*max_duration"):
        client.run_many(["ok", {"task_details": "x", "max_duration": 0}])
    with pytest.raises(enigma.ValidationError, match="unknown option 'maxDuration'"):
        client.run_many([{"task_details": "x", "maxDuration": 5}])
    with pytest.raises(enigma.ValidationError, match="tasks_per_session"):
        client.run_many(["ok"], tasks_per_session=0)
    assert sim.stat("requests.total") == 0
    [item] = list(client.run_many([{"task": "y", "id": 7, "timeout": 30, "max_cost": 5}]))
    assert (item.id, item.outcome) == ("7", "completed")


async def test_leaving_the_loop_cancels_and_terminates_every_session(aclient: enigma.AsyncClient, sim: Simulator) -> None:
    batch = aclient.run_many([f"t{i} #sim duration=1000" for i in range(10)])
    while sim.stat("tasks.running") < 5:
        await asyncio.sleep(0.01)
    await batch.aclose()
    assert batch.summary is not None and batch.summary["was_cancelled"]
    assert sim.stat("sessions.open") == 0


def test_results_to_pandas(client: enigma.Client) -> None:
    pandas = pytest.importorskip("pandas")
    batch = client.run_many(["a", "b"])
    list(batch)
    frame = batch.results.to_pandas()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 2 and "usage_cost" in frame.columns


def test_progress_uses_tqdm_when_installed(client: enigma.Client) -> None:
    pytest.importorskip("tqdm")
    assert len(list(client.run_many(["a", "b"], progress=True))) == 2


def test_the_bar_says_when_the_batch_waits_for_the_rate_limit(
    client: enigma.Client, sim: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    # The key's limit answers the create with a 429 and a Retry-After of 1 s.
    fault = {"endpoint": "POST /start/start-session", "status": 429, "code": "RATE_LIMIT_EXCEEDED", "retryAfter": 1}
    post_raw(sim, "/_sim/faults", fault)
    batch = client.run_many(["a"], progress=True)
    assert [i.outcome for i in batch] == ["completed"]
    assert "waiting for the rate limit: next create in 1 s" in capsys.readouterr().err
    assert batch.progress()["rate_limit_waits"] == 1
