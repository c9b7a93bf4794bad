"""The official MCP Python SDK (``mcp``) against the simulator's MCP endpoint
(``sse_client(sim.url + "/mcp/sse?apiKey=KEY")``, the SSE transport the service documents):
the six tools, bad input, and a host that goes away mid-task."""

from __future__ import annotations

import json
import sys
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

import anyio
import pytest

if sys.version_info < (3, 10):
    pytest.skip("the mcp package needs Python 3.10 or later", allow_module_level=True)

from mcp import ClientSession
from mcp.client.sse import sse_client

from enigma.testing import Simulator

TOOLS = {"browser_task", "create_session", "send_task_to_session", "get_task_status", "control_session", "take_over_session"}


@asynccontextmanager
async def connect(sim: Simulator) -> AsyncIterator[ClientSession]:
    async with sse_client(f"{sim.url}/mcp/sse?apiKey={sim.api_key()}") as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


def is_error(result: Any) -> bool:
    # `is_error` in the SDK's 2.x types, `isError` in 1.x.
    return bool(getattr(result, "is_error", None) or getattr(result, "isError", None))


def answer(result: Any) -> Any:
    """The tool's answer: the JSON text of its first content block."""
    return json.loads(result.content[0].text)


async def call(session: ClientSession, tool: str, **args: Any) -> Any:
    result = await session.call_tool(tool, args)
    assert not is_error(result), answer(result)
    return answer(result)


async def until(check: Callable[[], bool]) -> None:
    """Waits (bounded) for a condition of the simulator's state."""
    for _ in range(400):
        if check():
            return
        await anyio.sleep(0.025)
    raise AssertionError("the condition did not come true")


async def test_list_tools_gives_the_six_tools_and_their_arguments(sim: Simulator) -> None:
    async with connect(sim) as session:
        tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == TOOLS
    schema = getattr(tools["browser_task"], "input_schema", None) or getattr(tools["browser_task"], "inputSchema")
    assert schema["required"] == ["taskDetails"]
    assert set(schema["properties"]) == {"taskDetails", "startingUrl", "maxDuration"}
    control = getattr(tools["control_session"], "input_schema", None) or getattr(tools["control_session"], "inputSchema")
    assert control["properties"]["action"]["enum"] == ["pause", "resume", "stop", "terminate"]


async def test_every_tool_answers_as_the_rest_api(sim: Simulator) -> None:
    async with connect(sim) as session:
        done = await call(session, "browser_task", taskDetails="Find a kettle", maxDuration=60000)
        assert done["status"] == "complete" and done["result"]["type"] == "task_completed"

        started = await call(session, "create_session", taskDetails="Browse slowly #sim duration=100")
        sid, first = started["sessionId"], started["taskId"]
        assert started["success"] is True and started["streaming"]["webViewURL"].endswith(sid)
        running = await call(session, "get_task_status", sessionId=sid, taskId=first)
        assert running["status"] == "active" and running["pending"] is True

        assert (await call(session, "control_session", sessionId=sid, action="pause"))["success"] is True
        await call(session, "control_session", sessionId=sid, action="resume")
        await call(session, "take_over_session", sessionId=sid, action="takeover")
        await call(session, "take_over_session", sessionId=sid, action="release")
        await call(session, "control_session", sessionId=sid, action="stop")
        stopped = await call(session, "get_task_status", sessionId=sid, taskId=first)
        assert stopped["status"] == "stopped"

        second = await call(session, "send_task_to_session", sessionId=sid, taskDetails="Now the price")
        assert second["status"] == "complete" and second["taskId"] != first
        await call(session, "control_session", sessionId=sid, action="terminate")

        gone = await session.call_tool("get_task_status", {"sessionId": "nosuchsessio", "taskId": "nosuchtask00"})
        assert is_error(gone) and answer(gone)["code"] == "SESSION_NOT_FOUND"
    stats = sim.stats()
    assert all(stats["mcp"]["byTool"][tool] >= 1 for tool in TOOLS), stats["mcp"]
    assert stats["sessions"]["open"] == 0


@pytest.mark.parametrize(
    "tool,args,named",
    [
        ("browser_task", {}, "taskDetails"),
        ("browser_task", {"taskDetails": "x", "maxDuration": "long"}, "maxDuration"),
        ("browser_task", {"taskDetails": 42}, "taskDetails"),
        ("create_session", {"startingUrl": 7}, "startingUrl"),
        ("send_task_to_session", {"taskDetails": "x"}, "sessionId"),
        ("send_task_to_session", {"sessionId": "a", "taskDetails": "x", "terminateOnCompletion": "yes"}, "terminateOnCompletion"),
        ("get_task_status", {"sessionId": "a"}, "taskId"),
        ("control_session", {"sessionId": "a", "action": "explode"}, "action"),
        ("take_over_session", {"sessionId": "a"}, "action"),
    ],
)
async def test_bad_input_is_a_tool_error_naming_the_argument_and_sends_nothing(
    sim: Simulator, tool: str, args: dict, named: str
) -> None:
    async with connect(sim) as session:
        result = await session.call_tool(tool, args)
    assert is_error(result)
    assert f"'{named}'" in answer(result)["message"], answer(result)
    stats = sim.stats()
    assert stats["sessions"]["total"] == 0 and stats["tasks"]["started"] == 0
    assert stats["mcp"]["invalidArguments"] == 1


async def test_a_host_that_goes_away_mid_task_leaves_no_session_open(sim: Simulator) -> None:
    async with connect(sim) as session:
        async with anyio.create_task_group() as group:
            group.start_soon(session.call_tool, "browser_task", {"taskDetails": "A long one #sim duration=250"})
            await until(lambda: sim.stat("sessions.open") == 1)
            group.cancel_scope.cancel()
    # The connection is closed: the simulator ends what it opened.
    await until(lambda: sim.stat("sessions.open") == 0)
    assert sim.stat("mcp.sessionsEndedOnDisconnect") == 1
    assert sim.stat("tasks.completed") == 0, "the task was cut short, not left to finish"


async def test_a_missing_or_wrong_key_is_refused_before_the_stream(sim: Simulator) -> None:
    with pytest.raises(Exception):
        async with sse_client(f"{sim.url}/mcp/sse?apiKey=sk-wrong"):
            pass
    assert sim.stat("mcp.connections.total") == 0
