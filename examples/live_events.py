"""Live events printed as they come: the agent's thoughts and actions, then the outcome.

    python examples/live_events.py
"""

import asyncio

from enigma import events

import _common


async def main() -> None:
    async with _common.async_client() as client:
        async with await client.start_session(starting_url="https://news.ycombinator.com") as session:
            task = None
            async for event in session.events():
                if isinstance(event, events.Connected) and task is None:
                    # Events are not replayed: start the work once the stream is live.
                    task = await session.new_task(_common.task("Find the top story", "#sim steps=4"))
                elif isinstance(event, events.AgentThought):
                    print("thinking:", event.content)
                elif isinstance(event, events.Action):
                    print("doing:   ", event.name, event.target or "")
                elif isinstance(event, events.TaskCompleted):
                    print("done:    ", event.message)
                    break
                elif isinstance(event, (events.TaskError, events.Guardrail, events.SessionEnded)):
                    print("ended:   ", event)
                    break


asyncio.run(main())
