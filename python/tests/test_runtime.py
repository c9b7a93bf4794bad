"""The owned runtime: fork, multiprocessing, pickled handles, exit right after heavy use."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import time
from typing import Any, Tuple

import pytest

import enigma
from enigma.testing import Simulator

from _util import run_python


def _wait_child(pid: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.01)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise AssertionError("the forked child hung")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_child_makes_a_new_client_and_old_handles_fail_clearly(sim: Simulator, client: enigma.Client) -> None:
    assert client.health().status == "healthy"  # the parent's runtime is up and used
    pid = os.fork()
    if pid == 0:  # child
        code = 1
        try:
            try:
                client.health()
            except RuntimeError as err:
                assert "another process" in str(err)
            else:
                raise AssertionError("a handle from before fork worked in the child")
            fresh = sim.client()
            assert fresh.run_task("in the child", timeout=30).outcome == "completed"
            code = 0
        finally:
            os._exit(code)
    assert _wait_child(pid) == 0
    assert client.health().status == "healthy"  # the parent is unaffected


def _worker(blob: bytes) -> Tuple[str, str]:
    session = pickle.loads(blob)
    task = session.new_task("from a worker")
    return session.id, task.result(timeout=30).outcome


def _poll_worker(task: Any) -> str:
    return str(task.result(timeout=30).outcome)


def test_multiprocessing_with_pickled_handles(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    key = sim.api_key()
    monkeypatch.setenv("ENIGMA_API_KEY", key)  # workers take the key from their environment
    client = enigma.Client(base_url=sim.url, poll_interval=0.01)
    sessions = [client.start_session() for _ in range(2)]
    blobs = [pickle.dumps(s) for s in sessions]
    assert all(key.encode() not in b for b in blobs)
    with multiprocessing.Pool(2) as pool:  # the default start method of the platform
        results = pool.map(_worker, blobs, chunksize=1)
        assert sorted(results) == sorted((s.id, "completed") for s in sessions)
        task = sessions[0].new_task("polled elsewhere")
        assert pool.apply(_poll_worker, (task,)) == "completed"
    for s in sessions:
        s.terminate()
    assert sim.stat("sessions.open") == 0


async def test_async_handles_pickle(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    async with await aclient.start_session() as session:
        task = await session.new_task("x")
        again = pickle.loads(pickle.dumps(task))
        assert isinstance(again, enigma.AsyncTask) and again.id == task.id
        assert isinstance(pickle.loads(pickle.dumps(session)), enigma.AsyncSession)


EXIT_AFTER_LOAD = """
    import asyncio, os, enigma
    async def main():
        client = enigma.AsyncClient(poll_interval=0.01)
        async with await client.start_session() as session:
            await asyncio.gather(*(session.pause() for _ in range(500)))
            await asyncio.gather(*(client.health() for _ in range(500)))
        # and leave some in flight: asyncio.run cancels them on the way out
        for _ in range(1000):
            asyncio.ensure_future(client.health())
        await asyncio.sleep(0)
    asyncio.run(main())
    print("done", flush=True)
"""


def test_exit_right_after_1000_concurrent_calls_never_crashes(sim: Simulator) -> None:
    for _ in range(3):
        out = run_python(EXIT_AFTER_LOAD, env=sim.env())
        assert out.returncode == 0, out.stderr[-3000:]
        assert out.stdout.strip() == "done"
        assert "panicked" not in out.stderr and "Fatal" not in out.stderr, out.stderr[-3000:]
    assert sim.stat("sessions.open") == 0


def test_sync_exit_right_after_calls_from_threads(sim: Simulator) -> None:
    out = run_python(
        """
        import enigma
        from concurrent.futures import ThreadPoolExecutor
        client = enigma.Client()
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda _: client.health(), range(1000)))
        print("done", flush=True)
        """,
        env=sim.env(),
    )
    assert out.returncode == 0 and out.stdout.strip() == "done", out.stderr[-3000:]


def test_runtime_is_stopped_at_exit_and_later_calls_fail_clearly(sim: Simulator) -> None:
    out = run_python(
        """
        import atexit, enigma
        from enigma import _native
        client = enigma.Client()
        def late():  # runs after enigma's own exit hook (atexit is last-in, first-out)
            assert not _native.runtime_alive()
            try:
                client.health()
            except RuntimeError as err:
                print("refused:", err, flush=True)
        atexit.register(late)
        import enigma._exit as h  # the exit hook (_exit.py)
        atexit.unregister(h._at_exit)
        atexit.register(h._at_exit)
        client.health()
        """,
        env=sim.env(),
    )
    assert out.returncode == 0, out.stderr
    assert "refused: the enigma runtime was stopped" in out.stdout
