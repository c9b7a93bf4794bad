"""The simulator's documented-only mode from Python: ``Simulator(strict_docs=True)`` (and the
fixture's marker) reach the simulator, whose start answer then has no ``taskId`` for the initial
task (one of its extras, docs/api-contract.md §9)."""

from __future__ import annotations

from typing import Any, Dict

import pytest

from enigma.testing import Simulator

from _util import post_raw


def start_session(sim: Simulator, task: str) -> Dict[str, Any]:
    """The raw answer of ``POST /start/start-session``."""
    return post_raw(sim, "/start/start-session", {"taskDetails": task})


@pytest.mark.parametrize("strict", [False, True])
def test_strict_docs_leaves_the_initial_task_id_out(strict: bool) -> None:
    with Simulator(time_scale=0.01, rate_limit=0, strict_docs=strict) as sim:
        answer = start_session(sim, "Find shoes")
        assert isinstance(answer["sessionId"], str)
        assert ("taskId" in answer) == (not strict), answer


def test_extras_are_on_by_default() -> None:
    with Simulator(time_scale=0.01, rate_limit=0) as sim:
        assert "taskId" in start_session(sim, "Find shoes")


@pytest.mark.enigma_simulator(strict_docs=True)
def test_the_fixture_marker_takes_strict_docs(enigma_simulator: Simulator) -> None:
    assert "taskId" not in start_session(enigma_simulator, "Find shoes")


def test_the_simulator_takes_every_setting_of_the_core() -> None:
    """``Simulator(...)``'s keywords are the simulator's settings (``SimSettings``), each with
    the core's default: a setting added there (as ``strict_docs`` was) shows here."""
    import inspect

    from enigma import _native

    defaults = _native.simulator_defaults()
    parameters = inspect.signature(Simulator.__init__).parameters
    keywords = {name: p.default for name, p in parameters.items() if name != "self"}
    assert keywords == defaults
    assert defaults["strict_docs"] is False
