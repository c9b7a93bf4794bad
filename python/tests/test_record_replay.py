"""The flight recorder and replay as a test, from Python: a run on the simulator is recorded
(``record=``), the simulator replays it (``Simulator(replay=...)``, the ``enigma_replay``
fixture), the same program gets the same results, and a changed program is told the first
difference. The key is never in a recording; a recorder that cannot write warns once."""

from __future__ import annotations

import logging
import os
import pathlib
import tempfile
from typing import Any, List, Tuple

import pytest

import enigma
from enigma.errors import CostLimitExceeded, ValidationError
from enigma.testing import Simulator

EXPECTED = "expected POST /start/send-message state:terminate, got POST /start/send-message newTask"


def summary(result: Any) -> Tuple[Any, ...]:
    # A guardrail's usage comes with a poll, not with its event: which a program hears first is
    # a race of a fraction of a millisecond, in a run as in its replay.
    cost = None if result.outcome == "guardrail" else result.usage.cost
    return (result.outcome, result.message, result.question, result.session_id, result.task_id, cost)


def program(client: enigma.Client, one_more: bool = False) -> List[Any]:
    """Several tasks, a guardrail answered, a pause and resume, a stop by the cost ceiling."""
    seen: List[Any] = []
    session = client.start_session()
    first = session.new_task("Find the opening hours of the Louvre")
    seen.append(summary(first.result(timeout=30)))
    asking = session.new_task('Buy a book #sim guardrail="Which edition?"')
    asked = asking.result(timeout=30)
    assert asked.outcome == "guardrail"
    seen.append(summary(asked))
    session.answer_guardrail("The paperback")
    seen.append(summary(asking.result(timeout=30)))
    paused = session.new_task("Compare three laptops #sim duration=20")
    session.pause()
    session.resume()
    seen.append(summary(paused.result(timeout=30)))
    expensive = session.new_task("Expensive search #sim duration=100 cost=1.0")
    with pytest.raises(CostLimitExceeded) as stopped:
        expensive.result(timeout=30, max_cost=0.05)
    seen.append(("cost_limit", stopped.value.task_id))
    if one_more:
        seen.append(summary(session.new_task("One more thing").result(timeout=30)))
    session.terminate()
    return seen


@pytest.fixture
def recording(sim: Simulator, tmp_path: pathlib.Path) -> Tuple[pathlib.Path, List[Any]]:
    """A run of `program`, recorded at the service's own timing (the 50 s inline wait) on a fast clock."""
    folder = tmp_path / "recording"
    client = sim.client(record=folder)
    seen = program(client)
    client.close()  # writes the recording out
    return folder, seen


def test_a_replayed_run_gets_the_same_results(recording: Tuple[pathlib.Path, List[Any]]) -> None:
    folder, recorded = recording
    files = list(folder.glob("*.jsonl"))
    assert len(files) == 1, files
    assert len(recorded) == 5 and recorded[4][0] == "cost_limit"
    with Simulator(replay=folder) as replay:
        with replay.client() as client:
            assert program(client) == recorded
        stats = replay.replay_stats()
        assert stats is not None
        assert stats["firstDifference"] is None, stats
        assert stats["complete"], stats


def test_a_changed_program_is_told_the_first_difference(recording: Tuple[pathlib.Path, List[Any]]) -> None:
    folder, _ = recording
    with Simulator(replay=folder) as replay:
        client = replay.client()
        with pytest.raises(ValidationError) as err:
            program(client, one_more=True)
        assert err.value.server_code == "REPLAY_MISMATCH"
        assert err.value.server_message == EXPECTED
        stats = replay.replay_stats()
        assert stats is not None and stats["firstDifference"] == EXPECTED
        assert not stats["complete"]
        # The program's cleanup still ends the session it opened.
        assert client.terminate_open_sessions() == []
        client.close()


# A fixed place, known when the marker below is read; `recorded_here` fills it first.
HERE = pathlib.Path(tempfile.gettempdir()) / f"enigma-replay-fixture-{os.getpid()}"


@pytest.fixture
def recorded_here(sim: Simulator) -> List[Any]:
    client = sim.client(record=HERE)
    seen = program(client)
    client.close()
    return seen


@pytest.mark.enigma_replay(HERE)
def test_the_replay_fixture_serves_the_marked_recording(recorded_here: List[Any], enigma_replay: Simulator) -> None:
    with enigma_replay.client() as client:
        assert program(client) == recorded_here
    stats = enigma_replay.replay_stats()
    assert stats is not None and stats["complete"] and stats["firstDifference"] is None, stats


@pytest.mark.enigma_replay(pathlib.Path(__file__).parent / "data" / "no-such-recording")
def test_the_replay_fixture_needs_a_recording(request: Any) -> None:
    with pytest.raises(Exception, match="no-such-recording"):
        request.getfixturevalue("enigma_replay")


def test_the_key_is_never_recorded(sim: Simulator, tmp_path: pathlib.Path, monkeypatch: Any) -> None:
    key = sim.api_key()
    monkeypatch.setenv("ENIGMA_API_KEY", key)  # the key from the environment
    monkeypatch.setenv("ENIGMA_RECORD", str(tmp_path))  # and the recorder too
    with enigma.Client(base_url=sim.url, poll_interval=0.01) as client:
        session = client.start_session(starting_url=f"https://example.com/?apiKey={key}")
        task = session.new_task(f'Log in with {key} #sim guardrail="Is {key} right?"')
        assert task.result(timeout=30).outcome == "guardrail"
        session.answer_guardrail(f"yes, {key}", resume=False)
        session.terminate()
    files = list(tmp_path.glob("*.jsonl"))
    assert files
    for file in files:
        data = file.read_bytes()
        assert key.encode() not in data, file
        assert b"authorization" not in data.lower(), file
    assert b"[redacted]" in b"".join(f.read_bytes() for f in files)


def _unwritable(tmp_path: pathlib.Path) -> pathlib.Path:
    """A folder no write can go to: read-only for a user; as root, a folder inside sysfs."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        (folder / "probe").write_bytes(b"")
    except OSError:
        return folder
    return pathlib.Path("/sys/enigma-record-test")


def test_a_recorder_that_cannot_write_warns_once_and_the_run_goes_on(
    sim: Simulator, tmp_path: pathlib.Path, caplog: Any
) -> None:
    caplog.set_level(logging.WARNING, logger="enigma")
    with sim.client(record=_unwritable(tmp_path)) as client:
        with client.start_session() as session:
            for text in ("First", "Second"):
                assert session.new_task(text).result(timeout=30).outcome == "completed"
    warnings = [r for r in caplog.records if "flight recorder cannot write" in r.getMessage()]
    assert len(warnings) == 1, [r.getMessage() for r in caplog.records]
    assert warnings[0].levelno == logging.WARNING
