"""The exceptions of the SDK: one base class, :class:`EnigmaError`, and one subclass per error
code of the core. The Rust core raises these classes, chosen by code (never by message).

Every exception has ``code`` (the core's stable code string), ``status`` (HTTP status, when the
service answered), ``retry_after`` (seconds), ``server_code`` and ``server_message`` (the
service's own), ``retryable``, and where they apply ``session_id``, ``task_id``, ``usage``,
``task`` (the live handle, on :class:`WaitTimeout` and :class:`CostLimitExceeded`), ``balance``,
``details``, ``rate_limit``, ``field``/``reason`` (validation). Exceptions pickle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Type, Union

if TYPE_CHECKING:
    from ._async import AsyncTask
    from ._models import Usage
    from ._sync import Task

__all__ = [
    "EnigmaError",
    "AuthenticationError",
    "PermissionDeniedError",
    "InsufficientBalanceError",
    "RateLimitError",
    "SessionLimitError",
    "SessionNotFoundError",
    "TaskNotFoundError",
    "TaskAlreadyRunningError",
    "ValidationError",
    "TaskFailedError",
    "WaitTimeout",
    "CostLimitExceeded",
    "SessionEndedError",
    "EnigmaConnectionError",
    "ServerError",
    "DecodeError",
    "InsecureTransportError",
    "OutcomeUnknownError",
    "Cancelled",
    "OpenSessionWarning",
]

_FIELDS = (
    "status",
    "retry_after",
    "server_code",
    "server_message",
    "retryable",
    "session_id",
    "task_id",
    "usage",
    "task",
    "balance",
    "details",
    "rate_limit",
    "body",
    "field",
    "reason",
    "waited",
    "limit",
    "operation",
    "never_sent",
    "url",
)


class EnigmaError(Exception):
    """Base class of every error the SDK raises."""

    code: str = "error"
    message: str
    status: Optional[int] = None
    retry_after: Optional[float] = None
    server_code: Optional[str] = None
    server_message: Optional[str] = None
    retryable: bool = False
    session_id: Optional[str] = None
    task_id: Optional[str] = None
    usage: Optional["Usage"] = None
    #: On :class:`WaitTimeout` and :class:`CostLimitExceeded`: the task, still there to wait on
    #: (a :class:`~enigma.Task` from a ``Client``, an :class:`~enigma.AsyncTask` from an
    #: ``AsyncClient``). From ``task.result()`` it is that same task; from ``run_task`` it is
    #: ``None`` when the service had not named the task yet (its create's answer had not come).
    task: Optional[Union["Task", "AsyncTask"]] = None
    balance: Optional[float] = None
    details: Any = None
    rate_limit: Optional[Dict[str, Optional[int]]] = None
    body: Optional[str] = None
    field: Optional[str] = None
    reason: Optional[str] = None
    waited: Optional[float] = None
    limit: Optional[float] = None
    operation: Optional[str] = None
    never_sent: Optional[bool] = None
    url: Optional[str] = None

    def __init__(self, message: str = "", *, code: Optional[str] = None, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        for name, value in fields.items():
            if name not in _FIELDS:
                raise TypeError(f"unknown field {name!r} for {type(self).__name__}")
            setattr(self, name, value)

    def _fields(self) -> Dict[str, Any]:
        return {name: self.__dict__[name] for name in _FIELDS if name in self.__dict__}

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), self.message, self.code, self._fields()))

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [repr(self.message), f"code={self.code!r}"]
        for name in ("status", "server_code", "session_id", "task_id"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _rebuild(cls: Type[EnigmaError], message: str, code: str, fields: Dict[str, Any]) -> EnigmaError:
    return cls(message, code=code, **fields)


class AuthenticationError(EnigmaError):
    """401, or no API key configured."""

    code = "authentication"


class PermissionDeniedError(EnigmaError):
    """403: the account is deactivated."""

    code = "permission_denied"


class InsufficientBalanceError(EnigmaError):
    """402: the balance is exhausted (``balance``)."""

    code = "insufficient_balance"


class RateLimitError(EnigmaError):
    """429 ``RATE_LIMIT_EXCEEDED`` (``retry_after``, ``rate_limit``)."""

    code = "rate_limited"


class SessionLimitError(EnigmaError):
    """429 ``SESSION_LIMIT_REACHED``: too many concurrent sessions (``details``)."""

    code = "session_limit"


class SessionNotFoundError(EnigmaError):
    """404: unknown, expired or ended session."""

    code = "session_not_found"


class TaskNotFoundError(EnigmaError):
    """404: unknown task."""

    code = "task_not_found"


class TaskAlreadyRunningError(EnigmaError):
    """409: a task runs and another is already queued."""

    code = "task_already_running"


class ValidationError(EnigmaError, ValueError):
    """Invalid input. Refused locally, before anything was sent: ``status`` is None and
    ``field``/``reason`` name the argument. Or refused by the service (400/422): ``status``,
    ``server_code`` and ``server_message`` are set and ``field`` is None."""

    code = "validation"


class TaskFailedError(EnigmaError):
    """The agent failed the task (``server_code`` e.g. ``NAVIGATION_TIMEOUT``, ``usage``)."""

    code = "task_failed"


class WaitTimeout(EnigmaError):
    """The wait's deadline passed; the task goes on: ``task`` can be waited on again."""

    code = "wait_timeout"


