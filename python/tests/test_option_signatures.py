"""The public signatures spell every option the core has, and nothing else. The field lists come
from the core (``enigma._native.option_fields()``, derived from its option structs), so a new
core field without its keyword argument here fails this test."""

from __future__ import annotations

import inspect
from typing import Any, List

import pytest

import enigma
from enigma import _native

FIELDS = _native.option_fields()


def keywords(function: Any, *skip: str) -> List[str]:
    return sorted(n for n in inspect.signature(function).parameters if n not in ("self", *skip))


def test_the_core_lists_its_fields() -> None:
    assert {"task_details", "max_duration", "live_events"} <= set(FIELDS["session"])
    assert set(FIELDS["task"]) < set(FIELDS["session"])
    assert FIELDS["wait"] == ["timeout", "max_cost"]


@pytest.mark.parametrize("client", [enigma.AsyncClient, enigma.Client])
def test_client_calls_take_the_core_fields(client: Any) -> None:
    assert keywords(client.start_session) == sorted(FIELDS["session"])
    assert keywords(client.start_task) == sorted(FIELDS["session"])
    assert keywords(client.run_task) == sorted(FIELDS["session"] + FIELDS["wait"])


@pytest.mark.parametrize("session, task", [(enigma.AsyncSession, enigma.AsyncTask), (enigma.Session, enigma.Task)])
def test_session_and_task_calls_take_the_core_fields(session: Any, task: Any) -> None:
    assert keywords(session.new_task) == sorted(FIELDS["task"])
    # on_status and progress are Python-side (callback, display), not options of the core.
    assert keywords(task.result, "on_status", "progress") == sorted(FIELDS["wait"])
