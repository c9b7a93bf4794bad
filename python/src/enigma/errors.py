"""The exceptions of the SDK: one base class, :class:`EnigmaError`, and one subclass per error
code of the core. The Rust core raises these classes, chosen by code (never by message).

Every exception has ``code`` (the core's stable code string), ``status`` (HTTP status, when the
service answered), ``retry_after`` (seconds), ``server_code`` and ``server_message`` (the
service's own), ``retryable``, and where they apply ``session_id``, ``task_id``, ``usage``,
``task`` (the live handle, on :class:`WaitTimeout` and :class:`CostLimitExceeded`), ``balance``,
``details``, ``rate_limit``, ``field``/``reason`` (validation). Exceptions pickle.
"""


from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Type, Union  # noqa: F401

if TYPE_CHECKING:
    # `EnigmaError.task`'s annotation names these, and documentation tools (pdoc) read it in
    # this module, the class's `__module__`.
    from ._async import AsyncTask  # noqa: F401
    from ._sync import Task  # noqa: F401

from . import _public, _schema_errors
from ._error_base import EnigmaError, _from_payload
from ._schema_errors import *  # noqa: F401,F403 (one class per code, generated from the core)
from ._schema_errors import BY_CODE
from ._schema_models import Usage

__all__ = ["EnigmaError", "OpenSessionWarning"]
__all__ += _schema_errors.__all__


class OpenSessionWarning(UserWarning):
    """Sessions were still open when the interpreter exited (they bill until they expire)."""


_BY_CODE: Dict[str, Type[EnigmaError]] = BY_CODE


def _from_native(code: str, message: str, payload: Dict[str, Any], task: Any = None) -> EnigmaError:
    """Called by the Rust binding with the core's error payload (``enigma::ErrorPayload``: every
    field the error has, ``code`` and ``message`` among them) and, for a wait timeout or
    cost-limit stop, the task handle to hand back as ``err.task``: the exception of the class
    for ``code``, with every field of the payload, those added to the core after this package
    was generated included."""
    fields = {k: v for k, v in payload.items() if k not in ("code", "message")}
    if fields.get("usage") is not None:
        fields["usage"] = Usage(**fields["usage"])
    if task is not None:
        fields["task"] = _public.wrap_task(task)
    return _from_payload(_BY_CODE.get(code, EnigmaError), message, code, fields)

