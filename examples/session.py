"""A session with several tasks, one after the other, in the same browser (asyncio).

    python examples/session.py
"""

import asyncio

import _common

STEPS = [
    "Search Wikipedia for 'Ada Lovelace'",
    "Open the article about her",
    "Find the year she was born",
]


async def main() -> None:
    async with _common.async_client() as client:
        async with await client.start_session(starting_url="https://en.wikipedia.org") as session:
            print("session", session.id, "live view:", session.live_view_url)
            for step in STEPS:
                task = await session.new_task(_common.task(step))
                result = await task.result(timeout=120)
                print(f"{step!r} -> {result.outcome}: {result.message}")
        # leaving the block terminated the session


asyncio.run(main())
