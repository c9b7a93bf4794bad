"""Thousands of live sessions in one Python process (issue 23): the process's memory per open
live session. The simulator runs in a process of its own (``enigma sim``, from this package),
so this process's RSS is the SDK's alone. Each session gets one long task and a waiter on its
result over the socket, the state a backend serving many users holds.

    python python/benchmarks/many_sessions.py --sessions 10000

The latency figure (emit to result with many tasks ending together) is the Rust benchmark's
(``cargo bench -p enigma --bench many_sessions``): the waiting is the core's, in every language.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

import enigma

HOLD_TASK = "Hold the session open #sim duration=80000 steps=1"


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start_simulator(sessions: int) -> "tuple[subprocess.Popen[str], str]":
    code = "import sys, enigma._cli as c; sys.argv[0] = 'enigma'; c.main()"
    args = ["sim", "--max-sessions", str(sessions * 2), "--rate-limit", "0", "--time-scale", "1"]
    sim = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    assert sim.stdout is not None
    for line in sim.stdout:
        if "listening on" in line:
            return sim, line.split("listening on", 1)[1].strip()
    raise SystemExit("the simulator did not start")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=2000)
    sessions = parser.parse_args().sessions
    sim, url = start_simulator(sessions)
    os.environ["ENIGMA_LEDGER"] = "off"
    try:
        async with enigma.AsyncClient(api_key="enig_benchmanysessions0000000000", base_url=url) as client:
            before = rss_kib()
            started = time.monotonic()
            held, waiters = [], []
            for first in range(0, sessions, 100):
                opened = await asyncio.gather(
                    *(client.start_session(task_details=HOLD_TASK) for _ in range(first, min(first + 100, sessions)))
                )
                for session in opened:
                    held.append(session)
                    waiters.append(asyncio.ensure_future(session.initial_task.result()))
            await asyncio.sleep(3)  # every waiter on its socket
            after = rss_kib()
            took = time.monotonic() - started
            print(f"{sessions} live sessions, each with one task and a waiter on its result (Python {sys.version.split()[0]})")
            print(f"| process | RSS before | RSS with the sessions open | per session |")
            print(f"|---|---|---|---|")
            print(f"| Python | {before // 1024} MiB | {after // 1024} MiB | {(after - before) / sessions:.0f} KiB |")
            print(f"opened {sessions / took:.0f} sessions/s")
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*(session.terminate() for session in held))
    finally:
        sim.terminate()
        sim.wait()


if __name__ == "__main__":
    asyncio.run(main())
