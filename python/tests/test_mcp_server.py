"""`enigma mcp`, the local MCP server, driven by the official MCP Python SDK (`mcp`) as a host
would: over stdio (`stdio_client`) and Streamable HTTP (`streamable_http_client`), against the
in-process simulator. Every test ends by asking the simulator whether a session was left open."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Dict, List, Optional

import pytest

from enigma.testing import Simulator

mcp = pytest.importorskip("mcp")
from mcp import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

try:  # the 2.x name; 1.x called it streamablehttp_client
    from mcp.client.streamable_http import streamable_http_client as http_client
except ImportError:  # pragma: no cover
    from mcp.client.streamable_http import streamablehttp_client as http_client  # type: ignore

THE_SIX = {
    "browser_task",
    "create_session",
    "send_task_to_session",
    "get_task_status",
    "control_session",
    "take_over_session",
}
THE_REST = {"answer_guardrail", "get_recent_events", "get_live_view"}

# Long enough that a task is still running when a test acts on it: 250 simulated seconds (under
# the sessions' 300 s limit), 25 s on the simulators of the tests marked `slow_sim`.
LONG = "#sim duration=250 steps=100"
slow_sim = pytest.mark.enigma_simulator(time_scale=0.1, rate_limit=0)


def enigma_script() -> str:
    script = shutil.which("enigma", path=str(Path(sys.executable).parent))
    assert script is not None, f"the package installed no enigma command next to {sys.executable}"
    return script


def server_env(sim: Simulator) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENIGMA_")}
    env["ENIGMA_API_KEY"] = sim.api_key()
    env["ENIGMA_POLL_INTERVAL"] = "0.05"
    if "ENIGMA_LEDGER" in os.environ:
        env["ENIGMA_LEDGER"] = os.environ["ENIGMA_LEDGER"]
    return env


@asynccontextmanager
async def over_stdio(sim: Simulator, *extra: str) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=enigma_script(), args=["mcp", "--base-url", sim.url, *extra], env=server_env(sim)
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            yield session


class HttpServer:
    def __init__(self, sim: Simulator, *extra: str) -> None:
        self.process = subprocess.Popen(
            [enigma_script(), "mcp", "--http", "0", "--base-url", sim.url, *extra],
            env=server_env(sim),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert "listening on" in line, line + (self.process.stderr.read() if self.process.stderr else "")
        self.url = line.strip().rsplit(" ", 1)[-1]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def http_server(sim: Simulator) -> Any:
    servers: List[HttpServer] = []

    def start(*extra: str) -> HttpServer:
        servers.append(HttpServer(sim, *extra))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


@asynccontextmanager
async def over_http(url: str) -> AsyncIterator[ClientSession]:
    async with http_client(url) as streams:
        async with ClientSession(streams[0], streams[1]) as session:
            await session.initialize()
            yield session


def answer(result: Any) -> Dict[str, Any]:
    """A tool answer's JSON text."""
    return json.loads(result.content[0].text)


async def call(session: ClientSession, tool: str, **arguments: Any) -> Dict[str, Any]:
    result = await session.call_tool(tool, arguments)
    body = answer(result)
    assert not result.is_error, body
    return body


async def tool_error(session: ClientSession, tool: str, **arguments: Any) -> Dict[str, Any]:
    result = await session.call_tool(tool, arguments)
    body = answer(result)
    assert result.is_error, body
    return body["error"]


async def eventually(check: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    """Waits for a condition that the server brings about by itself (not a timing assertion:
    the limit only keeps a broken build from hanging)."""
    deadline = time.monotonic() + limit
    while not check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)


async def test_the_tools_are_listed_with_typed_described_arguments(sim: Simulator) -> None:
    async with over_stdio(sim) as session:
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
    assert THE_SIX | THE_REST <= set(tools)
    browser_task = tools["browser_task"].input_schema
    assert browser_task["required"] == ["taskDetails"]
    assert {"taskDetails", "startingUrl", "maxDuration", "maxCost"} <= set(browser_task["properties"])
    assert "integer" in json.dumps(browser_task["properties"]["maxDuration"])
    send = tools["send_task_to_session"].input_schema
    assert sorted(send["required"]) == ["sessionId", "taskDetails"]
    assert "terminateOnCompletion" in send["properties"]
    control = json.dumps(tools["control_session"].input_schema)
    assert all(action in control for action in ("pause", "resume", "stop", "terminate"))
    assert all(action in json.dumps(tools["take_over_session"].input_schema) for action in ("takeover", "release"))
    for tool in tools.values():
        assert tool.description
        for name, prop in tool.input_schema.get("properties", {}).items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
    assert sim.stat("sessions.total") == 0


