#!/usr/bin/env bash
# Runs every test of the project: Rust (core, simulator, CLI, interop), then the Python and
# Node packages when present. Installs what the tests need (npm packages, a Python venv with
# maturin and pytest) itself, so it works on a fresh machine with Rust, Python and Node.
#
# Every stage runs even when an earlier one fails; the failures are listed at the end and the
# exit status is non-zero if any stage failed. Works when started in the background (`&`,
# `nohup`, a CI runner without a terminal): the tests that send signals set the disposition
# they need in their children themselves.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()

# Every session the tests open goes to a ledger of their own, not the developer's (README: the
# session ledger); the ledger tests name their own files.
export ENIGMA_LEDGER="${ENIGMA_LEDGER:-$(mktemp -d)/sessions.jsonl}"

# stage NAME COMMAND...: runs one stage, recording its failure.
stage() {
  local name=$1
  shift
  printf '\n==> %s\n' "$name"
  if ! "$@"; then
    printf '\n!!! stage failed: %s\n' "$name"
    # What the machine had left: a full disk or memory fails a build without saying so plainly.
    df -h . 2>/dev/null | tail -n 1 | awk '{print "    disk: " $4 " free of " $2}'
    free -m 2>/dev/null | awk '/^Mem:/ {print "    memory: " $7 " MiB available of " $2}'
    failed+=("$name")
  fi
}

interop_packages() {
  local dir
  for dir in tests/interop/*/; do
    if [ -f "$dir/package.json" ]; then
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    fi
  done
}

# The core's features compile alone and together, without warnings (docs/features.md): clippy,
# which checks only (no tests), and builds the dependencies as `cargo check` does.
feature_combinations() {
  local features
  for features in "" live rustls-ring rustls-aws-lc native-tls env-log live,rustls-ring,env-log \
    live,rustls-aws-lc live,native-tls live,rustls-ring,native-tls; do
    printf 'cargo clippy -p enigma --no-default-features --features "%s"\n' "$features"
    cargo clippy -p enigma --no-default-features --features "$features" --quiet -- -D warnings || return 1
  done
}

# The core builds on the Rust it claims (docs/features.md), when that toolchain is installed.
core_msrv() {
  local msrv
  msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' crates/enigma/Cargo.toml)
  if ! rustup toolchain list 2>/dev/null | grep -q "^$msrv"; then
    echo "Rust $msrv is not installed (rustup toolchain install $msrv --profile minimal): skipped"
    return 0
  fi
  cargo "+$msrv" check -p enigma --locked
}

# A real browser for the pages people look at (`enigma report`, the simulator's live page;
# crates/enigma-cli/tests/report.rs): Debian's chromium, installed when root can and it is
# missing. Where it cannot be installed those checks say so and pass.
browser() {
  if command -v chromium >/dev/null 2>&1 || [ -n "${ENIGMA_CHROMIUM:-}" ]; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }) \
      || echo "chromium could not be installed: the browser checks are skipped"
  else
    echo "not root or no apt-get: chromium not installed, the browser checks are skipped"
  fi
  return 0
}

stage "Chromium for the page tests" browser
stage "npm packages for the Socket.IO interop tests" interop_packages
stage "Rust: fmt" cargo fmt --all --check
stage "Rust: clippy" cargo clippy --all-targets -- -D warnings
stage "Rust: feature combinations of the core" feature_combinations
stage "Rust: each crate's rust-version against its locked dependencies" python3 scripts/check-msrv.py
stage "Rust: the core on its minimum Rust" core_msrv
stage "Rust: tests" cargo test --no-fail-fast
# The event, wait, batch and control tests again, against the simulator's documented-only mode
# (the scenarios run in both modes by themselves): the SDK must not depend on its extras.
stage "Rust: tests against the documented-only simulator" env ENIGMA_TEST_STRICT_DOCS=1 cargo test -p enigma \
  --test live_events --test control --test batch --test sessions_and_tasks --test faults_live --test nothing_left_open
# The binding crates are outside default-members (they need Python / Node to link); lint them too.
stage "Rust: clippy of the bindings" cargo clippy -p enigma-python -p enigma-node --all-targets -- -D warnings

if [ -f python/pyproject.toml ]; then
  stage "Python package" bash python/scripts/test.sh
  stage "Python: events, waits, batches and control against the documented-only simulator" \
    bash python/scripts/test.sh --enigma-strict-docs tests/test_events.py tests/test_lifecycle.py \
    tests/test_batch.py tests/test_async_api.py tests/test_sync_api.py
fi

if [ -f node/package.json ]; then
  # npm ci compiles nothing (the published package has no install script): build the addon (debug).
  stage "Node package" bash -c 'cd node && npm ci --no-audit --no-fund --loglevel=error && ENIGMA_NODE_DEBUG_BUILD=1 npm run build && npm test'
  stage "Node: events, waits, batches and control against the documented-only simulator" bash -c \
    'cd node && ENIGMA_TEST_STRICT_DOCS=1 node --test test/events.test.mjs test/abort.test.mjs test/batch.test.mjs test/close.test.mjs test/signals.test.mjs'
fi

# The API references, warnings as errors (after the packages: it documents the installed ones).
stage "API references (rustdoc, pdoc, typedoc)" bash scripts/api-docs.sh

if [ ${#failed[@]} -gt 0 ]; then
  printf '\n==> %d stage(s) failed:\n' "${#failed[@]}"
  printf '    - %s\n' "${failed[@]}"
  exit 1
fi
printf '\n==> all tests passed\n'
