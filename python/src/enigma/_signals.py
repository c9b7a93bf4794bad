"""SIGTERM while sessions are open.

Python's default for SIGTERM kills the process on the spot: no ``with`` block is left, no exit
hook runs, and every open session bills until it expires. While a client with
``handle_signals`` on (the default; ``ENIGMA_HANDLE_SIGNALS=0`` or ``handle_signals=False``
turns it off) has sessions open or a ``run_task`` running, a SIGTERM handler is installed, from
the main thread only, and only over the default handler or a Python handler of the user's
(a SIGTERM that is ignored, or handled outside Python, is left alone). On SIGTERM:

- over the default handler: ``SystemExit(143)`` (128 + 15, what a shell reports for a process
  ended by SIGTERM) is raised in the main thread, so ``with`` / ``async with`` blocks terminate
  their sessions and a running call is cancelled (its session terminated), then the exit hook
  waits for those terminates (bounded) and handles sessions still open (``terminate_on_exit``,
  else the warning) as at any exit;
- over a handler of the user's: every session still open through such clients is terminated
  (waiting at most ``SIGNAL_WAIT`` seconds), then the user's handler is called, and what happens
  next is up to it.

The previous handler is put back first, so a second SIGTERM gets it (by default: the process
ends at once). When the last session ends, the previous handler is put back too.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import weakref
from contextlib import contextmanager
from types import FrameType
from typing import Any, Callable, Iterator, Optional, Protocol, Union

from . import _native as _ext


class ClientBase(Protocol):
    """What this module needs of a public client (``_handle_base.ClientBase``, which imports
    this module, so it is described here rather than imported)."""

    _handle_signals: bool
    _pid: int
    _native: Any

# The longest a signal waits for terminates before the user's handler runs.
SIGNAL_WAIT = 5.0

_Handler = Union[Callable[[int, Optional[FrameType]], Any], int, None]

_clients: "weakref.WeakSet[ClientBase]" = weakref.WeakSet()
_lock = threading.Lock()
_running_one_shots = 0
_previous: _Handler = None
_installed = False


def enabled_by_env() -> bool:
    """``ENIGMA_HANDLE_SIGNALS`` (default on; ``0``/``false``/``no``/``off`` turn it off)."""
    return os.environ.get("ENIGMA_HANDLE_SIGNALS", "1").strip().lower() not in ("0", "false", "no", "off")


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def session_opened(client: "ClientBase") -> None:
    """A session was started through ``client``: protect it until it ends."""
    if client._handle_signals:
        _clients.add(client)
        _arm()


@contextmanager
def one_shot(client: "ClientBase") -> Iterator[None]:
    """Around ``run_task``: its session is nowhere in the open lists, but a SIGTERM meanwhile
    must still cancel the call (which terminates the session)."""
    global _running_one_shots
    if not client._handle_signals:
        yield
        return
    with _lock:
        _running_one_shots += 1
    _arm()
    try:
        yield
    finally:
        with _lock:
            _running_one_shots -= 1
        session_ended()


def session_ended() -> None:
    """A session ended (or a one-shot call returned): put the previous handler back when
    nothing is left to protect."""
    global _installed
    if not _installed or not _in_main_thread() or _busy():
        return
    if signal.getsignal(signal.SIGTERM) is _on_sigterm:
        signal.signal(signal.SIGTERM, _previous)
    _installed = False


def _busy() -> bool:
    if _running_one_shots:
        return True
    pid = os.getpid()
    return any(c._pid == pid and c._native.open_session_ids() for c in list(_clients))


def _arm() -> None:
    global _installed, _previous
    if _installed or not _in_main_thread():
        return
    current = signal.getsignal(signal.SIGTERM)
    if current is signal.SIG_IGN or current is None:
        return  # ignored on purpose, or handled outside Python: not ours to change
    signal.signal(signal.SIGTERM, _on_sigterm)
    _previous = current
    _installed = True


def _on_sigterm(signum: int, frame: Optional[FrameType]) -> None:
    global _installed
    previous = _previous
    signal.signal(signal.SIGTERM, previous)
    _installed = False
    if callable(previous):
        _terminate_open_sessions()
        previous(signum, frame)
    elif _busy():
        raise SystemExit(128 + signum)
    else:
        os.kill(os.getpid(), signum)  # nothing of ours is open: exactly the default behaviour


def _terminate_open_sessions() -> None:
    """Terminates every session still open through a protected client, waiting at most
    ``SIGNAL_WAIT`` seconds (on a helper thread: this runs inside a signal handler, possibly
    on a thread that runs an event loop)."""
    pid = os.getpid()
    clients = [c for c in list(_clients) if c._pid == pid]

    def work() -> None:
        for client in clients:
            try:
                client._native.with_mode(blocking=True).terminate_open_sessions()
            except BaseException:  # a failure here must not hide the signal
                pass

    deadline = time.monotonic() + SIGNAL_WAIT
    helper = threading.Thread(target=work, name="enigma-sigterm", daemon=True)
    helper.start()
    helper.join(SIGNAL_WAIT)
    _ext.drain(max(0.0, deadline - time.monotonic()))
