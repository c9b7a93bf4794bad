"""Benchmark: the same workloads through `enigma`, a plain `aiohttp` client and
`httpx.AsyncClient`, against one simulator (served by a separate process, so the clients do not
share its CPU time or runtime).

    python python/benchmarks/bench.py            # needs: pip install ./python aiohttp httpx

Workloads: (a) 10,000 sequential control messages (`state: pause`), (b) 1,000 concurrent ones
(5 rounds), (c) 200 sessions each running one task to completion concurrently (start, newTask
answered inline, terminate). Then (d) the binding's overhead: 2,000 sequential `task.poll()`
through `enigma` and through the raw Rust core (`crates/enigma/examples/core_poll.rs`, run with
`cargo run --release`, or the binary named by `ENIGMA_CORE_POLL`), side by side on the same
simulator, and their ratio. Each client runs in its own process; peak memory is that process's
maximum RSS. `enigma (REST)` uses `live_events=False` (the same HTTP work as the others);
`enigma` is the default (commands go over the session's live socket once it is up).
Not run by the tests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List

KEY = "enig_bench00000000000000000000000"
SEQUENTIAL = 10_000
CONCURRENT = 1_000
ROUNDS = 5
SESSIONS = 200
POLLS = 2_000
WARM_UP = 200
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def headers() -> Dict[str, str]:
    return {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}


async def timed(work: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    await work()
    return calls / (time.perf_counter() - start)


# ---- enigma -------------------------------------------------------------------------------------


async def bench_enigma(url: str, live: bool) -> Dict[str, float]:
    import enigma

    client = enigma.AsyncClient(KEY, url, poll_interval=0.05, live_events=live)
    session = await client.start_session()
    await session.pause()
    if live:
        await asyncio.sleep(0.5)  # let the live connection come up

    async def sequential() -> None:
        for _ in range(SEQUENTIAL):
            await session.pause()

    async def concurrent() -> None:
        for _ in range(ROUNDS):
            await asyncio.gather(*(session.pause() for _ in range(CONCURRENT)))

    async def one_task() -> None:
        async with await client.start_session() as s:
            task = await s.new_task("bench")
            result = await task.result(timeout=60)
            assert result.outcome == "completed", result

    async def sessions() -> None:
        await asyncio.gather(*(one_task() for _ in range(SESSIONS)))

    out = {
        "sequential": await timed(sequential, SEQUENTIAL),
        "concurrent": await timed(concurrent, CONCURRENT * ROUNDS),
        "sessions": await timed(sessions, SESSIONS),
    }
    await session.terminate()
    return out


async def bench_poll(url: str) -> Dict[str, float]:
    """Microseconds per sequential ``task.poll()`` through the package (as core_poll.rs does)."""
    import enigma

    client = enigma.AsyncClient(KEY, url)
    session = await client.start_session()
    task = await session.new_task("bench")
    for _ in range(WARM_UP):
        await task.poll()
    start = time.perf_counter()
    for _ in range(POLLS):
        await task.poll()
    us = (time.perf_counter() - start) * 1e6 / POLLS
    await session.terminate()
    return {"us_per_call": us}


def core_poll(url: str) -> float:
    """Microseconds per sequential ``task.poll()`` of the raw Rust core, on the same simulator."""
    binary = os.environ.get("ENIGMA_CORE_POLL")
    command = (
        [binary]
        if binary
        else ["cargo", "run", "--release", "--quiet", "-p", "enigma", "--example", "core_poll", "--"]
    )
    out = subprocess.run(command + [url, KEY, str(POLLS)], capture_output=True, text=True, cwd=ROOT, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["us_per_call"])


# ---- aiohttp ------------------------------------------------------------------------------------


async def bench_aiohttp(url: str) -> Dict[str, float]:
    import aiohttp

    async with aiohttp.ClientSession(headers=headers()) as http:

        async def post(path: str, body: Dict[str, Any]) -> Dict[str, Any]:
            async with http.post(url + path, json=body) as answer:
                data: Dict[str, Any] = await answer.json()
                if answer.status != 200:
                    raise RuntimeError(data)
                return data

        sid = (await post("/start/start-session", {}))["sessionId"]
        pause = {"sessionId": sid, "message": {"actionType": "state", "newState": "pause"}}

        async def sequential() -> None:
            for _ in range(SEQUENTIAL):
                await post("/start/send-message", pause)

        async def concurrent() -> None:
            for _ in range(ROUNDS):
                await asyncio.gather(*(post("/start/send-message", pause) for _ in range(CONCURRENT)))

        async def one_task() -> None:
            s = (await post("/start/start-session", {}))["sessionId"]
            try:
                answer = await post(
                    "/start/send-message",
                    {"sessionId": s, "message": {"actionType": "newTask", "newState": "start", "taskDetails": "bench"}},
                )
                while answer.get("pending") or answer.get("status") in ("pending", "active"):
                    await asyncio.sleep(0.05)
                    async with http.get(f"{url}/task/{s}/{answer['taskId']}") as polled:
                        answer = await polled.json()
                assert answer.get("status") == "complete" or answer.get("type") == "task_completed", answer
            finally:
                await post("/start/send-message", {"sessionId": s, "message": {"actionType": "state", "newState": "terminate"}})

        async def sessions() -> None:
            await asyncio.gather(*(one_task() for _ in range(SESSIONS)))

        return {
            "sequential": await timed(sequential, SEQUENTIAL),
            "concurrent": await timed(concurrent, CONCURRENT * ROUNDS),
            "sessions": await timed(sessions, SESSIONS),
        }


# ---- httpx --------------------------------------------------------------------------------------


async def bench_httpx(url: str) -> Dict[str, float]:
    import httpx

    async with httpx.AsyncClient(base_url=url, headers=headers(), timeout=120) as http:

        async def post(path: str, body: Dict[str, Any]) -> Dict[str, Any]:
            answer = await http.post(path, json=body)
            data: Dict[str, Any] = answer.json()
            if answer.status_code != 200:
                raise RuntimeError(data)
            return data

        sid = (await post("/start/start-session", {}))["sessionId"]
        pause = {"sessionId": sid, "message": {"actionType": "state", "newState": "pause"}}

        async def sequential() -> None:
            for _ in range(SEQUENTIAL):
                await post("/start/send-message", pause)

        async def concurrent() -> None:
            for _ in range(ROUNDS):
                await asyncio.gather(*(post("/start/send-message", pause) for _ in range(CONCURRENT)))

        async def one_task() -> None:
            s = (await post("/start/start-session", {}))["sessionId"]
            try:
                answer = await post(
                    "/start/send-message",
                    {"sessionId": s, "message": {"actionType": "newTask", "newState": "start", "taskDetails": "bench"}},
                )
                while answer.get("pending") or answer.get("status") in ("pending", "active"):
                    await asyncio.sleep(0.05)
                    answer = (await http.get(f"/task/{s}/{answer['taskId']}")).json()
                assert answer.get("status") == "complete" or answer.get("type") == "task_completed", answer
            finally:
                await post("/start/send-message", {"sessionId": s, "message": {"actionType": "state", "newState": "terminate"}})

        async def sessions() -> None:
            await asyncio.gather(*(one_task() for _ in range(SESSIONS)))

        return {
            "sequential": await timed(sequential, SEQUENTIAL),
            "concurrent": await timed(concurrent, CONCURRENT * ROUNDS),
            "sessions": await timed(sessions, SESSIONS),
        }


CLIENTS: Dict[str, Callable[[str], Any]] = {
    "enigma (REST)": lambda url: bench_enigma(url, live=False),
    "enigma": lambda url: bench_enigma(url, live=True),
    "aiohttp": bench_aiohttp,
    "httpx": bench_httpx,
    "poll": bench_poll,
}

SERVE = """
import sys, time
from enigma.testing import Simulator
sim = Simulator(time_scale=0.3, idle_timeout=1e7, rate_limit=None, max_sessions=100000, initial_balance=1e9)
print(sim.url, flush=True)
sys.stdin.read()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="*", default=[c for c in CLIENTS if c != "poll"], help="clients to run")
    args = parser.parse_args()
    if args.client:  # one client, in its own process
        figures = asyncio.run(CLIENTS[args.client](args.url))
        figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return
    server = subprocess.Popen([sys.executable, "-c", SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    url = server.stdout.readline().strip()
    rows: List[str] = []
    try:
        for name in args.only:
            out = subprocess.run(
                [sys.executable, __file__, "--client", name, "--url", url],
                capture_output=True,
                text=True,
                env=dict(os.environ),
            )
            if out.returncode != 0:
                rows.append(f"| {name} | failed: {out.stderr.strip().splitlines()[-1] if out.stderr else '?'} | | | |")
                continue
            f = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(
                f"| {name} | {f['sequential']:,.0f} | {f['concurrent']:,.0f} | {f['sessions']:,.0f} | {f['peak_rss_mib']:.0f} |"
            )
            print(rows[-1], flush=True)
        # (d) The same sequential poll through the raw core and through the package, one run:
        # alternated, ROUNDS times each, the best of each side (a latency floor is what noise
        # from other processes cannot lower).
        core_runs: List[float] = []
        python_runs: List[float] = []
        for _ in range(ROUNDS):
            core_runs.append(core_poll(url))
            out = subprocess.run(
                [sys.executable, __file__, "--client", "poll", "--url", url], capture_output=True, text=True, check=True
            )
            python_runs.append(json.loads(out.stdout.strip().splitlines()[-1])["us_per_call"])
        core_us, python_us = min(core_runs), min(python_runs)
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(timeout=30)
    print()
    print("| client | (a) sequential calls/s | (b) 1,000 concurrent calls/s | (c) 200 sessions, sessions/s | peak RSS MiB |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(row)
    print()
    print(f"| (d) {POLLS:,} sequential task.poll(), best of {ROUNDS} alternated runs | µs per call | vs the raw core |")
    print("|---|---|---|")
    print(f"| raw Rust core (tokio) | {core_us:.0f} | 1.00x |")
    print(f"| enigma (Python) | {python_us:.0f} | {python_us / core_us:.2f}x |")


if __name__ == "__main__":
    main()
