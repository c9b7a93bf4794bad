"""The sync facade: same surface, same core, and usable inside a running event loop."""

from __future__ import annotations

import asyncio
import threading

import pytest

import enigma
from enigma.testing import Simulator

pytestmark = pytest.mark.enigma_simulator(inline_wait=0.5)


def test_sync_surface(sim: Simulator, client: enigma.Client) -> None:
    with client.start_session(starting_url="https://example.com") as session:
        assert isinstance(session, enigma.Session)
        assert session.live_view_url
        task = session.new_task("Browse the catalogue #sim duration=20")
        assert isinstance(task, enigma.Task)
        session.pause()
        assert task.poll().paused in (True, False)
        session.resume()
        session.take_over()
        session.click(10, 200)
        session.double_click(10, 200)
        session.type_text("abc")
        session.press_key("Tab")
        session.release()
        result = task.result(timeout=30)
        assert result.outcome == "completed"
        guard = session.new_task('Log in #sim guardrail="Password?"')
        assert guard.result(timeout=30).question == "Password?"
        session.answer_guardrail("hunter2")
        assert guard.result(timeout=30).outcome == "completed"
        session.stop()
    assert sim.stat("sessions.open") == 0
    assert client.run_task("Find the Louvre hours", timeout=30).outcome == "completed"
    assert client.health().status == "healthy"
    assert client.session(session.id).id == session.id


def test_sync_on_status_runs_on_the_calling_thread(client: enigma.Client) -> None:
    me = threading.get_ident()
    seen = []
    with client.start_session() as session:
        task = session.new_task("Walk #sim duration=100")

        def on_status(status: enigma.TaskStatus) -> None:
            assert threading.get_ident() == me
            seen.append(status.state)

        assert task.result(timeout=30, on_status=on_status).outcome == "completed"
    assert seen


async def test_sync_calls_work_inside_a_running_event_loop(sim: Simulator, client: enigma.Client) -> None:
    # As in a Jupyter cell: a loop is running on this thread, and sync calls still work.
    assert asyncio.get_running_loop().is_running()
    with client.start_session() as session:
        task = session.new_task("In a notebook")
        assert task.result(timeout=30).outcome == "completed"
    assert client.run_task("Again", timeout=30).outcome == "completed"
    assert sim.stat("sessions.open") == 0


def test_sync_client_from_threads(sim: Simulator, client: enigma.Client) -> None:
    errors = []

    def work() -> None:
        try:
            assert client.health().status == "healthy"
        except BaseException as err:  # pragma: no cover
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sim.stat("requests.byEndpoint.GET /start/health") == 16
