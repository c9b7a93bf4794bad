"""Batch benchmark: ``client.run_many`` against the code a user would write by hand
(``asyncio.gather`` over ``run_task`` with a semaphore), on one simulator, in one run.

    python python/benchmarks/batch_bench.py [--tasks 1000] [--concurrency 50] [--duration 20]
        [--time-scale 0.01] [--rate-limit N]

The simulator runs in a process of its own (so the client's CPU and peak RSS are the client's),
with the key's limits raised (``--concurrency`` sessions; ``--rate-limit`` POSTs per 60 s,
default off). Each approach runs in a fresh child process with its own key; the parent reads
the simulator's stats before and after. Ideal wall time = tasks x task time / concurrency.
Prints one JSON object per approach, then a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
import urllib.request
from typing import Any, Dict, List


def serve(args: argparse.Namespace) -> None:
    from enigma.testing import Simulator

    rate = args.rate_limit if args.rate_limit > 0 else None
    with Simulator(time_scale=args.time_scale, rate_limit=rate, max_sessions=args.concurrency) as sim:
        print(sim.url, flush=True)
        sys.stdin.read()  # until the parent closes our stdin


def tasks(args: argparse.Namespace) -> List[str]:
    return [f"task {i} #sim duration={args.duration}" for i in range(args.tasks)]


async def runner(args: argparse.Namespace, client: Any) -> int:
    done = 0
    async for item in client.run_many(tasks(args), concurrency=args.concurrency):
        done += item.outcome == "completed"
    return done


async def gather(args: argparse.Namespace, client: Any) -> int:
    semaphore = asyncio.Semaphore(args.concurrency)

    async def one(task: str) -> bool:
        async with semaphore:
            result = await client.run_task(task)
            return result.outcome == "completed"

    results = await asyncio.gather(*(one(t) for t in tasks(args)), return_exceptions=True)
    return sum(r is True for r in results)


def child(args: argparse.Namespace) -> None:
    import enigma

    async def main() -> Dict[str, Any]:
        key = f"enig_bench{args.mode:0>24}"
        async with enigma.AsyncClient(api_key=key, base_url=args.url, poll_interval=max(0.005, args.time_scale)) as client:
            started = time.perf_counter()
            cpu = time.process_time()
            done = await (runner if args.mode == "runner" else gather)(args, client)
            return {"wall": time.perf_counter() - started, "cpu": time.process_time() - cpu, "completed": done}

    out = asyncio.run(main())
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out), flush=True)


def stats(url: str) -> Dict[str, Any]:
    with urllib.request.urlopen(f"{url}/_sim/stats") as answer:
        return json.loads(answer.read())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="simulated seconds per task")
    parser.add_argument("--time-scale", type=float, default=0.01)
    parser.add_argument("--rate-limit", type=int, default=0)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args)
    if args.mode:
        return child(args)
    common = [f"--tasks={args.tasks}", f"--concurrency={args.concurrency}", f"--duration={args.duration}",
              f"--time-scale={args.time_scale}", f"--rate-limit={args.rate_limit}"]
    sim = subprocess.Popen([sys.executable, __file__, "--serve", *common], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert sim.stdout is not None and sim.stdin is not None
    url = sim.stdout.readline().strip()
    ideal = args.tasks * args.duration * args.time_scale / args.concurrency
    rows = []
    try:
        for mode in ("runner", "gather"):
            before = stats(url)
            out = subprocess.run([sys.executable, __file__, f"--mode={mode}", f"--url={url}", *common],
                                 capture_output=True, text=True, check=True)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            after = stats(url)
            requests = after["requests"]["total"] - before["requests"]["total"]
            limited = after["requests"]["rateLimited"] - before["requests"]["rateLimited"]
            result.update(mode=mode, ideal=ideal, of_ideal=ideal / result["wall"],
                          requests_per_task=requests / args.tasks, rate_limited=limited,
                          socket_messages=after["socketMessages"]["total"] - before["socketMessages"]["total"])
            print(json.dumps(result), flush=True)
            rows.append(result)
    finally:
        sim.stdin.close()
        sim.wait()
    print()
    print("| approach | completed | wall s | ideal s | % of ideal | requests/task | 429s | client CPU s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['mode']} | {r['completed']} | {r['wall']:.2f} | {r['ideal']:.2f} | {100 * r['of_ideal']:.0f}% | "
              f"{r['requests_per_task']:.2f} | {r['rate_limited']} | {r['cpu']:.2f} | {r['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    main()
