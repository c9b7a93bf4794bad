"""Every capability through the asyncio API, against the in-process simulator."""

from __future__ import annotations

import asyncio

import pytest

import enigma
from enigma.testing import Simulator


pytestmark = pytest.mark.enigma_simulator(inline_wait=0.5)


async def test_session_lifecycle_and_every_command(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session(starting_url="https://example.com", max_duration=120_000) as session:
        assert isinstance(session, enigma.AsyncSession)
        assert len(session.id) == 12
        assert session.live_view_url and session.live_view_url.endswith(session.id)
        assert session.info is not None and session.info["sessionId"] == session.id
        task = await session.new_task("Fill in the form #sim duration=20", max_duration=60_000)
        assert isinstance(task, enigma.AsyncTask) and task.session_id == session.id
        await session.pause()
        await session.resume()
        await session.take_over()
        await session.click(512, 400)
        await session.double_click(100, 155)
        await session.type_text("hello", human_like=True)
        await session.press_key("Enter")
        await session.release()
        status = await task.poll()
        assert isinstance(status, enigma.TaskStatus) and status.state == "running" and not status.done
        await session.stop()
        result = await task.result(timeout=10)
        assert result.outcome == "stopped"
    assert session.is_terminated and session.state == "terminated"
    for key in [
        "state:pause",
        "state:resume",
        "state:stop",
        "state:terminate",
        "interaction:takeOverControl",
        "interaction:releaseControl",
        "interaction:CLICK",
        "interaction:DOUBLE_CLICK",
        "interaction:TYPE",
        "interaction:KEY_PRESS",
        "newTask",
    ]:
        assert sim.stat(f"commands.byMessage.{key}") == 1, (key, sim.stats())
    assert sim.stat("sessions.open") == 0


async def test_result_fields_repr_and_to_dict(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        task = await session.new_task("Search for wireless keyboards #sim cost=0.25 tokens=1000")
        result = await task.result(timeout=30)
    assert result.outcome == "completed"
    assert result.message and "wireless keyboards" in result.message
    assert result.question is None
    assert result.usage.cost == pytest.approx(0.25)
    assert result.usage.input_tokens == 800 and result.usage.output_tokens == 200
    assert result.usage.total_tokens == 1000
    assert result.usage.compute_time is not None and result.usage.completion_time is not None
    assert result.task_id == task.id and result.session_id == session.id
    assert isinstance(result.raw, dict) and result.raw
    d = result.to_dict()
    assert d["outcome"] == "completed" and d["usage"]["cost"] == pytest.approx(0.25)
    text = repr(result)
    assert "completed" in text and "wireless keyboards" in text and task.id in text and "cost=0.25" in text


async def test_guardrail_answer_resume_and_stop(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        task = await session.new_task('Buy the book #sim guardrail="I need login credentials"')
        first = await task.result(timeout=30)
        assert first.outcome == "guardrail" and first.question == "I need login credentials"
        assert "question=" in repr(first)
        await session.answer_guardrail("Use the guest checkout")
        assert (await task.result(timeout=30)).outcome == "completed"
        task2 = await session.new_task('Pay #sim guardrail="Which card?"')
        assert (await task2.result(timeout=30)).outcome == "guardrail"
        await session.answer_guardrail("Do not pay", resume=False)
        assert (await task2.result(timeout=30)).outcome == "stopped"


async def test_run_task_start_task_and_initial_task(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    result = await aclient.run_task("Find the opening hours of the Louvre", timeout=30)
    assert result.outcome == "completed" and "Louvre" in (result.message or "")
    task = await aclient.start_task("Find a recipe #sim duration=5")
    assert (await task.result(timeout=30)).outcome == "completed"
    async with await aclient.start_session(task_details="Go to amazon.com") as session:
        initial = session.initial_task
        assert initial is not None
        assert (await initial.result(timeout=30)).outcome == "completed"
    await asyncio.sleep(0.05)
    assert sim.stat("sessions.open") == 0


async def test_reattach_by_ids_health_and_sockets(aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        task = await session.new_task("Look around #sim duration=4")
        again = aclient.task(session.id, task.id)
        assert again.id == task.id
        assert (await again.result(timeout=30)).outcome == "completed"
        same = aclient.session(session.id)
        assert same.info is None and same.live_view_url is None
        await same.pause()
        assert session.task(task.id).id == task.id
        assert task.session.id == session.id
        sockets = await aclient.active_sockets()
        assert isinstance(sockets.sockets, list) and sockets.count == len(sockets.sockets)
    health = await aclient.health()
    assert health.status == "healthy" and health.instance_count == 5


async def test_on_status_is_called_on_the_loop(aclient: enigma.AsyncClient) -> None:
    seen = []
    loop_thread = __import__("threading").get_ident()

    def on_status(status: enigma.TaskStatus) -> None:
        assert __import__("threading").get_ident() == loop_thread
        seen.append(status)

    async with await aclient.start_session() as session:
        task = await session.new_task("Browse #sim duration=200")
        result = await task.result(timeout=30, on_status=on_status)
    assert result.outcome == "completed"
    assert seen and all(s.state == "running" for s in seen[:-1])
    assert seen[-1].usage.cost is not None


async def test_reprs_never_show_the_key(sim: Simulator) -> None:
    key = "enig_secretsecretsecretsecret1234"
    async with enigma.AsyncClient(key, sim.url) as c:
        assert "secretsecret" not in repr(c) and "redacted" in repr(c)
        async with await c.start_session() as s:
            task = await s.new_task("x")
            for obj in (s, task, await task.result(timeout=30)):
                assert "secretsecret" not in repr(obj)
            assert "secretsecret" not in s._repr_html_()


async def test_many_concurrent_calls(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        await asyncio.gather(*(session.pause() for _ in range(300)))
        # Commands may travel over the live socket (fire and forget): let them land.
        for _ in range(100):
            if sim.stat("commands.byMessage.state:pause") == 300:
                break
            await asyncio.sleep(0.01)
    assert sim.stat("commands.byMessage.state:pause") == 300
