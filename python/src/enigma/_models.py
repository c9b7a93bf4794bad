"""Typed results: what waits, polls and health checks return."""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from typing import Literal

__all__ = ["Usage", "TaskResult", "TaskStatus", "Health", "ActiveSockets", "Outcome", "State"]

Outcome = Literal["completed", "guardrail", "stopped"]
State = Literal["running", "completed", "guardrail", "failed", "stopped", "terminated"]


def _short(text: Optional[str], limit: int = 120) -> Optional[str]:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


@dataclass(frozen=True)
class Usage:
    """Tokens, time (seconds) and cost (USD) of a task; every field may be unknown (None)."""

    input_tokens: Optional[int] = None
    output_tokens: Optional[int] = None
    total_tokens: Optional[int] = None
    compute_time: Optional[float] = None
    completion_time: Optional[float] = None
    cost: Optional[float] = None

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a plain dict."""
        return dataclasses.asdict(self)

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items() if v is not None)
        return f"Usage({shown})"


@dataclass(frozen=True, repr=False)
class TaskResult:
    """How a task ended: ``outcome`` is ``"completed"`` (see ``message``), ``"guardrail"`` (the
    agent asks ``question``: answer it with ``session.answer_guardrail`` and wait again) or
    ``"stopped"``. A failure is not a result: it raises ``TaskFailedError``."""

    outcome: Outcome
    message: Optional[str]
    question: Optional[str]
    usage: Usage
    task_id: str
    session_id: str
    completed_at: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> Dict[str, Any]:
        """Every field as plain data (``usage`` as a dict, ``raw`` as received)."""
        return dataclasses.asdict(self)

    def __repr__(self) -> str:
        said = f"question={_short(self.question)!r}" if self.outcome == "guardrail" else f"message={_short(self.message)!r}"
        return (
            f"TaskResult(outcome={self.outcome!r}, {said}, usage={self.usage!r}, "
            f"task_id={self.task_id!r}, session_id={self.session_id!r})"
        )


    def _repr_html_(self) -> str:
        """How Jupyter shows a result: outcome, the message (or question), usage and ids."""
        colour = {"completed": "#2a7", "guardrail": "#c80", "stopped": "#888"}.get(self.outcome, "#888")
        said, label = (self.question, "question") if self.outcome == "guardrail" else (self.message, "message")
        usage = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in self.usage.to_dict().items() if v is not None)
        rows = [(label, said or ""), ("usage", usage or "unknown"), ("task", self.task_id), ("session", self.session_id)]
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td style='text-align:left'>{html.escape(str(v))}</td></tr>"
            for k, v in rows
        )
        return (
            f"<div><b>Enigma task result</b> <span style='color:{colour}'>● {html.escape(self.outcome)}</span>"
            f"<table>{body}</table>{self._timeline_html()}</div>"
        )

    def _timeline_html(self) -> str:
        """The task's picture, as the core draws it (the same as a session's timeline)."""
        from . import _native

        try:
            return str(_native.result_timeline(self.to_dict()))
        except Exception:  # a hand-made result the core cannot read: the table alone
            return ""


@dataclass(frozen=True, repr=False)
class TaskStatus:
    """One look at a task (``task.poll()``): ``state`` is ``"running"`` (``paused`` says if
    paused), ``"completed"``, ``"guardrail"``, ``"failed"``, ``"stopped"`` or ``"terminated"``."""

    state: State
    usage: Usage
    paused: bool = False
    message: Optional[str] = None
    question: Optional[str] = None
    error_code: Optional[str] = None
    error: Optional[str] = None
    completed_at: Optional[str] = None
    done: bool = False
    """True for every state but ``running``: the core's answer (``TaskState::is_final``)."""
    raw: Dict[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> Dict[str, Any]:
        """Every field as plain data."""
        return dataclasses.asdict(self)

    def __repr__(self) -> str:
        extra = ""
        if self.state == "running":
            extra = f", paused={self.paused}"
        elif self.state == "completed":
            extra = f", message={_short(self.message)!r}"
        elif self.state == "guardrail":
            extra = f", question={_short(self.question)!r}"
        elif self.state == "failed":
            extra = f", error_code={self.error_code!r}, error={_short(self.error)!r}"
        return f"TaskStatus(state={self.state!r}{extra}, usage={self.usage!r})"


@dataclass(frozen=True)
class Health:
    """``GET /start/health``."""

    status: str
    instances_available: Optional[bool] = None
    instance_count: Optional[int] = None
    timestamp: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class ActiveSockets:
    """``GET /start/active-sockets``."""

    sockets: List[str]
    count: int
    raw: Dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class UnendedSession:
    """A session the local ledger saw opened and never saw end (a process that died left it),
    and what the service said of it: ``state`` is ``"open"``, ``"ended"``, ``"terminated"``
    (by this call), ``"unknown"`` (the service could not be asked) or ``"other_key_or_host"``
    (opened with another key or base URL: not asked). ``opened_at`` is Unix time in seconds."""

    session_id: str
    state: str
    opened_at: int
    age_secs: int
    key_last4: Optional[str]
    base_url: str
    pid: int
    process_alive: Optional[bool]
    command: str
    detail: Optional[str] = None
