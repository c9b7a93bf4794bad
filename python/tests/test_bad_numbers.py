"""Bad numbers, in every field that takes one: NaN, +infinity, -infinity and a negative value
raise ``ValidationError`` naming the field, before anything is sent. The fields come from the
core (``enigma._native.numeric_fields()``, found from its option structs and client settings),
so a new numeric field is covered here by itself. JSON has no NaN: these once crossed as
``null`` (not given), so ``max_cost=nan`` silently turned the ceiling off."""

from __future__ import annotations

import asyncio
import math
from typing import Any, Callable, Dict, List, Tuple

import pytest

import enigma
from enigma import _native
from enigma.errors import ValidationError
from enigma.testing import Simulator

FIELDS = _native.numeric_fields()
BAD = [math.nan, math.inf, -math.inf, -1]
SESSION_ID, TASK_ID = "a" * 12, "b" * 12


def calls(client: enigma.Client) -> Dict[str, List[Tuple[str, Callable[..., Any]]]]:
    """Every public call that takes the fields of a kind, by kind."""
    session = client.session(SESSION_ID)  # a handle from ids alone: nothing is sent
    task = client.task(SESSION_ID, TASK_ID)
    return {
        "session": [
            ("start_session", lambda **kw: client.start_session(**kw)),
            ("start_task", lambda **kw: client.start_task("x", **kw)),
            ("run_task", lambda **kw: client.run_task("x", **kw)),
        ],
        "task": [("new_task", lambda **kw: session.new_task("x", **kw))],
        "wait": [
            ("run_task", lambda **kw: client.run_task("x", **kw)),
            ("result", lambda **kw: task.result(**kw)),
        ],
        # The native client: every public client (sync and async) is made through it, and it
        # takes every setting of the core (the public signatures name some of them).
        "client": [("Client", lambda **kw: _native.Client(kw))],
    }


def test_the_core_lists_the_numeric_fields() -> None:
    assert set(FIELDS) == {"session", "task", "wait", "client"}
    assert FIELDS["wait"] == ["timeout", "max_cost"]
    assert "max_duration" in FIELDS["task"] and set(FIELDS["task"]) <= set(FIELDS["session"])
    assert {"request_timeout", "connect_timeout", "poll_interval", "retry_backoff", "max_retries"} <= set(FIELDS["client"])
    assert "live_events" not in FIELDS["session"] and "api_key" not in FIELDS["client"]


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf", "negative"])
def test_every_numeric_field_refuses_a_bad_number(sim: Simulator, client: enigma.Client, bad: float) -> None:
    tried = 0
    for kind, kind_calls in calls(client).items():
        for field in FIELDS[kind]:
            for name, call in kind_calls:
                with pytest.raises(ValidationError) as caught:
                    call(**{field: bad})
                assert caught.value.field == field, (name, field, bad, caught.value)
                assert caught.value.status is None, "refused locally"
                tried += 1
    assert tried >= 15, "every kind has its fields"
    assert sim.stat("requests.total") == 0, sim.stats()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        (dict(request_timeout=math.nan), "request_timeout"),
        (dict(request_timeout=math.inf), "request_timeout"),
        (dict(poll_interval=math.nan), "poll_interval"),
        (dict(retry_backoff=math.nan), "retry_backoff"),
        (dict(retry_backoff_max=math.inf), "retry_backoff_max"),
        (dict(max_retries=-1), "max_retries"),
    ],
)
def test_public_clients_refuse_bad_settings(sim: Simulator, kwargs: Dict[str, Any], field: str) -> None:
    for make in (enigma.Client, enigma.AsyncClient):
        with pytest.raises(ValidationError) as caught:
            make(api_key=sim.api_key(), base_url=sim.url, **kwargs)
        assert caught.value.field == field, (make, caught.value)


async def test_async_calls_refuse_bad_numbers_too(sim: Simulator, aclient: enigma.AsyncClient) -> None:
    """The asyncio path reads options the same way (a sample: the issue's cases)."""
    task = aclient.task(SESSION_ID, TASK_ID)
    cases: List[Tuple[Any, str]] = [
        (lambda: aclient.start_session(max_duration=math.nan), "max_duration"),
        (lambda: aclient.run_task("x", max_cost=math.nan), "max_cost"),
        (lambda: aclient.run_task("x", timeout=math.inf), "timeout"),
        (lambda: aclient.session(SESSION_ID).new_task("x", max_duration=math.nan), "max_duration"),
        (lambda: task.result(max_cost=-math.inf), "max_cost"),
        (lambda: task.result(timeout=math.nan), "timeout"),
    ]
    for call, field in cases:
        with pytest.raises(ValidationError) as caught:
            await asyncio.wait_for(call(), 5)
        assert caught.value.field == field
    assert sim.stat("requests.total") == 0, sim.stats()


@pytest.mark.parametrize(
    "x, y, field",
    [(math.nan, 200, "x"), (5, math.inf, "y"), (-1, 200, "x"), (5, -math.inf, "y"), (1025, 200, "x"), (5, 154, "y"), (5, 756, "y")],
)
def test_coordinates_refuse_bad_numbers(sim: Simulator, client: enigma.Client, x: float, y: float, field: str) -> None:
    session = client.session(SESSION_ID)
    for click in (session.click, session.double_click):
        with pytest.raises(ValidationError) as caught:
            click(x, y)  # type: ignore[arg-type]
        assert caught.value.field == field
    assert sim.stat("requests.total") == 0, sim.stats()
