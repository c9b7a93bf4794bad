"""Live events of a session: what ``session.events()`` yields.

One frozen dataclass per kind, all subclasses of :class:`Event`; ``event.type`` names the kind
(``"agent_thought"``, ``"action"``, ``"response_update"``, ``"task_completed"``,
``"guardrail"``, ``"task_error"``, ``"session_ended"``, ``"instance_disconnected"``,
``"instance_reconnected"``, ``"connected"``, ``"disconnected"``, ``"reconnecting"``,
``"connect_error"``, ``"lagged"``, ``"raw"``). Every event has ``raw`` (the payload as the
service sent it; for the SDK's own events, their fields) and ``to_dict()``::

    async for event in session.events():
        if isinstance(event, enigma.events.AgentThought):
            print("thinking:", event.content)
        elif event.type == "task_completed":
            break

Events missed while the live connection was down are not replayed (a ``connected`` event
follows every reconnection). A stream read more slowly than events come holds up to 1,024 unread
events, then drops the oldest and says so with one :class:`Lagged` event (``missed``: how many)
before the newest. A task's outcome is never lost either way: ``task.result()`` checks over REST
after every reconnection, after every gap, and whenever the socket has been silent for a poll
interval.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, Literal, Optional, Type, Union

from ._models import Usage

__all__ = [
    "Event",
    "AnyEvent",
    "AgentThought",
    "Action",
    "ResponseUpdate",
    "TaskCompleted",
    "Guardrail",
    "TaskError",
    "SessionEnded",
    "InstanceDisconnected",
    "InstanceReconnected",
    "Connected",
    "Disconnected",
    "Reconnecting",
    "ConnectError",
    "Lagged",
    "RawEvent",
]


def _raw() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


class Event:
    """Base class of the live events. ``type`` names the kind; ``raw`` is the payload as
    received; ``to_dict()`` gives ``type`` and every field as plain data."""

    type: ClassVar[str] = ""
    raw: Dict[str, Any]

    def to_dict(self) -> Dict[str, Any]:
        """``{"type": ..., **fields}`` as plain data (``usage`` as a dict)."""
        data: Dict[str, Any] = {"type": self.type}
        data.update(dataclasses.asdict(self))  # type: ignore[call-overload]
        return data


@dataclass(frozen=True)
class AgentThought(Event):
    """The agent's live reasoning (service ``message`` of type ``agent``)."""

    type: ClassVar[Literal["agent_thought"]] = "agent_thought"
    task_id: Optional[str]
    content: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Action(Event):
    """A browser action the agent takes: ``name`` (e.g. ``click_element``) on ``target``."""

    type: ClassVar[Literal["action"]] = "action"
    task_id: Optional[str]
    name: str
    target: Optional[str] = None
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class ResponseUpdate(Event):
    """A progress message of the agent."""

    type: ClassVar[Literal["response_update"]] = "response_update"
    task_id: Optional[str]
    message: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class TaskCompleted(Event):
    """A task finished with the agent's final ``message``."""

    type: ClassVar[Literal["task_completed"]] = "task_completed"
    task_id: Optional[str]
    message: str
    usage: Usage = field(default_factory=Usage)
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Guardrail(Event):
    """The agent needs a human: answer ``question`` with ``session.answer_guardrail``."""

    type: ClassVar[Literal["guardrail"]] = "guardrail"
    task_id: Optional[str]
    question: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class TaskError(Event):
    """A task failed: the service's ``code`` (e.g. ``NAVIGATION_TIMEOUT``) and ``error`` text."""

    type: ClassVar[Literal["task_error"]] = "task_error"
    task_id: Optional[str]
    code: str
    error: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class SessionEnded(Event):
    """The session ended; ``reason`` is ``completed``, ``terminated``, ``expired``,
    ``terminateOnCompletion`` or ``instance_lost``. The stream ends after it."""

    type: ClassVar[Literal["session_ended"]] = "session_ended"
    reason: str
    message: Optional[str] = None
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class InstanceDisconnected(Event):
    """The browser instance lost its connection; it has ``grace_period_ms`` to come back."""

    type: ClassVar[Literal["instance_disconnected"]] = "instance_disconnected"
    message: Optional[str] = None
    grace_period_ms: Optional[int] = None
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class InstanceReconnected(Event):
    """The browser instance is back."""

    type: ClassVar[Literal["instance_reconnected"]] = "instance_reconnected"
    message: Optional[str] = None
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Connected(Event):
    """The live connection is (again) up. Events missed while it was down are not replayed."""

    type: ClassVar[Literal["connected"]] = "connected"
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Disconnected(Event):
    """The live connection dropped (``reason`` in Socket.IO's words); ``will_reconnect`` says
    whether the SDK tries again."""

    type: ClassVar[Literal["disconnected"]] = "disconnected"
    reason: str
    will_reconnect: bool
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Reconnecting(Event):
    """A reconnection attempt (1-based ``attempt``) starts."""

    type: ClassVar[Literal["reconnecting"]] = "reconnecting"
    attempt: int
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class ConnectError(Event):
    """The live connection could not be had (e.g. the session no longer exists, or
    ``live_events=False``); the stream ends after it."""

    type: ClassVar[Literal["connect_error"]] = "connect_error"
    message: str
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class Lagged(Event):
    """This stream was read too slowly and skipped ``missed`` events (the oldest unread ones);
    the stream goes on with the newest. Waits on tasks are not affected."""

    type: ClassVar[Literal["lagged"]] = "lagged"
    missed: int
    raw: Dict[str, Any] = _raw()


@dataclass(frozen=True)
class RawEvent(Event):
    """An event this SDK does not know (Socket.IO event ``name``), passed through untouched."""

    type: ClassVar[Literal["raw"]] = "raw"
    name: str
    payload: Any = None
    raw: Dict[str, Any] = _raw()


AnyEvent = Union[
    AgentThought,
    Action,
    ResponseUpdate,
    TaskCompleted,
    Guardrail,
    TaskError,
    SessionEnded,
    InstanceDisconnected,
    InstanceReconnected,
    Connected,
    Disconnected,
    Reconnecting,
    ConnectError,
    Lagged,
    RawEvent,
]
"""Every event class: what the iterators of ``session.events()`` are annotated with."""

_CLASSES: Dict[str, Type[Event]] = {
    cls.type: cls
    for cls in (
        AgentThought,
        Action,
        ResponseUpdate,
        TaskCompleted,
        Guardrail,
        TaskError,
        SessionEnded,
        InstanceDisconnected,
        InstanceReconnected,
        Connected,
        Disconnected,
        Reconnecting,
        ConnectError,
        Lagged,
        RawEvent,
    )
}


def _from_json(data: Dict[str, Any]) -> Event:
    """The event of the core's JSON form (``Event::to_json``); called by the extension."""
    fields = dict(data)
    kind = fields.pop("type", "")
    cls = _CLASSES.get(kind)
    if cls is None:  # a kind newer than this package: pass it through
        return RawEvent(name=str(kind), payload=fields, raw=fields)
    if "usage" in fields:
        fields["usage"] = Usage(**(fields["usage"] or {}))
    if cls is RawEvent:
        payload = fields.get("payload")
        fields["raw"] = payload if isinstance(payload, dict) else {}
    elif "raw" not in fields:  # the SDK's own events: their fields
        fields["raw"] = dict(data)
    elif not isinstance(fields["raw"], dict):
        fields["raw"] = {"value": fields["raw"]}
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in fields.items() if k in known})
