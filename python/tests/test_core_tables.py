"""The Python package checked against the core's tables: every error code the core has
(``enigma._native.ERROR_CODES``, from ``enigma::ErrorCode::ALL``) has its exception class,
exported from ``enigma``; every live event type (``EVENT_TYPES``, from ``enigma::EventKind::ALL``)
has its event class in ``enigma.events``; every session command without arguments
(``SESSION_COMMANDS``, from ``enigma::SessionCommand::ALL``) is a session method. A code, event
or command added to the core without its Python side fails here."""

from __future__ import annotations

import typing

import enigma
from enigma import _native, errors, events


def test_every_core_error_code_has_its_class_exported() -> None:
    assert _native.ERROR_CODES, "the binding exports the core's list"
    for code in _native.ERROR_CODES:
        cls = errors._BY_CODE.get(code)
        assert cls is not None, f"no exception class for the core's code {code!r}"
        assert cls.code == code and issubclass(cls, errors.EnigmaError)
        assert cls.__name__ in errors.__all__, f"{cls.__name__} is not in enigma.errors.__all__"
        assert getattr(enigma, cls.__name__) is cls, f"enigma.{cls.__name__} is not exported"
        assert cls.__name__ in enigma.__all__, f"{cls.__name__} is not in enigma.__all__"


def test_no_class_for_a_code_the_core_does_not_have() -> None:
    assert sorted(errors._BY_CODE) == sorted(_native.ERROR_CODES)


def test_every_core_event_type_has_its_class_in_the_union() -> None:
    assert _native.EVENT_TYPES, "the binding exports the core's list"
    union = set(typing.get_args(events.AnyEvent))
    by_type = {cls.type: cls for cls in union}
    assert sorted(by_type) == sorted(_native.EVENT_TYPES)
    for kind in _native.EVENT_TYPES:
        cls = by_type[kind]
        assert issubclass(cls, events.Event) and cls.__name__ in events.__all__
        assert events._CLASSES[kind] is cls, f"events._from_json does not map {kind!r}"


def test_every_core_session_command_is_a_method_of_both_session_classes() -> None:
    # Each method sends its command by the core's name; one missing here is a core command
    # Python cannot reach.
    assert _native.SESSION_COMMANDS, "the binding exports the core's list"
    for name in _native.SESSION_COMMANDS:
        for cls in (enigma.AsyncSession, enigma.Session):
            assert callable(getattr(cls, name, None)), f"{cls.__name__} has no {name}()"


async def test_a_session_command_unknown_to_the_core_is_a_validation_error(aclient: enigma.AsyncClient) -> None:
    session = aclient.session("s" * 12)
    try:
        await session._native.command("takeOver")
    except enigma.ValidationError as err:
        assert err.field == "command" and "take_over" in str(err)
    else:
        raise AssertionError("an unknown command must be refused before anything is sent")


async def test_an_error_reaches_python_as_the_core_serialised_it(sim: object, aclient: enigma.AsyncClient) -> None:
    # Every field of the core's payload lands on the exception, typed.
    async with await aclient.start_session() as session:
        task = await session.new_task("Fail it #sim fail=NAVIGATION_TIMEOUT")
        try:
            await task.result(timeout=30)
        except enigma.TaskFailedError as err:
            assert (err.code, err.server_code, err.task_id, err.session_id) == (
                "task_failed",
                "NAVIGATION_TIMEOUT",
                task.id,
                session.id,
            )
            assert isinstance(err.usage, enigma.Usage) and err.retryable is False
        else:
            raise AssertionError("the task should have failed")
