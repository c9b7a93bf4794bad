"""Batches: many tasks under one key (``client.run_many``), run by the Rust core's batch runner.

The core paces creates from the rate-limit headers, keeps to the key's sessions, holds the
budget, journals every task's states and owns the end of every session it opens. This module
only turns its items into Python objects, calls ``on_guardrail`` for questions, and draws a
progress bar (``tqdm``, when installed).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, TypedDict, Union, cast

from . import _native as _ext
from ._models import TaskResult, Usage
from ._tqdm import bar_class

if TYPE_CHECKING:
    from ._look import Timeline

__all__ = [
    "AsyncBatch",
    "Batch",
    "BatchItem",
    "BatchResults",
    "BatchSummary",
    "GuardrailQuestion",
    "ItemError",
    "TaskSpec",
]

#: A task: its text, or a dict of ``task_details`` (or ``task``), ``id`` and options
#: (``starting_url``, ``max_duration``, ``max_input_tokens``, ``max_output_tokens``,
#: ``avoid_domains``, ``max_cost``, ``timeout`` in seconds).
TaskSpec = Union[str, Mapping[str, Any]]


class BatchSummary(TypedDict):
    """How a batch ended (``batch.summary``): a dict, typed. The keys are the core's
    (``enigma::BatchSummary``)."""

    #: Tasks in the input.
    total: int
    #: Tasks ended in this run, per outcome (``completed``, ``guardrail``...), every outcome listed.
    outcomes: Dict[str, int]
    #: Tasks finished by an earlier run (from the journal).
    previously_done: int
    #: Tasks never started (the budget was reached, or the batch was cancelled).
    not_started: int
    #: Tasks interrupted by cancelling the batch (a rerun runs them).
    cancelled: int
    #: USD spent by the tasks of this run.
    spent: float
    #: The budget, USD.
    budget: Optional[float]
    #: Whether the budget was reached.
    budget_reached: bool
    #: Whether the batch was cancelled.
    was_cancelled: bool
    #: Wall time, seconds.
    wall_secs: float
    #: The journal's torn last line (1-based) dropped on opening, if there was one.
    journal_torn_line: Optional[int]
    #: The concurrency at the end.
    concurrency_end: int


@dataclass(frozen=True)
class ItemError:
    """What ended a task: the core's ``code`` (``task_failed``, ``cost_limit``, ``budget``,
    ``outcome_unknown``, ``validation``...), the text, and the service's own code."""

    code: str
    message: str
    server_code: Optional[str] = None


@dataclass(frozen=True)
class GuardrailQuestion:
    """A question of a batch task for ``on_guardrail``."""

    index: int
    id: Optional[str]
    question: str
    session_id: str
    task_id: str


@dataclass(frozen=True)
class BatchItem:
    """One task's end. ``outcome``: ``completed``, ``guardrail``, ``stopped``, ``failed``,
    ``unknown`` (its create's answer was lost: it may have run; never resubmitted unless
    ``retry_unknown``) or ``skipped`` (invalid input, with ``skip_invalid``)."""

    index: int
    id: Optional[str]
    outcome: str
    message: Optional[str]
    question: Optional[str]
    usage: Usage
    error: Optional[ItemError]
    session_id: Optional[str]
    task_id: Optional[str]
    timings: Dict[str, Any] = field(default_factory=dict)
    reattached: bool = False

    @property
    def result(self) -> Optional[TaskResult]:
        """The task's result when it has one (completed, guardrail, stopped)."""
        if self.outcome not in ("completed", "guardrail", "stopped") or not self.task_id:
            return None
        return TaskResult(
            outcome=self.outcome,  # type: ignore[arg-type]
            message=self.message,
            question=self.question,
            usage=self.usage,
            task_id=self.task_id,
            session_id=self.session_id or "",
        )

    def to_dict(self) -> Dict[str, Any]:
        """Every field as plain data."""
        return dataclasses.asdict(self)

    @staticmethod
    def _from_native(data: Dict[str, Any]) -> "BatchItem":
        error = data.get("error")
        return BatchItem(
            index=data["index"],
            id=data.get("id"),
            outcome=data["outcome"],
            message=data.get("message"),
            question=data.get("question"),
            usage=Usage(**(data.get("usage") or {})),
            error=ItemError(error["code"], error["message"], error.get("serverCode")) if error else None,
            session_id=data.get("sessionId"),
            task_id=data.get("taskId"),
            timings=data.get("timings") or {},
            reattached=bool(data.get("reattached")),
        )


