"""Stubs cannot drift: `mypy.stubtest` checks `_native.pyi` against the built module, and mypy
checks the package in strict mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
