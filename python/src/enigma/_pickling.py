"""Pickling handles: a session or task travels as ids plus client settings, never the key; the
receiving process makes (once per settings) a client that takes its key from its own
environment, and wraps the handle in the class of the sender's mode."""

from __future__ import annotations

import os
from typing import Any, Dict, Tuple

from . import _native as _ext
from . import _public

Settings = Dict[str, Any]

_CLIENTS: Dict[Tuple[Any, ...], _ext.Client] = {}


def _client_for(settings: Settings, blocking: bool) -> _ext.Client:
    key = (os.getpid(), blocking, tuple(sorted((k, repr(v)) for k, v in settings.items())))
    client = _CLIENTS.get(key)
    if client is None:
        client = _ext.Client(dict(settings), blocking=blocking)
        _CLIENTS[key] = client
    return client


def reattach_session(session_id: str, settings: Settings, blocking: bool) -> Any:
    return _public.wrap_session(_client_for(settings, blocking).session(session_id))


def reattach_task(session_id: str, task_id: str, settings: Settings, blocking: bool) -> Any:
    return _public.wrap_task(_client_for(settings, blocking).task(session_id, task_id))
