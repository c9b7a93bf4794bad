"""Logging and the test kit. (README code blocks: test_docs.py.)"""

from __future__ import annotations

import logging

import pytest

import enigma
from enigma.testing import Simulator


def test_logging_goes_to_the_enigma_logger_without_the_key(
    sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    key = "enig_topsecrettopsecrettopsecret12"
    caplog.set_level(logging.DEBUG, logger="enigma")
    client = enigma.Client(key, sim.url, poll_interval=0.01)  # re-reads logger levels
    with client.start_session() as session:
        session.new_task("logged").result(timeout=30)
    ours = [r for r in caplog.records if r.name.startswith("enigma")]
    assert ours, "no record from the enigma loggers"
    assert all("topsecret" not in r.getMessage() for r in caplog.records)


@pytest.mark.enigma_simulator(max_sessions=1, initial_balance=0.5)
def test_fixture_marker_sets_the_simulator(enigma_simulator: Simulator) -> None:
    client = enigma_simulator.client()
    with client.start_session():
        with pytest.raises(enigma.SessionLimitError):
            client.start_session()
    assert enigma_simulator.stat("sessions.total") == 1
    assert enigma_simulator.stat("requests.byEndpoint.POST /start/start-session") == 2
    assert enigma_simulator.stat("no.such.path") == 0


def test_simulator_context_manager_and_settings() -> None:
    with Simulator(time_scale=0.01, inline_wait=0.5, rate_limit=None, seed=7) as sim:
        assert sim.url.startswith("http://127.0.0.1:")
        client = sim.client()
        assert client.run_task("hello #sim duration=10", timeout=30).outcome == "completed"
        assert sim.stats()["sessions"]["total"] == 1
        assert "Simulator(url=" in repr(sim)
    with pytest.raises(RuntimeError):
        sim.stats()
    with pytest.raises(ValueError):
        Simulator(rate_limit_scope="nope")
