"""Typed results: what waits, polls and health checks return. ``Usage``, ``TaskResult`` and
``TaskStatus`` are generated from the core's types (``_schema_models.py``); the service's own
answers below are this package's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from ._schema_models import Outcome, State, TaskResult, TaskStatus, Usage

__all__ = ["Usage", "TaskResult", "TaskStatus", "Health", "ActiveSockets", "Outcome", "State"]


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
