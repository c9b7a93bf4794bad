"""What the sync and async layers share: wrapping native handles, re-attaching handles in
another process (pickling), and what happens to open sessions at interpreter exit."""

from __future__ import annotations

import atexit
import html
import logging
import os
import warnings
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

from . import _native as _ext
from . import _signals
from .errors import OpenSessionWarning

if TYPE_CHECKING:
    from ._async import AsyncClient, AsyncSession, AsyncTask
    from ._sync import Client, Session, Task

log = logging.getLogger("enigma")

Settings = Dict[str, Any]

# The `blocking` flag of a native client: the asyncio API's calls return awaitables, the sync
# API's block the calling thread. (`_sync.py` is generated from `_async.py`, which names the
# first; the generator turns the name into the second.)
NON_BLOCKING = False
BLOCKING = True

# ---------------------------------------------------------------------------------------------
# Wrapping native objects in the public classes of their mode.


def options(args: Dict[str, Any], *skip: str) -> Dict[str, Any]:
    """A call's options from its ``locals()``: every argument given (not None) but ``self`` and
    ``skip``. The core reads and checks them by name, so a public signature is the one place
    where Python spells an option (``tests/test_option_signatures.py`` checks it against the
    core's field list)."""
    return {k: v for k, v in args.items() if v is not None and k != "self" and k not in skip}


def wrap_client(native: _ext.Client) -> "Union[AsyncClient, Client]":
    if native.blocking:
        from ._sync import Client

        return Client._wrap(native)
    from ._async import AsyncClient

    return AsyncClient._wrap(native)


def wrap_session(native: _ext.Session, client: Any = None) -> "Union[AsyncSession, Session]":
    if native.blocking:
        from ._sync import Session

        return Session(native, client)
    from ._async import AsyncSession

    return AsyncSession(native, client)


def wrap_task(native: _ext.Task, client: Any = None) -> "Union[AsyncTask, Task]":
    if native.blocking:
        from ._sync import Task

        return Task(native, client)
    from ._async import AsyncTask

    return AsyncTask(native, client)


# ---------------------------------------------------------------------------------------------
# Pickling: a handle travels as ids plus client settings, never the key; the receiving process
# makes (once per settings) a client that takes its key from its own environment.

_CLIENTS: Dict[Tuple[Any, ...], _ext.Client] = {}


def _client_for(settings: Settings, blocking: bool) -> _ext.Client:
    key = (os.getpid(), blocking, tuple(sorted((k, repr(v)) for k, v in settings.items())))
    client = _CLIENTS.get(key)
    if client is None:
        client = _ext.Client(dict(settings), blocking=blocking)
        _CLIENTS[key] = client
    return client


def reattach_session(session_id: str, settings: Settings, blocking: bool) -> Any:
    return wrap_session(_client_for(settings, blocking).session(session_id))


def reattach_task(session_id: str, task_id: str, settings: Settings, blocking: bool) -> Any:
    return wrap_task(_client_for(settings, blocking).task(session_id, task_id))


# ---------------------------------------------------------------------------------------------
# Shared behaviour of the public classes.


class ClientBase:
    _native: _ext.Client
    _terminate_on_exit: bool
    _pid: int

    def _init(
        self,
        settings: Dict[str, Any],
        terminate_on_exit: bool,
        handle_signals: Optional[bool],
        blocking: bool,
    ) -> None:
        # `settings`: the core's settings the caller gave (`options(locals())`), by their core
        # names; the core reads and checks them, the rest are its `ENIGMA_*`-or-default.
        self._native = _ext.Client(settings, blocking=blocking)
        self._terminate_on_exit = terminate_on_exit
        self._handle_signals = _signals.enabled_by_env() if handle_signals is None else bool(handle_signals)
        self._pid = os.getpid()

    def _adopt(self, native: _ext.Client) -> None:
        self._native = native
        self._terminate_on_exit = False
        self._handle_signals = _signals.enabled_by_env()
        self._pid = os.getpid()

    @property
    def base_url(self) -> str:
        """The service's base URL."""
        return self._native.base_url

    @property
    def terminate_on_exit(self) -> bool:
        """Whether sessions still open at interpreter exit are terminated (else: a warning)."""
        return self._terminate_on_exit

    def open_session_ids(self) -> List[str]:
        """Ids of sessions started through this client and not terminated through it."""
        return self._native.open_session_ids()

    @property
    def handle_signals(self) -> bool:
        """Whether SIGTERM terminates this client's open sessions (see ``enigma._signals``)."""
        return self._handle_signals

    def _started_session(self) -> None:
        _STARTED[id(self)] = self
        _signals.session_opened(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._native.base_url!r}, api_key={self._native.api_key_hint!r})"


