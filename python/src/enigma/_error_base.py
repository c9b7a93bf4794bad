"""The base class of the SDK's exceptions: its fields are the core's error payload
(``_schema_models.ErrorPayloadFields``, generated), plus the live ``task`` handle; the classes
per code are generated too (``_schema_errors.py``). ``enigma.errors`` exports them all."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional, Type, Union

from ._schema_models import ERROR_PAYLOAD_FIELDS, ErrorPayloadFields

if TYPE_CHECKING:  # for annotations only: the handles are above this layer
    from ._async import AsyncTask
    from ._sync import Task

# What the constructor accepts by name: the payload's fields and the task handle.
_FIELDS = (*ERROR_PAYLOAD_FIELDS, "task")


class EnigmaError(ErrorPayloadFields, Exception):
    """Base class of every error the SDK raises."""

    __module__ = "enigma.errors"
    code: str = "error"
    #: What went wrong, in words (the same as `str(err)`).
    message: str = ""
    #: On :class:`WaitTimeout` and :class:`CostLimitExceeded`: the task, still there to wait on
    #: (a :class:`~enigma.Task` from a ``Client``, an :class:`~enigma.AsyncTask` from an
    #: ``AsyncClient``). From ``task.result()`` it is that same task; from ``run_task`` it is
    #: ``None`` when the service had not named the task yet (its create's answer had not come).
    task: Optional[Union["Task", "AsyncTask"]] = None

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
        """Every field set on this error: the payload's, and any the core added since this
        package was generated (``_from_payload`` keeps those too)."""
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_") and k not in ("message", "code")}

    def __reduce__(self) -> Any:
        return (_from_payload, (type(self), self.message, self.code, self._fields()))

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [repr(self.message), f"code={self.code!r}"]
        for name in ("status", "server_code", "session_id", "task_id"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _from_payload(cls: Type[EnigmaError], message: str, code: str, fields: Dict[str, Any]) -> EnigmaError:
    """An exception of ``cls`` with every field given, those this package does not know yet
    included (the constructor refuses unknown names, to catch a caller's typo)."""
    err = cls(message, code=code, **{k: v for k, v in fields.items() if k in _FIELDS})
    for name, value in fields.items():
        if name not in _FIELDS:
            setattr(err, name, value)
    return err