@slow_sim
async def test_every_tool_over_stdio_and_nothing_left_open(sim: Simulator) -> None:
    async with over_stdio(sim) as session:
        done = await call(session, "browser_task", taskDetails='Find the hours #sim message="9 to 6"')
        assert (done["status"], done["message"]) == ("completed", "9 to 6")
        assert done["sessionId"] and done["taskId"]

        opened = await call(session, "create_session", taskDetails=f"Browse {LONG}", startingUrl="https://a.example")
        sid, first = opened["sessionId"], opened["taskId"]
        assert opened["liveViewUrl"] and first
        running = await call(session, "get_task_status", sessionId=sid, taskId=first)
        assert running["status"] == "running" and running["answer"]["pending"] is True
        assert (await call(session, "control_session", sessionId=sid, action="pause"))["action"] == "pause"
        assert (await call(session, "control_session", sessionId=sid, action="resume"))["action"] == "resume"
        assert (await call(session, "take_over_session", sessionId=sid, action="takeover"))["action"] == "takeover"
        assert (await call(session, "take_over_session", sessionId=sid, action="release"))["action"] == "release"
        await call(session, "control_session", sessionId=sid, action="stop")
        await eventually(lambda: sim.stat("tasks.running") == 0, "the stopped task ends")

        second = await call(session, "send_task_to_session", sessionId=sid, taskDetails='Next #sim message="done"')
        assert (second["status"], second["message"]) == ("completed", "done")
        status = await call(session, "get_task_status", sessionId=sid, taskId=second["taskId"])
        assert status["status"] == "completed"
        events = await call(session, "get_recent_events", sessionId=sid, limit=50)
        assert any(e.get("type") == "task_completed" for e in events["events"]), events
        view = await call(session, "get_live_view", sessionId=sid)
        assert view["liveViewUrl"] == opened["liveViewUrl"]
        # Left open on purpose: the host's end terminates it.
    await eventually(lambda: sim.stat("sessions.open") == 0, "stdin closed: every session terminated")
    assert sim.stat("sessions.total") == 2


async def test_a_guardrail_is_answered_and_the_task_goes_on(sim: Simulator) -> None:
    async with over_stdio(sim) as session:
        asked = await call(session, "browser_task", taskDetails='Buy shoes #sim guardrail="Which size?" message="Bought"')
        assert (asked["status"], asked["question"]) == ("guardrail", "Which size?")
        done = await call(session, "answer_guardrail", sessionId=asked["sessionId"], answer="42")
        assert (done["status"], done["message"]) == ("completed", "Bought")
        assert done["taskId"] == asked["taskId"]
    assert sim.stat("requests.byMessage.guardrail:resume") == 1
    await eventually(lambda: sim.stat("sessions.open") == 0, "nothing left open")


@slow_sim
async def test_a_task_s_cost_ceiling_stops_it(sim: Simulator) -> None:
    async with over_stdio(sim) as session:
        stopped = await tool_error(session, "browser_task", taskDetails=f"Shop {LONG} cost=5", maxCost=0.05)
        assert stopped["code"] == "cost_limit"
        assert stopped["usage"]["cost"] >= 0.05
    assert sim.stat("tasks.completed") == 0
    await eventually(lambda: sim.stat("sessions.open") == 0, "nothing left open")


@slow_sim
async def test_the_server_s_budget_stops_a_task_and_then_refuses_to_start_one(sim: Simulator) -> None:
    async with over_stdio(sim, "--budget", "0.05") as session:
        stopped = await tool_error(session, "browser_task", taskDetails=f"Shop {LONG} cost=5")
        assert stopped["code"] == "cost_limit"
        sent = sim.stat("requests.total")
        refused = await tool_error(session, "browser_task", taskDetails="Another")
        assert refused["code"] == "cost_limit" and "budget" in refused["message"]
        assert sim.stat("requests.total") == sent, "a refused task sends nothing"
    await eventually(lambda: sim.stat("sessions.open") == 0, "nothing left open")


async def test_bad_arguments_name_the_argument_and_send_nothing(sim: Simulator) -> None:
    async with over_stdio(sim) as session:
        missing = await tool_error(session, "browser_task")
        assert missing["code"] == "validation" and missing["field"] == "taskDetails"
        mistyped = await tool_error(session, "browser_task", taskDetails="x", maxDuration="soon")
        assert mistyped["field"] == "maxDuration" and "maxDuration" in mistyped["message"]
        out_of_range = await tool_error(session, "browser_task", taskDetails="x", maxDuration=900000)
        assert out_of_range["field"] == "maxDuration"
        action = await tool_error(session, "control_session", sessionId="abcdefabcdef", action="explode")
        assert action["field"] == "action"
        unknown = await tool_error(session, "send_task_to_session", sessionId="abcdefabcdef", task="x")
        assert "taskDetails" in unknown["message"] or unknown["field"] == "task"
        wrong_id = await tool_error(session, "get_task_status", sessionId="no such id!", taskId="abcdefabcdef")
        assert wrong_id["field"] == "sessionId"
    assert sim.stat("requests.total") == 0, "nothing was sent"


