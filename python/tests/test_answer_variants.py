"""The documented variants of the task answers from Python: ``Simulator(answer_variants=[...])``
reaches the simulator, whose answers then take those shapes (docs/api-contract.md §10), and a
task run on it reads to the same result. (The core's tests, crates/enigma/tests/answer_variants.rs,
check every variant one by one.)"""

from __future__ import annotations

from typing import Any, Dict

import pytest

from enigma.testing import Simulator

from _util import post_raw


def run_task_raw(sim: Simulator, task: str) -> Dict[str, Any]:
    """The raw answer of ``POST /start/run-task``."""
    return post_raw(sim, "/start/run-task", {"taskDetails": task})


def test_answer_variants_reach_the_simulator_and_read_to_the_same_result() -> None:
    variants = ["inline_without_status", "usage_in_data", "snake_case_usage"]
    with Simulator(time_scale=0.01, rate_limit=0, answer_variants=variants) as sim:
        answer = run_task_raw(sim, "Find shoes")
        assert "status" not in answer, answer
        assert "usage" not in answer["result"], answer
        assert answer["result"]["data"]["usage"] == {"cost": answer["result"]["data"]["usage"]["cost"]}
        result = sim.client().run_task("Find shoes", timeout=30)
        assert result.outcome == "completed"
        assert result.usage.cost == pytest.approx(answer["result"]["data"]["usage"]["cost"])
        assert result.usage.input_tokens == answer["result"]["data"]["prompt_tokens"]


def test_an_unknown_answer_variant_is_refused_with_the_known_names() -> None:
    with pytest.raises(ValueError, match="answer_variants") as refused:
        Simulator(answer_variants=["flat_result"])
    assert "flat_result" in str(refused.value) and "snake_case_usage" in str(refused.value)
