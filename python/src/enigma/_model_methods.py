"""What the data classes do beyond holding their fields: reprs, ``to_dict()``, Jupyter's view.
Mixed into the generated classes of ``_schema_models.py``; their fields come from the core."""

from __future__ import annotations

import dataclasses
import html
from typing import Any, Dict, Optional


def _short(text: Optional[str], limit: int = 120) -> Optional[str]:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


class _Fields:
    def to_dict(self) -> Dict[str, Any]:
        """Every field as plain data (``usage`` as a dict, ``raw`` as received)."""
        return dataclasses.asdict(self)  # type: ignore[call-overload, no-any-return]


class UsageMethods(_Fields):
    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items() if v is not None)
        return f"Usage({shown})"


class TaskResultMethods(_Fields):
    outcome: str
    message: Optional[str]
    question: Optional[str]
    usage: UsageMethods
    task_id: str
    session_id: str

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


class TaskStatusMethods(_Fields):
    state: str
    paused: bool
    message: Optional[str]
    question: Optional[str]
    error_code: Optional[str]
    error: Optional[str]
    usage: UsageMethods

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
