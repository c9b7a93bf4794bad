"""The base class of the live events; the classes themselves are generated from the core's
``enigma::Event`` (``_schema_events.py``)."""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Any, ClassVar, Dict


def _raw() -> Any:
    return field(default_factory=dict, repr=False, compare=False)


class Event:
    """Base class of the live events. ``type`` names the kind; ``raw`` is the payload as
    received; ``to_dict()`` gives ``type`` and every field as plain data."""

    type: ClassVar[str] = ""
    #: The payload as received (each event's own, set when it is made; the class value is only
    #: there so that documentation tools find the field on a class shown as `enigma.events`').
    raw: Dict[str, Any] = {}  # noqa: RUF012
    __module__ = "enigma.events"

    def to_dict(self) -> Dict[str, Any]:
        """``{"type": ..., **fields}`` as plain data (``usage`` as a dict)."""
        data: Dict[str, Any] = {"type": self.type}
        data.update(dataclasses.asdict(self))  # type: ignore[call-overload]
        return data
