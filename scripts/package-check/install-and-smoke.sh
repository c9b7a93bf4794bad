#!/usr/bin/env bash
# Installs built artifacts on the machine running it, as a user would, and runs the smoke tests:
#   install-and-smoke.sh DIST NPM_PLATFORM
# pip picks the wheel from DIST/python that fits this machine (binary only: never the sdist);
# npm installs DIST/npm's enigma-click tarball with the NPM_PLATFORM one. Used by the release
# workflow on each platform's own runner (Linux arm64, Alpine, macOS, Windows under bash).
set -euo pipefail
# Paths handed to node, npm and python: Windows ones (C:/...) under Git Bash on Windows.
native_path() { if command -v cygpath >/dev/null; then cygpath -m "$1"; else echo "$1"; fi; }
dist="$(native_path "$(cd "$1" && pwd)")"
platform="$2"
here="$(native_path "$(cd "$(dirname "$0")" && pwd)")"
version="$(node -p "require('$here/../../node/package.json').version")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

python="${PYTHON:-$(command -v python3 || command -v python)}"
"$python" -m venv "$work/venv"
venv_python="$work/venv/bin/python"
[ -x "$venv_python" ] || venv_python="$work/venv/Scripts/python.exe" # Windows
"$venv_python" -m pip install --disable-pip-version-check --no-index --only-binary :all: \
  --find-links "$dist/python" "enigma-click==$version"
# Away from the checkout, so that `import enigma` can only find the installed wheel.
(cd "$work" && "$venv_python" "$here/smoke.py" "$version")

mkdir "$work/app"
cp "$here/smoke.mjs" "$here/smoke.cjs" "$work/app/"
cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund "$dist/npm/enigma-click-$version.tgz" "$dist/npm/enigma-click-$platform-$version.tgz"
node smoke.mjs "$version" "$platform"
node smoke.cjs "$version"
