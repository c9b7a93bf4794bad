#!/usr/bin/env bash
# Builds the API references of the three languages, warnings as errors, into target/api/
# (never committed):
#   - Rust: rustdoc of the core and the simulator (`missing_docs` is denied in the core) -> target/doc
#   - Python: pdoc of the installed `enigma` package -> target/api/python
#   - Node: typedoc of index.d.ts and testing.d.ts -> target/api/node
# Needs the Python venv (python/scripts/test.sh makes it) and node/node_modules (npm ci); both
# are made here when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> rustdoc"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p enigma -p enigma-sim

echo "==> pdoc"
venv=python/.venv
if [ ! -x "$venv/bin/python" ]; then
  bash python/scripts/test.sh --collect-only -q >/dev/null
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pdoc>=15,<17"
# -W error: an unresolvable annotation or a broken docstring reference fails the build.
"$venv/bin/python" -W error -m pdoc enigma --docformat markdown -o target/api/python

echo "==> typedoc"
if [ ! -d node/node_modules/typedoc ]; then
  (cd node && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd node && npx --no-install typedoc)   # typedoc.json: treatWarningsAsErrors

echo "==> API references in target/doc/enigma, target/api/python, target/api/node"
