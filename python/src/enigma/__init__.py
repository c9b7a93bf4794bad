"""Python SDK for Enigma, the hosted AI browser agent.

``enigma.AsyncClient`` (asyncio) and ``enigma.Client`` (sync) drive the same Rust core::

    import enigma

    async with enigma.AsyncClient() as client:          # ENIGMA_API_KEY / ENIGMA_BASE_URL
        async with await client.start_session(starting_url="https://amazon.com") as session:
            task = await session.new_task("Search for 'mechanical keyboard'", max_duration=60_000)
            result = await task.result(timeout=120)
            print(result.outcome, result.message, result.usage.cost)
            async for event in session.events():     # live events (enigma.events)
                print(event)

Errors are in :mod:`enigma.errors` (base :class:`EnigmaError`); logging goes to the ``enigma``
logger; :mod:`enigma.testing` runs the simulator in-process for offline tests.
"""

from . import errors, events
from ._async import AsyncClient, AsyncEventStream, AsyncSession, AsyncTask
from ._batch import AsyncBatch, Batch, BatchItem, BatchResults, BatchSummary, GuardrailQuestion, ItemError
from ._look import LiveView, Timeline
from ._models import ActiveSockets, Health, Outcome, State, TaskResult, TaskStatus, UnendedSession, Usage
from ._native import __version__
from ._sync import Client, EventStream, Session, Task
from .errors import *  # noqa: F401,F403 (EnigmaError and one class per error code)

__all__ = [
    "__version__",
    "errors",
    "events",
    "AsyncClient",
    "AsyncSession",
    "AsyncTask",
    "AsyncEventStream",
    "Client",
    "Session",
    "Task",
    "EventStream",
    "AsyncBatch",
    "Batch",
    "BatchItem",
    "BatchSummary",
    "BatchResults",
    "GuardrailQuestion",
    "ItemError",
    "TaskResult",
    "TaskStatus",
    "Usage",
    "Health",
    "ActiveSockets",
    "UnendedSession",
    "Outcome",
    "State",
    "Timeline",
    "LiveView",
]
__all__ += errors.__all__