@slow_sim
async def test_a_host_that_disconnects_mid_task_leaves_no_session_open(sim: Simulator) -> None:
    async def host() -> None:
        async with over_stdio(sim) as session:
            await call(session, "create_session", taskDetails=f"Browse {LONG}")
            await session.call_tool("browser_task", {"taskDetails": f"Shop {LONG}"})

    task = asyncio.ensure_future(host())
    await eventually(lambda: sim.stat("sessions.open") == 2, "two sessions open")
    task.cancel()  # the host goes away mid-call: its stdio closes
    with pytest.raises(BaseException):
        await task
    await eventually(lambda: sim.stat("sessions.open") == 0, "the server terminated both sessions")


@slow_sim
async def test_a_cancelled_call_stops_its_task(sim: Simulator) -> None:
    async with over_stdio(sim) as session:
        opened = await call(session, "create_session")
        with pytest.raises(Exception):
            # The SDK gives up after the timeout and sends notifications/cancelled.
            await session.call_tool(
                "send_task_to_session",
                {"sessionId": opened["sessionId"], "taskDetails": f"Browse {LONG}"},
                read_timeout_seconds=1.0,
            )
        await eventually(lambda: sim.stat("tasks.running") == 0, "the cancelled call's task was stopped")
        assert sim.stat("sessions.open") == 1, "the session itself stays open for the host"
    await eventually(lambda: sim.stat("sessions.open") == 0, "nothing left open")


async def test_streamable_http_serves_the_tools(sim: Simulator, http_server: Any) -> None:
    server = http_server()
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/mcp")
    async with over_http(server.url) as session:
        names = {tool.name for tool in (await session.list_tools()).tools}
        assert THE_SIX | THE_REST <= names
        done = await call(session, "browser_task", taskDetails='Find it #sim message="found"')
        assert (done["status"], done["message"]) == ("completed", "found")
        asked = await call(session, "browser_task", taskDetails='Buy #sim guardrail="Color?" message="ok"')
        assert asked["status"] == "guardrail"
        assert (await call(session, "answer_guardrail", sessionId=asked["sessionId"], answer="red"))["status"] == "completed"
        bad = await tool_error(session, "create_session", maxDuration=-1)
        assert bad["field"] == "maxDuration"
    await eventually(lambda: sim.stat("sessions.open") == 0, "nothing left open")
    assert server.stop() == 0 or server.process.returncode == 143


@slow_sim
async def test_an_http_host_that_disconnects_mid_task_leaves_no_session_open(sim: Simulator, http_server: Any) -> None:
    server = http_server()

    async def host() -> None:
        async with over_http(server.url) as session:
            await session.call_tool("browser_task", {"taskDetails": f"Shop {LONG}"})

    task = asyncio.ensure_future(host())
    await eventually(lambda: sim.stat("sessions.open") == 1, "a session open")
    task.cancel()
    with pytest.raises(BaseException):
        await task
    await eventually(lambda: sim.stat("sessions.open") == 0, "the server terminated the session")


@slow_sim
@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
async def test_a_signal_leaves_no_session_open(sim: Simulator, http_server: Any, signum: int, status: int) -> None:
    server = http_server()
    async with over_http(server.url) as session:
        await call(session, "create_session", taskDetails=f"Browse {LONG}")
        await call(session, "create_session")
        assert sim.stat("sessions.open") == 2
        server.process.send_signal(signum)
        assert server.process.wait(timeout=30) == status
    assert sim.stat("sessions.open") == 0


def test_the_key_never_shows(sim: Simulator) -> None:
    """Not in the help, the tool answers' sources (errors), nor what the server prints."""
    key = sim.api_key()
    env = server_env(sim)
    env["ENIGMA_API_KEY"] = key
    env["ENIGMA_LOG"] = "debug"
    request = (
        '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",'
        '"capabilities":{},"clientInfo":{"name":"t","version":"1"}}}\n'
        '{"jsonrpc":"2.0","method":"notifications/initialized"}\n'
        '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"browser_task",'
        '"arguments":{"taskDetails":"x #sim fail=PAGE_CRASH"}}}\n'
    )
    proc = subprocess.Popen(
        [enigma_script(), "mcp", "--base-url", sim.url],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(request)
    proc.stdin.flush()
    lines: List[Optional[Dict[str, Any]]] = []
    while not any(line and line.get("id") == 2 for line in lines):
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        lines.append(json.loads(line))
    proc.stdin.close()  # the host goes away
    assert proc.wait(timeout=30) == 0
    out = proc.stdout.read()
    err = proc.stderr.read() if proc.stderr else ""
    answer_line = json.dumps(lines)
    assert "PAGE_CRASH" in answer_line and '"isError": true' in answer_line
    assert key not in answer_line + out + err
