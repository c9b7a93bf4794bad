"""Packaging: the version comes from the workspace Cargo.toml, and a source build without Rust
stops with a message saying what is missing and where to get it (build_backend/)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import enigma

PYTHON_DIR = Path(__file__).resolve().parents[1]
ROOT = PYTHON_DIR.parent


def test_version_is_the_workspace_version() -> None:
    cargo = (ROOT / "Cargo.toml").read_text()
    workspace = cargo.split("[workspace.package]", 1)[1].split("\n[", 1)[0]
    match = re.search(r'^version\s*=\s*"([^"]+)"', workspace, re.M)
    assert match is not None
    assert enigma.__version__ == match.group(1)
    pyproject = (PYTHON_DIR / "pyproject.toml").read_text()
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    assert not re.search(r"^version\s*=", project, re.M), "the pyproject must not write a version"
    assert re.search(r'^dynamic\s*=\s*\[[^\]]*"version"', project, re.M)


def test_source_build_without_rust_says_where_to_get_it(tmp_path: Path) -> None:
    # The backend's hook, run as pip runs it: in a child process, here with no cargo on PATH.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import enigma_build_backend as b; "
        "b.get_requires_for_build_wheel()"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(PYTHON_DIR / "build_backend")],
        env={"PATH": str(tmp_path), "MATURIN_NO_INSTALL_RUST": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "building from source needs Rust" in run.stderr
    assert "https://rustup.rs" in run.stderr
    assert "Linux x86_64 and aarch64 (glibc 2.17+)" in run.stderr
