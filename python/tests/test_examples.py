"""The Python examples (examples/*.py) run to exit 0 on the in-process simulator, without a key,
and the notebook (examples/notebook.ipynb) runs top to bottom under nbclient."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Dict, List

import pytest

from _util import REPO

EXAMPLES = REPO / "examples"

# What each example must print (besides exiting 0): proof it did its job, not just ran.
EXPECTED: Dict[str, List[str]] = {
    "quickstart": ["completed - "],
    "session": ["Find the year she was born' -> completed"],
    "control": ["paused: True", "resumed: True", "outcome: stopped"],
    "cost_ceiling": ["(limit 0.10 USD)"],
    "guardrail": ["the agent asks: Which size", "completed - "],
    "live_events": ["thinking:", "doing:", "done:"],
    "manual_interaction": ["handed back", "completed - "],
    "reattach": ["[child] task", ": completed", "[parent] session terminated"],
    "error_handling": ["validation: field='task_details'", "wait_timeout", "task_failed: NAVIGATION_TIMEOUT", "authentication: status=401"],
    "testing": ["2 passed"],
}


def _env_without_key() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ENIGMA_API_KEY", "ENIGMA_BASE_URL")}
    env.pop("PYTEST_ADDOPTS", None)
    return env


def test_every_python_example_is_checked() -> None:
    programs = {p.stem for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")}
    assert programs == set(EXPECTED)


def test_the_examples_run_on_the_simulator() -> None:
    # All at once: each is a separate process with its own simulator.
    children = {
        name: subprocess.Popen(
            [sys.executable, str(EXAMPLES / f"{name}.py")],
            cwd=EXAMPLES,
            env=_env_without_key(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in EXPECTED
    }
    failures = []
    for name, child in children.items():
        try:
            out, err = child.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
        missing = [text for text in EXPECTED[name] if text not in out]
        if child.returncode != 0 or missing:
            failures.append(f"{name}: exit {child.returncode}, missing {missing}\n{out}\n{err}")
    assert not failures, "\n\n".join(failures)


def test_the_notebook_runs_top_to_bottom() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4)
    env = _env_without_key()
    # The kernel is this interpreter (the venv with enigma installed).
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(EXAMPLES)}}
    )
    old = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("Enigma task result" in h for h in html), "a TaskResult renders as HTML"
    assert any("<table" in h for h in html), "the results table renders"
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "thinking:" in text and "the agent asks:" in text
