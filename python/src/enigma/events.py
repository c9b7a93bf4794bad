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
from typing import Any, ClassVar, Dict, Optional, Type  # noqa: F401 (ClassVar, Optional: annotations of classes shown as this module's)

from . import _schema_events
from ._event_base import Event
from ._schema_events import *  # noqa: F401,F403 (the classes, generated from the core's events)
from ._schema_events import CLASSES, RawEvent
from ._schema_models import Usage

__all__ = ["Event"]
__all__ += _schema_events.__all__

_CLASSES: Dict[str, Type[Event]] = CLASSES


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