class BatchResults(List[BatchItem]):
    """The items of a batch, in completion order."""

    def to_pandas(self) -> Any:
        """A ``pandas.DataFrame``, one row per task (needs ``pandas``)."""
        try:
            # Imported by name: an optional extra, with no stubs needed to type-check this module.
            pandas = importlib.import_module("pandas")
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_pandas() needs pandas: pip install pandas") from exc
        rows = []
        for item in self:
            row = {k: v for k, v in item.to_dict().items() if k not in ("usage", "error", "timings")}
            row.update({f"usage_{k}": v for k, v in item.usage.to_dict().items()})
            row["error_code"] = item.error.code if item.error else None
            row["error"] = item.error.message if item.error else None
            row["duration_secs"] = item.timings.get("durationSecs")
            rows.append(row)
        return pandas.DataFrame(rows)


def _options(
    concurrency: int,
    budget: Optional[float],
    journal: Union[None, str, "os.PathLike[str]"],
    tasks_per_session: int,
    retry_unknown: bool,
    skip_invalid: bool,
) -> Dict[str, Any]:
    return {
        "concurrency": concurrency,
        "budget": budget,
        "journal": os.fspath(journal) if journal is not None else None,
        "tasks_per_session": tasks_per_session,
        "retry_unknown": retry_unknown,
        "skip_invalid": skip_invalid,
    }


def _tasks(tasks: Iterable[TaskSpec]) -> List[Any]:
    return [t if isinstance(t, str) else dict(t) for t in tasks]


