"""Every error class, its fields, pickling, and validation before anything is sent."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import enigma
from enigma import errors
from enigma.testing import Simulator



def roundtrip(err: Exception) -> Any:
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err)
    assert str(again) == str(err)
    assert again.code == err.code  # type: ignore[attr-defined]
    assert again.status == err.status  # type: ignore[attr-defined]
    return again


def test_class_tree_and_codes() -> None:
    assert enigma.EnigmaError is errors.EnigmaError
    expected = {
        "AuthenticationError": "authentication",
        "PermissionDeniedError": "permission_denied",
        "InsufficientBalanceError": "insufficient_balance",
        "RateLimitError": "rate_limited",
        "SessionLimitError": "session_limit",
        "SessionNotFoundError": "session_not_found",
        "TaskNotFoundError": "task_not_found",
        "TaskAlreadyRunningError": "task_already_running",
        "ValidationError": "validation",
        "TaskFailedError": "task_failed",
        "WaitTimeout": "wait_timeout",
        "CostLimitExceeded": "cost_limit",
        "SessionEndedError": "session_ended",
        "EnigmaConnectionError": "connection",
        "ServerError": "server",
        "DecodeError": "decode",
        "InsecureTransportError": "insecure_transport",
        "OutcomeUnknownError": "outcome_unknown",
        "Cancelled": "cancelled",
    }
    for name, code in expected.items():
        cls = getattr(errors, name)
        assert issubclass(cls, errors.EnigmaError) and cls.code == code
        assert getattr(enigma, name) is cls
        assert errors._BY_CODE[code] is cls
    assert issubclass(errors.ValidationError, ValueError)
    cancelled = errors._from_native("cancelled", "cancelled", {})
    assert isinstance(cancelled, errors.Cancelled)
    roundtrip(cancelled)


def test_authentication_permission_balance(sim: Simulator) -> None:
    with pytest.raises(errors.AuthenticationError) as info:
        sim.client(api_key="enig_revokedxxxxxxxxxxxxxxxxxxxxxxx").start_session()
    err = info.value
    assert err.status == 401 and err.server_code == "INVALID_API_KEY" and err.server_message
    assert not err.retryable
    roundtrip(err)
    with pytest.raises(errors.AuthenticationError) as info:
        enigma.Client(base_url=sim.url, api_key="").start_session()
    assert info.value.status is None  # refused locally: no key
    with pytest.raises(errors.PermissionDeniedError) as perm:
        sim.client(api_key="enig_inactivexxxxxxxxxxxxxxxxxxxxxx").start_session()
    assert perm.value.status == 403 and perm.value.server_code == "ACCOUNT_DEACTIVATED"
    with pytest.raises(errors.InsufficientBalanceError) as broke:
        sim.client(api_key="enig_brokexxxxxxxxxxxxxxxxxxxxxxxxx").start_session()
    assert broke.value.status == 402 and broke.value.balance is not None and broke.value.balance <= 0
    assert roundtrip(broke.value).balance == broke.value.balance


@pytest.mark.enigma_simulator(max_sessions=1)
def test_session_limit(sim: Simulator) -> None:
    c = sim.client(max_retries=0)
    with c.start_session():
        with pytest.raises(errors.SessionLimitError) as limit:
            c.start_session()
    assert limit.value.status == 429 and limit.value.server_code == "SESSION_LIMIT_REACHED"
    assert limit.value.details == {"current": 1, "limit": 1}
    assert not limit.value.retryable or limit.value.retry_after is None
    roundtrip(limit.value)


@pytest.mark.enigma_simulator(rate_limit=2)
def test_rate_limit(sim: Simulator) -> None:
    c = sim.client(max_retries=0)
    assert c.run_task("one", timeout=30).outcome == "completed"
    assert c.run_task("two", timeout=30).outcome == "completed"
    with pytest.raises(errors.RateLimitError) as rate:
        c.start_session()
    err = rate.value
    assert err.status == 429 and err.retry_after is not None and err.retry_after >= 1 and err.retryable
    assert err.rate_limit is not None and err.rate_limit["limit"] == 2
    roundtrip(err)


def test_not_found_conflict_and_server_validation(sim: Simulator, client: enigma.Client) -> None:
    with pytest.raises(errors.SessionNotFoundError) as nf:
        client.session("zzzzzzzzzzzz").pause()
    assert nf.value.status == 404 and nf.value.server_code == "SESSION_NOT_FOUND"
    with client.start_session() as s:
        with pytest.raises(errors.TaskNotFoundError) as tnf:
            s.task("zzzzzzzzzzzz").poll()
        assert tnf.value.status == 404
        s.new_task("First #sim duration=1000")
        s.new_task("Second")
        with pytest.raises(errors.TaskAlreadyRunningError) as conflict:
            s.new_task("Third")
        assert conflict.value.status == 409 and conflict.value.server_code == "TASK_ALREADY_RUNNING"
        s.stop()
        s.stop()
        with pytest.raises(errors.ValidationError) as bad:
            s.new_task("x #sim nonsense=1")
        # The service's refusal: a status and the server's code, no field (local ones: the reverse).
        assert bad.value.status == 400 and bad.value.server_code == "INVALID_TASK_DETAILS"
        assert bad.value.field is None and bad.value.server_message
        with pytest.raises(errors.ValidationError) as local:
            s.new_task("")
        assert local.value.status is None and local.value.field == "task_details"


@pytest.mark.enigma_simulator(inline_wait=0.5)
def test_task_failed_wait_timeout_cost_limit(sim: Simulator, client: enigma.Client) -> None:
    with client.start_session() as s:
        with pytest.raises(errors.TaskFailedError) as failed:
            s.new_task("Open #sim fail=PAGE_CRASH").result(timeout=30)
        err = failed.value
        assert err.server_code == "PAGE_CRASH" and err.task_id and err.session_id == s.id
        assert isinstance(err.usage, enigma.Usage)
        assert roundtrip(err).usage == err.usage

        task = s.new_task("Slow #sim duration=300")
        with pytest.raises(errors.WaitTimeout) as timeout:
            task.result(timeout=0.05)
        assert isinstance(timeout.value.task, enigma.Task) and timeout.value.task.id == task.id
        assert timeout.value.waited is not None
        again = roundtrip(timeout.value)
        assert again.task.id == task.id and again.task_id == task.id
        s.stop()
        assert timeout.value.task.result(timeout=30).outcome == "stopped"

        costly = s.new_task("Crawl #sim duration=100 cost=1.0")
        with pytest.raises(errors.CostLimitExceeded) as cost:
            costly.result(timeout=30, max_cost=0.05)
        assert cost.value.limit == 0.05 and cost.value.usage is not None and cost.value.usage.cost > 0.05
        assert cost.value.task.poll().state == "stopped"
    assert sim.stat("commands.byMessage.state:stop") >= 2


@pytest.mark.enigma_simulator(inline_wait=0.5)
async def test_a_one_shot_wait_timeout_gives_a_task_to_wait_on_again(aclient: enigma.AsyncClient) -> None:
    # The core's error names the task by ids; the binding re-attaches it with its client.
    with pytest.raises(errors.WaitTimeout) as timeout:
        await aclient.run_task("Slow #sim duration=100", timeout=0.05)
    task = timeout.value.task
    assert isinstance(task, enigma.AsyncTask) and task.id == timeout.value.task_id
    assert task.session_id == timeout.value.session_id
    assert (await task.result(timeout=30)).outcome == "completed"
    await aclient.session(task.session_id).terminate()


@pytest.mark.enigma_simulator(inline_wait=0.5)
async def test_session_ended(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    s = await aclient.start_session()
    task = await s.new_task("Long #sim duration=1000")
    await aclient.session(s.id).terminate()
    with pytest.raises(errors.SessionEndedError) as ended:
        await task.result(timeout=30)
    assert ended.value.session_id == s.id and ended.value.task_id == task.id
    await s.terminate()
    with pytest.raises(errors.SessionEndedError):
        await s.pause()  # refused locally: this handle terminated it
    roundtrip(ended.value)


def test_connection_server_decode_outcome_unknown(sim: Simulator) -> None:
    with pytest.raises(errors.EnigmaConnectionError) as conn:
        enigma.Client("enig_x" * 6, "http://127.0.0.1:9", max_retries=0).start_session()
    assert conn.value.retryable and conn.value.never_sent is True
    roundtrip(conn.value)

    c = sim.client(max_retries=0)
    with c.start_session() as s:
        task = s.new_task("x")
        sim.add_fault("GET /task", status=500)
        with pytest.raises(errors.ServerError) as server:
            task.poll()
        assert server.value.status == 500 and server.value.server_code == "INTERNAL_ERROR"

    with c.start_session() as s:
        task = s.new_task("x")
        sim.add_fault("GET /task", action="invalid-utf8")
        with pytest.raises(errors.DecodeError) as decode:
            task.poll()
        assert decode.value.body and "invalid UTF-8" in str(decode.value)

    # On a create, an unreadable 2xx or a 502 after the work does not prove nothing was made.
    sim.add_fault("POST /start/start-session", status=200)
    with pytest.raises(errors.OutcomeUnknownError):
        c.start_session()
    sessions, sent = sim.stat("sessions.total"), sim.stat("requests.byEndpoint.POST /start/start-session")
    sim.add_fault("POST /start/start-session", status=502, after_processing=True)
    with pytest.raises(errors.OutcomeUnknownError) as gateway:
        c.start_session()
    assert gateway.value.operation == "start-session" and gateway.value.status is None
    assert sim.stat("sessions.total") == sessions + 1
    assert sim.stat("requests.byEndpoint.POST /start/start-session") == sent + 1, "never resent"
    assert c.terminate_open_sessions() == []

    sim.add_fault("POST /start/start-session", action="drop")
    with pytest.raises(errors.OutcomeUnknownError) as unknown:
        c.start_session()
    assert unknown.value.operation == "start-session"
    roundtrip(unknown.value)


@pytest.mark.parametrize("make", [enigma.Client, enigma.AsyncClient])
def test_a_key_that_cannot_be_a_header_is_refused_at_construction(make: Any) -> None:
    for key, index in (("enig_ab\ncd", 7), ("enig_\rSECRET", 5), ("enig_SECRET\0", 11)):
        with pytest.raises(errors.ValidationError) as info:
            make(api_key=key, base_url="http://127.0.0.1:9")
        assert info.value.field == "api_key" and info.value.status is None
        assert f"index {index}" in str(info.value)
        assert "SECRET" not in str(info.value) and "SECRET" not in repr(info.value)


def test_insecure_transport_is_refused_before_sending() -> None:
    c = enigma.Client("enig_" + "k" * 28, "http://example.invalid")
    with pytest.raises(errors.InsecureTransportError) as info:
        c.start_session()
    assert info.value.url and "example.invalid" in info.value.url


def test_validation_before_any_request(sim: Simulator, client: enigma.Client) -> None:
    bad_calls = [
        lambda: client.start_session(max_duration=0),
        lambda: client.start_session(max_duration=-5),
        lambda: client.start_session(starting_url="not a url"),
        lambda: client.start_session(max_input_tokens=0),
        lambda: client.run_task(""),
        lambda: client.run_task("x", max_cost=-1),
        lambda: client.run_task("x", timeout=-1),
        lambda: client.session("bad id!"),
        lambda: enigma.Client(request_timeout=0),
        lambda: enigma.Client(base_url="ftp://x"),
        lambda: enigma.Client(max_retries=-1),
    ]
    for call in bad_calls:
        with pytest.raises(errors.ValidationError) as info:
            call()
        assert info.value.field and info.value.reason
    session = client.session("abcdefabcdef")
    for call in [
        lambda: session.new_task(""),
        lambda: session.new_task("x", max_duration=300_001),
        lambda: session.click(2000, 400),
        lambda: session.click(-1, 400),
        lambda: session.double_click(10, 100),
        lambda: session.type_text(""),
        lambda: session.press_key(""),
        lambda: session.answer_guardrail("  "),
        lambda: session.task("").poll(),
    ]:
        with pytest.raises(errors.ValidationError):
            call()
    assert sim.stat("requests.total") == 0


async def test_validation_async_before_any_request(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    with pytest.raises(errors.ValidationError):
        await aclient.start_session(max_duration=300_001)
    with pytest.raises(ValueError):
        await aclient.session("abcdefabcdef").click(5, 5)
    assert sim.stat("requests.total") == 0


def test_without_a_key_the_error_says_how_to_get_going_and_its_line_works(sim: Simulator) -> None:
    with pytest.raises(errors.AuthenticationError) as info:
        enigma.Client(base_url=sim.url, api_key="").run_task("Find the opening hours of the Louvre")
    message = str(info.value)
    assert message.startswith("no API key: set ENIGMA_API_KEY"), message
    assert "offline on the built-in simulator" in message
    # Python's own line, not another language's.
    assert "startSimulator" not in message and "enigma_sim" not in message, message
    line = message.split("Python: `", 1)[1].split("`", 1)[0]
    assert line == "from enigma.testing import Simulator; sim = Simulator(); client = sim.client()"
    scope: dict = {}  # type: ignore[type-arg]
    exec(line, scope)  # the line the message shows gets a newcomer going
    with scope["sim"], scope["client"] as client:
        assert client.run_task("Find the opening hours of the Louvre #sim duration=1").outcome == "completed"


def test_an_unknown_task_key_is_named_as_written_with_the_nearest_known_one(client: enigma.Client) -> None:
    with pytest.raises(errors.ValidationError) as info:
        client.run_many([{"task": "x", "maxCots": 1}])
    assert info.value.field == "tasks[0]"
    assert "unknown option 'maxCots'; did you mean `max_cost`?" in str(info.value), info.value
    with pytest.raises(errors.ValidationError) as info:
        client.run_many([{"task": "x", "startingUrl": "https://a.example"}])
    assert "unknown option 'startingUrl'; did you mean `starting_url`?" in str(info.value), info.value
    with pytest.raises(errors.ValidationError) as info:
        client.run_many([{"task": "x", "colour": "red"}])
    assert "did you mean" not in str(info.value), "no guess for a far key"
