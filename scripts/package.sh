#!/usr/bin/env bash
# Builds what users install, for this host (Linux x86_64), into dist/:
#   dist/python/  the abi3 wheel (manylinux2014: glibc 2.17+, CPython 3.9+) and the sdist
#   dist/npm/     `npm pack` tarballs: enigma-click (JS, types, loader) and @enigma-click/linux-x64-gnu
#   dist/cli/     the `enigma` command, as enigma-<version>-<target>.tar.gz (+ .sha256)
# --all-linux adds linux aarch64 (glibc 2.17+) and linux x86_64 musl (musl 1.2+) builds of all
# three; they cannot run here (scripts/package-check.sh checks their ELF headers instead).
#
# Everything links with zig (pip's ziglang, through maturin --zig and cargo-zigbuild) against
# glibc 2.17 or musl, so it loads on old distributions. Release profile: Cargo.toml. Needs Rust
# (rustup, for the extra targets), Python 3.9+ and Node 20+; tools go to target/package-tools.
# macOS and Windows artifacts are built on their own runners (.github/workflows/release.yml).
set -euo pipefail
source "$(dirname "$0")/package-tools/setup.sh"
cd "$root"

all_linux=0
for arg in "$@"; do
  case "$arg" in
    --all-linux) all_linux=1 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "package.sh: unknown argument $arg (only --all-linux)" >&2; exit 2 ;;
  esac
done
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "package.sh: builds on Linux x86_64 only; other hosts build in .github/workflows/release.yml" >&2
  exit 2
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
dist="$root/dist"
version="$(workspace_version)"
step() { printf '\n==> %s\n' "$*"; }
elapsed() { echo "$(($(date +%s) - $1))s"; }

step "tools (target/package-tools)"
node node/scripts/versions.js --check
ensure_python_tools
export PATH="$tools:$PATH" # maturin, cargo-zigbuild, and python-zig for both

# A missing Rust target is added with rustup; when that fails, its artifacts are skipped, loudly.
ensure_target() {
  local target="$1"
  if rustup target list --installed 2>/dev/null | grep -qx "$target"; then return 0; fi
  if command -v rustup >/dev/null && rustup target add "$target"; then return 0; fi
  echo "package.sh: SKIPPING $target: its Rust standard library is not installed and \`rustup target add $target\` failed" >&2
  skipped+=("$target")
  return 1
}
skipped=()

rm -rf "$dist/python" "$dist/npm" "$dist/cli"
mkdir -p "$dist/python" "$dist/npm" "$dist/cli"

# One Linux target: wheel, .node (+ its npm package), CLI archive.
#   $1 rust target  $2 wheel compatibility tag  $3 npm platform  $4 zig glibc suffix (or '')
build_linux() {
  local target="$1" compat="$2" platform="$3" glibc="$4" start
  ensure_target "$target" || return 0

  step "wheel $target ($compat)"
  start=$(date +%s)
  (cd python && maturin build --release --zig --target "$target" --compatibility "$compat" --out "$dist/python")
  echo "wheel $target: $(elapsed "$start")" >>"$dist/build-times.txt"

  step "npm addon and CLI $target"
  start=$(date +%s)
  local rustflags_var="CARGO_TARGET_$(echo "$target" | tr 'a-z-' 'A-Z_')_RUSTFLAGS"
  if [[ "$target" == *musl ]]; then
    # A cdylib cannot link musl statically: the addon links the system's musl (libc.so), as
    # every musl Node does. The CLI comes out static-pie all the same (package-check.sh shows it).
    export "$rustflags_var=-C target-feature=-crt-static"
  fi
  cargo zigbuild --release --locked -p enigma-node -p enigma-cli --target "$target$glibc"
  echo "addon+cli $target: $(elapsed "$start")" >>"$dist/build-times.txt"
  local out="$CARGO_TARGET_DIR/$target/release"
  node node/scripts/pack.js --out "$dist/npm" --platform "$platform" --addon "$out/libenigma_node.so"

  local name="enigma-$version-$target"
  local stage
  stage="$(mktemp -d)"
  mkdir "$stage/$name"
  cp "$out/enigma" "$stage/$name/enigma"
  # The archive's own short README (the repository's links would be dead in it) and the licenses.
  cp crates/enigma-cli/ARCHIVE-README.md "$stage/$name/README.md"
  cp LICENSE-MIT LICENSE-APACHE "$stage/$name/"
  tar -C "$stage" -czf "$dist/cli/$name.tar.gz" "$name"
  (cd "$dist/cli" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
  rm -rf "$stage"
}

: >"$dist/build-times.txt"
build_linux x86_64-unknown-linux-gnu manylinux2014 linux-x64-gnu .2.17

step "sdist and the main npm package"
(cd python && maturin sdist --out "$dist/python")
node node/scripts/pack.js --out "$dist/npm" --main

if [ "$all_linux" = 1 ]; then
  build_linux aarch64-unknown-linux-gnu manylinux2014 linux-arm64-gnu .2.17
  build_linux x86_64-unknown-linux-musl musllinux_1_2 linux-x64-musl ''
fi

step "dist/ (version $version)"
(cd "$dist" && ls -l python npm cli && cat build-times.txt)
if [ "${#skipped[@]}" -gt 0 ]; then
  echo "package.sh: skipped targets (no Rust standard library for them): ${skipped[*]}" >&2
fi
