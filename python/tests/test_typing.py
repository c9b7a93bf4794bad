"""Stubs cannot drift: `mypy.stubtest` checks `_native.pyi` against the built module, and mypy
checks the package in strict mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import enigma

PACKAGE = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=PACKAGE, capture_output=True, text=True, timeout=300
    )


def test_stubtest_native_module() -> None:
    out = run("mypy.stubtest", "enigma._native")
    assert out.returncode == 0, out.stdout + out.stderr


def test_package_is_strictly_typed() -> None:
    out = run("mypy", "src/enigma")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (PACKAGE / "src" / "enigma" / "py.typed").exists()


# What a user's code sees: the types of `err.task` and `batch.summary` are the objects they
# are, not `Any` (with `Any`, mypy lets every misuse through).
PRECISE = '''
import enigma
from enigma import errors

def on_timeout(err: errors.WaitTimeout, stop: errors.CostLimitExceeded) -> None:
    reveal_type(err.task)
    reveal_type(stop.task)

def summarised(batch: enigma.Batch) -> None:
    summary = batch.summary
    reveal_type(summary)
    if summary is not None:
        reveal_type(summary["outcomes"])
        reveal_type(summary["spent"])
        summary["colour"]
'''


def test_error_tasks_and_batch_summaries_are_precisely_typed(tmp_path: Path) -> None:
    (tmp_path / "user.py").write_text(PRECISE)
    out = run("mypy", "--strict", "--no-incremental", "--python-version", "3.10", str(tmp_path / "user.py"))
    lines = [line for line in out.stdout.splitlines() if "Revealed type" in line]
    revealed = [shown(line) for line in lines]
    task = {"enigma._sync.Task", "enigma._async.AsyncTask", "None"}
    assert revealed[:2] == [task, task], out.stdout
    summary = lines[2].split("Revealed type is ", 1)[1]
    assert "TypedDict" in summary and "enigma._batch.BatchSummary" in summary and "Any" not in summary, out.stdout
    assert summary.rstrip('"').rstrip("]").endswith("None"), "Optional: None before the batch ends"
    assert revealed[3:] == [{"dict[str, int]"}, {"float"}], out.stdout
    assert '"BatchSummary" has no key "colour"' in out.stdout, out.stdout


def shown(line: str) -> set[str]:
    """The members of a type mypy revealed, in either of its union notations."""
    text = line.split("Revealed type is ", 1)[1].strip().strip('"').replace("builtins.", "")
    if text.startswith("Union[") and text.endswith("]"):
        return {part.strip() for part in text[len("Union[") : -1].split(", ")}
    return {part.strip() for part in text.split(" | ")}


def test_the_summary_type_has_the_cores_keys(client: enigma.Client) -> None:
    batch = client.run_many(["one #sim duration=1"])
    assert [item.outcome for item in batch] == ["completed"]
    assert batch.summary is not None
    assert set(batch.summary) == set(enigma.BatchSummary.__annotations__)
    assert batch.summary["outcomes"]["completed"] == 1, "dict access, as before"