class SessionBase:
    _native: _ext.Session
    _client_obj: Any

    def __init__(self, native: _ext.Session, client: Any = None) -> None:
        self._native = native
        self._client_obj = client

    @property
    def id(self) -> str:
        """The session id."""
        return self._native.id

    @property
    def live_view_url(self) -> Optional[str]:
        """The page showing the browser live (None on a re-attached handle)."""
        return self._native.live_view_url

    @property
    def info(self) -> Optional[Dict[str, Any]]:
        """The start answer as a dict (live-view URLs, expiry, balance...); None if re-attached."""
        return self._native.info

    @property
    def is_terminated(self) -> bool:
        """Whether this handle terminated the session."""
        return self._native.is_terminated

    @property
    def state(self) -> str:
        """``"terminated"`` once terminated through this handle, else ``"open"``."""
        return "terminated" if self._native.is_terminated else "open"

    def __reduce__(self) -> Any:
        return (reattach_session, (self.id, self._native.client.settings(), self._native.blocking))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={self.id!r} state={self.state!r} live_view_url={self.live_view_url!r}>"

    def _repr_html_(self) -> str:
        link = (
            f' · <a href="{html.escape(self.live_view_url)}" target="_blank">live view</a>'
            if self.live_view_url
            else ""
        )
        colour = "#888" if self.is_terminated else "#2a7"
        return (
            f"<div><b>Enigma session</b> <code>{html.escape(self.id)}</code> "
            f'<span style="color:{colour}">● {html.escape(self.state)}</span>{link}</div>'
        )


class TaskBase:
    _native: _ext.Task
    _client_obj: Any

    def __init__(self, native: _ext.Task, client: Any = None) -> None:
        self._native = native
        self._client_obj = client

    @property
    def id(self) -> Optional[str]:
        """The task id; ``None`` until the service names the task. The service holds the answer
        to a new task up to 50 s; some services name the task earlier, on its first event.
        ``wait_for_id()`` waits for it."""
        return self._native.id

    @property
    def session_id(self) -> str:
        """The id of the task's session."""
        return self._native.session_id

    def __reduce__(self) -> Any:
        if self.id is None:
            raise TypeError("a task the service has not named yet cannot be pickled: wait_for_id() first")
        return (reattach_task, (self.session_id, self.id, self._native.client.settings(), self._native.blocking))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={self.id!r} session_id={self.session_id!r}>"


# ---------------------------------------------------------------------------------------------
# Interpreter exit: let detached work (terminates of `with` blocks) and the core's background
# cleanups (terminates of sessions whose call was cancelled, e.g. by Ctrl-C while a start's
# answer was on its way) finish, within EXIT_WAIT seconds; deal with sessions still open
# (terminate them, or name them in a warning); then stop the runtime before Python finalizes,
# so no Rust thread calls into a finalizing interpreter.

EXIT_WAIT = 5.0

_STARTED: Dict[int, ClientBase] = {}


def _at_exit() -> None:
    try:
        _ext.drain(EXIT_WAIT)
        for client in list(_STARTED.values()):
            if client._pid != os.getpid():
                continue
            ids = client._native.open_session_ids()
            if not ids:
                continue
            if client._terminate_on_exit:
                log.info("terminating sessions still open at exit: %s", ", ".join(ids))
                failures = client._native.with_mode(blocking=True).terminate_open_sessions()
                for session_id, error in failures:
                    log.warning("could not terminate session %s at exit: %s", session_id, error)
            else:
                warnings.warn(
                    f"enigma: session(s) {', '.join(ids)} were started without a context manager and are "
                    "still open at exit; they bill until they expire. Use `async with`/`with`, call "
                    "terminate(), or create the client with terminate_on_exit=True.",
                    OpenSessionWarning,
                    stacklevel=1,
                )
    except BaseException as err:  # never fail the exit
        log.debug("enigma exit hook: %r", err)
    finally:
        _ext.shutdown()


atexit.register(_at_exit)
