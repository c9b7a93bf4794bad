"""PEP 517 build backend of enigma-click: maturin, behind a check that Rust is there.

pip builds from source (the sdist) only where no prebuilt wheel fits the platform. That build
needs Rust; without it, maturin would either fail with a cargo error or fetch a whole toolchain
into a temporary folder (puccinialin). Instead, this says plainly what is missing and where to
get it, and never downloads a toolchain behind the user's back (MATURIN_NO_INSTALL_RUST).
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from typing import Any, Mapping, Optional

import maturin

os.environ.setdefault("MATURIN_NO_INSTALL_RUST", "1")

RUST_VERSION = "1.85"
PREBUILT = (
    "Linux x86_64 and aarch64 (glibc 2.17+), Linux x86_64 musl (musl 1.2+), "
    "macOS x86_64 and arm64, Windows x86_64; CPython 3.9+"
)


def _this_platform() -> str:
    libc = "-".join(p for p in platform.libc_ver() if p) if sys.platform.startswith("linux") else ""
    parts = [platform.system() or sys.platform, platform.machine(), libc, f"Python {platform.python_version()}"]
    return ", ".join(p for p in parts if p)


def _require_rust() -> None:
    cargo = shutil.which("cargo")
    found = ""
    if cargo is not None:
        try:
            found = subprocess.run([cargo, "--version"], capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.SubprocessError):
            found = ""
    if "cargo" in found:
        return
    # A message and exit status 1, without a traceback: pip shows the message as the reason.
    print(
        "\n\nenigma-click: building from source needs Rust, and no working `cargo` is on PATH.\n"
        f"pip builds from source when no prebuilt wheel fits the platform (here: {_this_platform()}).\n"
        f"Prebuilt wheels exist for: {PREBUILT}.\n"
        f"Install Rust {RUST_VERSION} or newer from https://rustup.rs (or your system's package manager),\n"
        "open a new shell so that `cargo` is on PATH, and run `pip install enigma-click` again.\n",
        file=sys.stderr,
    )
    raise SystemExit(1)


def get_requires_for_build_wheel(config_settings: Optional[Mapping[str, Any]] = None) -> list[str]:
    _require_rust()
    return list(maturin.get_requires_for_build_wheel(config_settings))


def get_requires_for_build_editable(config_settings: Optional[Mapping[str, Any]] = None) -> list[str]:
    _require_rust()
    return list(maturin.get_requires_for_build_wheel(config_settings))


def get_requires_for_build_sdist(config_settings: Optional[Mapping[str, Any]] = None) -> list[str]:
    _require_rust()
    return list(maturin.get_requires_for_build_sdist(config_settings))


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: Optional[Mapping[str, Any]] = None
) -> str:
    _require_rust()
    return str(maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings))


def build_wheel(
    wheel_directory: str,
    config_settings: Optional[Mapping[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    _require_rust()
    return str(maturin.build_wheel(wheel_directory, config_settings, metadata_directory))


def build_editable(
    wheel_directory: str,
    config_settings: Optional[Mapping[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    _require_rust()
    return str(maturin.build_editable(wheel_directory, config_settings, metadata_directory))


def build_sdist(sdist_directory: str, config_settings: Optional[Mapping[str, Any]] = None) -> str:
    _require_rust()
    return str(maturin.build_sdist(sdist_directory, config_settings))
