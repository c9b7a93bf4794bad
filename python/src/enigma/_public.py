"""The public handle classes of each mode, as ``_async.py`` and ``_sync.py`` register them: how
the layers below (an exception's ``task``, an unpickled handle) wrap a native handle in the class
its caller holds (``AsyncTask`` for the asyncio API, ``Task`` for the sync one) without importing
the modules that define those classes, which import them."""

from __future__ import annotations

from typing import Any, Dict, Tuple

# (kind, blocking) -> class; kind is "client", "session" or "task".
_CLASSES: Dict[Tuple[str, bool], Any] = {}


def register(blocking: bool, *, client: Any, session: Any, task: Any) -> None:
    """The public classes of the mode whose native calls block (sync) or not (asyncio)."""
    _CLASSES.update({("client", blocking): client, ("session", blocking): session, ("task", blocking): task})


def wrap_client(native: Any) -> Any:
    """A native client in the public client class of its mode."""
    return _CLASSES[("client", native.blocking)]._wrap(native)


def wrap_session(native: Any, client: Any = None) -> Any:
    """A native session in the public session class of its mode."""
    return _CLASSES[("session", native.blocking)](native, client)


def wrap_task(native: Any, client: Any = None) -> Any:
    """A native task in the public task class of its mode."""
    return _CLASSES[("task", native.blocking)](native, client)