class _Bar:
    """A tqdm bar when asked and installed: the notebook widget in Jupyter when ipywidgets is
    there too, else the text bar (``_tqdm.py``)."""

    def __init__(self, wanted: bool, native: Any) -> None:
        self._bar = None
        if not wanted:
            return
        tqdm = bar_class()
        if tqdm is None:
            return
        progress = native.progress()
        self._bar = tqdm(total=progress["total"] - progress["previously_done"], unit="task")

    def update(self, native: Any) -> None:
        if self._bar is None:
            return
        self._bar.update(1)
        self._bar.set_postfix_str(self._status(native.progress()))

    def rate_limit(self, native: Any, wait: Dict[str, Any]) -> None:
        """A wait for the key's rate limit began: the bar says so (the core words it)."""
        if self._bar is not None:
            self._bar.set_postfix_str(f"{wait['message']} · {self._status(native.progress())}")

    @staticmethod
    def _status(progress: Dict[str, Any]) -> str:
        budget = f"/{progress['budget']:.2f}" if progress.get("budget") else ""
        return (
            f"running {progress['running']} failed {progress['failed']} queued {progress['queued']} "
            f"${progress['spent']:.2f}{budget}"
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


class _BatchBase:
    def __init__(
        self,
        client: Any,
        tasks: Iterable[TaskSpec],
        options: Dict[str, Any],
        on_guardrail: Optional[Callable[..., Any]],
        progress: bool,
    ) -> None:
        self._native: Any = client.run_many(_tasks(tasks), options, on_guardrail is not None)
        self._on_guardrail = on_guardrail
        self.results = BatchResults()
        self._bar = _Bar(progress, self._native)
        self._summary: Optional[BatchSummary] = None

    @property
    def summary(self) -> Optional[BatchSummary]:
        """After iteration (else ``None``): a :class:`BatchSummary` dict, counts per outcome
        (``outcomes``), ``spent``, ``budget``, ``budget_reached``, ``not_started``,
        ``previously_done``, ``cancelled``, ``wall_secs``..."""
        if self._summary is None:
            raw = self._native.summary()
            if raw is not None:
                self._summary = cast(BatchSummary, raw)
        return self._summary

    def progress(self) -> Dict[str, Any]:
        """Where the batch stands: ``total``, ``done``, ``failed``, ``running``, ``queued``,
        ``spent``, ``budget``, ``concurrency``, ``rate_limit_wait`` (the wait for the key's rate
        limit under way, its ``message`` as the bar shows it, else ``None``), ``rate_limit_waits``..."""
        progress: Dict[str, Any] = self._native.progress()
        return progress

    def cancel(self) -> None:
        """Stops the batch: no new task starts and every session it opened is terminated."""
        self._native.cancel()

    def timeline(self) -> "Timeline":
        """The batch's picture so far: a bar per ended task, grouped by session, coloured by
        outcome; the spend against the budget. Shown inline in a notebook (as is the batch)."""
        from ._look import Timeline

        return Timeline(str(_ext.batch_timeline(self._native)))

    def _repr_html_(self) -> str:
        return self.timeline().html

    def _took(self, data: Dict[str, Any]) -> BatchItem:
        item = BatchItem._from_native(data)
        self.results.append(item)
        self._bar.update(self._native)
        return item

    def _question(self, data: Dict[str, Any]) -> GuardrailQuestion:
        q = data["question"]
        return GuardrailQuestion(q["index"], q.get("id"), q["question"], q["session_id"], q["task_id"])


class AsyncBatch(_BatchBase):
    """``async for item in client.run_many(tasks, ...)``: items in completion order. Leaving the
    loop early (``break``), or ``await batch.aclose()``, cancels the batch and waits until its
    sessions are terminated."""

    def __aiter__(self) -> "AsyncBatch":
        return self

    async def __anext__(self) -> BatchItem:
        while True:
            data = await self._native.next()
            if data is None:
                self._bar.close()
                raise StopAsyncIteration
            if "rate_limit_wait" in data:
                self._bar.rate_limit(self._native, data["rate_limit_wait"])
                continue
            if "token" in data:
                answer = self._on_guardrail(self._question(data)) if self._on_guardrail else None
                if inspect.isawaitable(answer):
                    answer = await answer
                self._native.answer(data["token"], answer)
                continue
            return self._took(data)

    async def aclose(self) -> None:
        """Cancels the batch (if running) and waits for its end."""
        self._native.cancel()
        self._summary = cast(BatchSummary, await self._native.finished())
        self._bar.close()

    async def __aenter__(self) -> "AsyncBatch":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class Batch(_BatchBase):
    """``for item in client.run_many(tasks, ...)``: items in completion order. ``close()`` (or
    a ``with`` block) cancels the batch and waits until its sessions are terminated."""

    def __iter__(self) -> Iterator[BatchItem]:
        return self

    def __next__(self) -> BatchItem:
        while True:
            data = self._native.next()
            if data is None:
                self._bar.close()
                raise StopIteration
            if "rate_limit_wait" in data:
                self._bar.rate_limit(self._native, data["rate_limit_wait"])
                continue
            if "token" in data:
                answer = self._on_guardrail(self._question(data)) if self._on_guardrail else None
                self._native.answer(data["token"], answer)
                continue
            return self._took(data)

    def close(self) -> None:
        """Cancels the batch (if running) and waits for its end."""
        self._native.cancel()
        self._summary = cast(BatchSummary, self._native.finished())
        self._bar.close()

    def __enter__(self) -> "Batch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


GuardrailCallback = Callable[[GuardrailQuestion], Union[Optional[str], Awaitable[Optional[str]]]]

