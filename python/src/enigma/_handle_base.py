"""What the sync and async public classes share: their base classes (settings, ids, reprs,
pickling by ids), the mode flag of a native client, and how a call's options are gathered."""

from __future__ import annotations

import html
import logging
import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from . import _exit, _signals
from . import _native as _ext
from ._pickling import reattach_session, reattach_task

if TYPE_CHECKING:
    from ._look import LiveView, Timeline

log = logging.getLogger("enigma")

# The `blocking` flag of a native client: the asyncio API's calls return awaitables, the sync
# API's block the calling thread. (`_sync.py` is generated from `_async.py`, which names the
# first; the generator turns the name into the second.)
NON_BLOCKING = False
BLOCKING = True


def options(args: Dict[str, Any], *skip: str) -> Dict[str, Any]:
    """A call's options from its ``locals()``: every argument given (not None) but ``self`` and
    ``skip``. The core reads and checks them by name, so a public signature is the one place
    where Python spells an option (``tests/test_option_signatures.py`` checks it against the
    core's field list)."""
    return {k: v for k, v in args.items() if v is not None and k != "self" and k not in skip}


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
        _exit.track(self)
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

    def timeline(self) -> "Timeline":
        """The session's timeline so far (tasks, their events, the commands sent, the spend),
        from what this handle saw: shown inline in a notebook."""
        from ._look import Timeline

        html, model = _ext.session_timeline(self._native)
        return Timeline(html, model)

    def live_view(self, read_only: bool = False) -> "LiveView":
        """The live view (``live_view_url``) in a frame of the viewport's size, shown inline in
        a notebook; ``read_only=True`` takes no input. Raises ``ValueError`` on a re-attached
        handle, which has no start answer and so no URL."""
        from ._look import LiveView

        view = _ext.session_live_view(self._native, read_only)
        if view is None:
            raise ValueError("this session handle was re-attached by id: it has no live view URL")
        return LiveView(view["url"], view["html"], view["width"], view["height"], view["read_only"])

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
