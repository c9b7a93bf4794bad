#!/usr/bin/env bash
# Tests of the Python package (`enigma-click`): makes a venv (python/.venv), installs the test
# tools, builds the extension into it with `maturin develop` (debug build, the workspace target/ so CI reuses what cargo test built), and
# runs pytest. Called from the repo root by scripts/test-all.sh; works on a fresh machine with
# Rust and Python 3.9+. Extra arguments go to pytest.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$here"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.7,<2" "pytest>=8" "pytest-asyncio>=0.24" "mypy>=1.10" \
  "nbclient>=0.10" "nbformat>=5" "ipykernel>=6" "tqdm>=4" \
  "openai>=1.40" "mcp>=1.2; python_version >= '3.10'"  # the notebook, progress bars (test_examples.py, test_display.py); the official OpenAI and MCP SDKs against the simulator (test_openai_sdk.py, test_mcp_sse.py)

# `maturin develop` installs into the active virtualenv.
VIRTUAL_ENV="$here/.venv" PATH="$here/.venv/bin:$PATH" .venv/bin/maturin develop --quiet

.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
