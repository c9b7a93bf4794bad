"""The shared conformance scenarios (`tests/scenarios/*.json`, format in its README) through the
Python API, with the same outcomes as the Rust runner (`crates/enigma/tests/scenarios.rs`)."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, List, Optional

import pytest

import enigma
from enigma.testing import Simulator

from _util import REPO

FILES = sorted((REPO / "tests" / "scenarios").glob("*.json"))


def test_scenarios_are_found() -> None:
    assert len(FILES) >= 10


def session_options(args: Dict[str, Any]) -> Dict[str, Any]:
    names = {
        "taskDetails": "task_details",
        "startingUrl": "starting_url",
        "maxDuration": "max_duration",
        "maxInputTokens": "max_input_tokens",
        "maxOutputTokens": "max_output_tokens",
        "avoidDomains": "avoid_domains",
        "terminateOnCompletion": "terminate_on_completion",
    }
    return {py: args[js] for js, py in names.items() if js in args}


def stat(stats: Dict[str, Any], path: str) -> int:
    """A number by dotted path (absent counts are 0)."""
    node: Any = stats
    rest = path
    while "." in rest:
        head, tail = rest.split(".", 1)
        if isinstance(node, dict) and isinstance(node.get(head), dict):
            node, rest = node[head], tail
        else:
            break
    value = node.get(rest, 0) if isinstance(node, dict) else 0
    return int(value) if isinstance(value, (int, float)) else 0


class Runner:
    def __init__(self, sim: Simulator, client: enigma.AsyncClient, time_scale: float) -> None:
        self.sim, self.client, self.time_scale = sim, client, time_scale
        self.session: Optional[enigma.AsyncSession] = None
        self.task: Optional[enigma.AsyncTask] = None
        self.saved: Dict[str, enigma.AsyncTask] = {}

    def pick(self, step: Dict[str, Any]) -> enigma.AsyncTask:
        name = step.get("task")
        task = self.saved[name] if name else self.task
        assert task is not None, "a task was created first"
        return task

    async def perform(self, step: Dict[str, Any]) -> Any:
        args: Dict[str, Any] = step.get("args", {})
        op = step["op"]
        s = self.session
        wait = {"timeout": args.get("timeout"), "max_cost": args.get("maxCost")}
        if op == "startSession":
            self.session = await self.client.start_session(**session_options(args))
            self.task = self.session.initial_task
        elif op == "newTask":
            assert s is not None
            opts = session_options(args)
            details = opts.pop("task_details", "")
            self.task = await s.new_task(details, **opts)
            if "save" in step:
                self.saved[step["save"]] = self.task
        elif op == "runTask":
            opts = session_options(args)
            return await self.client.run_task(opts.pop("task_details"), **wait, **opts)
        elif op == "result":
            return await self.pick(step).result(**wait)
        elif op == "poll":
            return await self.pick(step).poll()
        elif op == "sleep":
            await asyncio.sleep(step.get("simSeconds", 1.0) * self.time_scale)
        else:
            assert s is not None
            calls = {
                "pause": lambda: s.pause(),
                "resume": lambda: s.resume(),
                "stop": lambda: s.stop(),
                "terminate": lambda: s.terminate(),
                "takeOver": lambda: s.take_over(),
                "release": lambda: s.release(),
                "click": lambda: s.click(args.get("x", 0), args.get("y", 0)),
                "doubleClick": lambda: s.double_click(args.get("x", 0), args.get("y", 0)),
                "typeText": lambda: s.type_text(args.get("text", ""), bool(args.get("humanLike", False))),
                "pressKey": lambda: s.press_key(args.get("key", "")),
                "answerGuardrail": lambda: s.answer_guardrail(args.get("text", ""), args.get("resume", True) is not False),
            }
            await calls[op]()
        return None

    async def step(self, step: Dict[str, Any]) -> None:
        expect: Dict[str, Any] = step.get("expect", {})
        if step["op"] == "stats":
            stats = self.sim.stats()
            for path, expected in expect.items():
                assert stat(stats, path) == expected, f"stats {path}: expected {expected}; {stats}"
            return
        try:
            produced = await self.perform(step)
        except enigma.EnigmaError as err:
            assert "error" in expect, f"unexpected error: {err!r}"
            assert err.code == expect["error"], f"expected {expect['error']}, got {err!r}"
            if "serverCode" in expect:
                assert err.server_code == expect["serverCode"], repr(err)
            if "status" in expect:
                assert err.status == expect["status"], repr(err)
            return
        assert "error" not in expect, f"expected error {expect['error']}, but the step succeeded"
        if isinstance(produced, enigma.TaskResult):
            if "outcome" in expect:
                assert produced.outcome == expect["outcome"], repr(produced)
            if "messageContains" in expect:
                assert expect["messageContains"] in (produced.message or ""), repr(produced)
            if "question" in expect:
                assert produced.question == expect["question"], repr(produced)
            cost = produced.usage.cost or 0.0
            assert cost >= expect.get("minCost", cost) and cost <= expect.get("maxCost", cost), repr(produced)
        elif isinstance(produced, enigma.TaskStatus):
            if "state" in expect:
                assert produced.state == expect["state"], repr(produced)
            if "paused" in expect:
                assert produced.state == "running" and produced.paused == expect["paused"], repr(produced)


@pytest.mark.parametrize("strict_docs", [False, True], ids=["extras", "strict-docs"])
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
async def test_scenario(path: Any, strict_docs: bool) -> None:
    """Against the simulator as it is, and as the docs alone describe the service."""
    scenario = json.loads(path.read_text())
    if strict_docs:
        # `paused` in polls is an extra of the simulator: the documented service does not send it.
        for step in scenario["steps"]:
            if step.get("expect", {}).pop("paused", None) is not None:
                step["expect"]["state"] = "running"
    settings: Dict[str, Any] = scenario.get("simulator", {})
    time_scale = settings.get("timeScale", 0.01)
    config: Dict[str, Any] = {"time_scale": time_scale, "rate_limit": None, "strict_docs": strict_docs}
    if "inlineWait" in settings:
        config["inline_wait"] = settings["inlineWait"]
    if "maxSessions" in settings:
        config["max_sessions"] = settings["maxSessions"]
    if "balance" in settings:
        config["initial_balance"] = settings["balance"]
    with Simulator(**config) as sim:
        client = sim.async_client(poll_interval=0.01)
        runner = Runner(sim, client, time_scale)
        steps: List[Dict[str, Any]] = scenario["steps"]
        for index, step in enumerate(steps):
            try:
                await runner.step(step)
            except AssertionError as err:
                raise AssertionError(f"{path.name} step {index} ({step['op']}): {err}") from None