class CostLimitExceeded(EnigmaError):
    """The task's cost passed ``max_cost``; the SDK stopped it (``task``, ``usage``, ``limit``)."""

    code = "cost_limit"


class SessionEndedError(EnigmaError):
    """The session ended (terminated, expired, lost) under the task or before the command."""

    code = "session_ended"


class EnigmaConnectionError(EnigmaError):
    """The service could not be reached (``never_sent`` tells if the request surely never left)."""

    code = "connection"


class ServerError(EnigmaError):
    """5xx or an unexpected status."""

    code = "server"


class DecodeError(EnigmaError):
    """The service answered something the SDK cannot read (``body``)."""

    code = "decode"


class InsecureTransportError(EnigmaError):
    """The API key would have gone over plain http to a non-loopback host."""

    code = "insecure_transport"


class OutcomeUnknownError(EnigmaError):
    """A request that creates something was sent and nothing that came back proves it did not
    take effect (lost or unreadable answer, a 502/504 or other 5xx but 503): it may have started
    (``operation``, ``session_id``). It is never resent, to never bill the same work twice."""

    code = "outcome_unknown"


class Cancelled(EnigmaError):
    """The core reported the operation as cancelled."""

    code = "cancelled"


class OpenSessionWarning(UserWarning):
    """Sessions were still open when the interpreter exited (they bill until they expire)."""


_BY_CODE: Dict[str, Type[EnigmaError]] = {
    cls.code: cls
    for cls in (
        AuthenticationError,
        PermissionDeniedError,
        InsufficientBalanceError,
        RateLimitError,
        SessionLimitError,
        SessionNotFoundError,
        TaskNotFoundError,
        TaskAlreadyRunningError,
        ValidationError,
        TaskFailedError,
        WaitTimeout,
        CostLimitExceeded,
        SessionEndedError,
        EnigmaConnectionError,
        ServerError,
        DecodeError,
        InsecureTransportError,
        OutcomeUnknownError,
        Cancelled,
    )
}


def _from_native(code: str, message: str, payload: Dict[str, Any], task: Any = None) -> EnigmaError:
    """Called by the Rust binding with the core's error payload (``enigma::ErrorPayload``: every
    field the error has, ``code`` and ``message`` among them) and, for a wait timeout or
    cost-limit stop, the task handle to hand back as ``err.task``: the exception of the class
    for ``code``."""
    fields = {k: v for k, v in payload.items() if k not in ("code", "message")}
    if fields.get("usage") is not None:
        from ._models import Usage

        fields["usage"] = Usage(**fields["usage"])
    if task is not None:
        from ._handles import wrap_task

        fields["task"] = wrap_task(task)
    cls = _BY_CODE.get(code, EnigmaError)
    return cls(message, code=code, **{k: v for k, v in fields.items() if k in _FIELDS})
