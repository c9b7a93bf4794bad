"""Interpreter exit: let detached work (terminates of `with` blocks) and the core's background
cleanups (terminates of sessions whose call was cancelled, e.g. by Ctrl-C while a start's answer
was on its way) finish, within EXIT_WAIT seconds; deal with sessions still open (terminate them,
or name them in a warning); then stop the runtime before Python finalizes, so no Rust thread
calls into a finalizing interpreter."""

from __future__ import annotations

import atexit
import logging
import os
import warnings
from typing import Any, Dict

from . import _native as _ext
from .errors import OpenSessionWarning

log = logging.getLogger("enigma")

EXIT_WAIT = 5.0

# The clients that started a session, by id (a client is never forgotten: its sessions may
# still be open at exit).
_STARTED: Dict[int, Any] = {}


def track(client: Any) -> None:
    """``client`` started a session: look at its open sessions at exit."""
    _STARTED[id(client)] = client


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
