"""docs/scaling.md: the ProcessPoolExecutor example, run for real against the simulator (two
workers, two keys, two journals), and its shards pickle without the key."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from enigma.testing import Simulator

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_process_pool_example_runs_each_shard_under_its_own_key(sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    # Spawned workers find the example module and the simulator through the environment.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(EXAMPLES), *sys.path]))
    monkeypatch.setenv("ENIGMA_BASE_URL", sim.url)
    monkeypatch.setenv("ENIGMA_POLL_INTERVAL", "0.01")
    keys = {"ENIGMA_KEY_A": sim.api_key(), "ENIGMA_KEY_B": sim.api_key()}
    for name, key in keys.items():
        monkeypatch.setenv(name, key)
    import batch_process_pool as example

    tasks = [f"task {i}" for i in range(10)]
    shards = example.shard(tasks, list(keys), tmp_path)
    for shard in shards:
        pickled = pickle.dumps(shard)
        assert all(key.encode() not in pickled for key in keys.values()), "a shard pickles without the key"

    results = example.run(tasks, list(keys), tmp_path)
    assert [r["summary"]["outcomes"]["completed"] for r in results] == [5, 5]
    assert sim.stat("tasks.started") == 10
    assert all((tmp_path / f"{name}.jsonl").exists() for name in keys)

    # A rerun with the journals sends nothing more.
    again = example.run(tasks, list(keys), tmp_path)
    assert [r["summary"]["previously_done"] for r in again] == [5, 5]
    assert sim.stat("tasks.started") == 10
