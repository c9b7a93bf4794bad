#!/usr/bin/env bash
# Runs every test of the project: Rust (core, simulator, CLI, interop), then the Python and
# Node packages when present. Installs what the tests need (npm packages, a Python venv with
# maturin and pytest) itself, so it works on a fresh machine with Rust, Python and Node.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "npm packages for the Socket.IO interop tests"
for dir in tests/interop/*/; do
  if [ -f "$dir/package.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

step "Rust: fmt, clippy, tests"
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo test
# The binding crates are outside default-members (they need Python / Node to link); lint them too.
cargo clippy -p enigma-python -p enigma-node --all-targets -- -D warnings

if [ -f python/pyproject.toml ]; then
  step "Python package"
  bash python/scripts/test.sh
fi

if [ -f node/package.json ]; then
  step "Node package"
  # npm ci compiles nothing (the published package has no install script): build the addon (debug).
  (cd node && npm ci --no-audit --no-fund --loglevel=error && ENIGMA_NODE_DEBUG_BUILD=1 npm run build && npm test)
fi

step "all tests passed"
