#!/usr/bin/env bash
# Proves that what scripts/package.sh wrote to dist/ installs and works without Rust:
#  1. checks every wheel (twine check --strict, check-wheel-contents, abi3audit, auditwheel show;
#     for musl, the ELF's libc instead, since auditwheel cannot read musl wheels on a glibc host),
#     the sdist (twine), and the main npm tarball (publint; attw for ESM and CJS);
#  2. checks the ELF header and the glibc floor of every Linux artifact (wheel, .node, CLI), for
#     every architecture in dist/ (aarch64 and musl ones cannot be executed here);
#  3. in a fresh venv and a fresh npm app whose PATH has no cargo or rustc (CARGO_HOME and
#     RUSTUP_HOME empty folders), installs the x86_64 wheel and the two npm tarballs, runs a
#     smoke test on the in-process simulator in each, and times install and import/require;
#  4. installs the sdist there too: it must fail, saying Rust is needed and where to get it;
#  5. finds the license texts (LICENSE-MIT, LICENSE-APACHE) in every artefact, and the CLI
#     archive's own README in each archive.
# Figures go to dist/package-check.txt. Run scripts/package.sh first.
set -euo pipefail
source "$(dirname "$0")/package-tools/setup.sh"
cd "$root"
dist="$root/dist"
version="$(workspace_version)"
report="$dist/package-check.txt"
failures=0
passed=0

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { passed=$((passed + 1)); }
note() { echo "$*" | tee -a "$report"; }

shopt -s nullglob
wheels=("$dist"/python/*.whl)
sdists=("$dist"/python/*.tar.gz)
main_tgz=("$dist/npm/enigma-click-$version.tgz")
if [ "${#wheels[@]}" -eq 0 ] || [ "${#sdists[@]}" -eq 0 ] || [ ! -f "${main_tgz[0]}" ]; then
  echo "package-check.sh: dist/ has no wheel, sdist or enigma-click-$version.tgz: run scripts/package.sh first" >&2
  exit 2
fi
: >"$report"
note "package-check of enigma-click $version ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"

step "tools"
ensure_python_tools
ensure_npm_tools

# --- 1. package metadata checks --------------------------------------------------------------
step "wheels and sdist"
"$tools/twine" check --strict "${wheels[@]}" "${sdists[@]}" && ok || fail "twine check"
"$tools/check-wheel-contents" "${wheels[@]}" && ok || fail "check-wheel-contents"
for wheel in "${wheels[@]}"; do
  "$tools/abi3audit" --strict --summary "$wheel" && ok || fail "abi3audit $(basename "$wheel")"
  case "$wheel" in
    *manylinux*)
      shown="$("$tools/auditwheel" show "$wheel" 2>&1)" && ok || fail "auditwheel show $(basename "$wheel")"
      echo "$shown"
      echo "$shown" | grep -q 'manylinux_2_17' && ok || fail "auditwheel: $(basename "$wheel") is not manylinux_2_17 (manylinux2014)"
      ;;
  esac
done

step "npm main package: publint, attw (ESM and CJS)"
lint_dir="$(mktemp -d)"
tar -xzf "${main_tgz[0]}" -C "$lint_dir"
(cd "$lint_dir/package" && "$npm_tools/publint" --strict) && ok || fail "publint"
"$npm_tools/attw" --profile node16 "${main_tgz[0]}" && ok || fail "attw"
rm -rf "$lint_dir"

# --- 2. ELF checks ---------------------------------------------------------------------------
step "ELF: architecture, libc, glibc floor of every Linux artifact"
# Highest GLIBC_x.y symbol version the file needs ('none' for musl or static files).
glibc_floor() {
  local v
  v="$(readelf -V --wide "$1" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -1)"
  echo "${v:-none}"
}
# check_elf FILE LABEL TARGET: machine and libc as the target name says.
check_elf() {
  local file="$1" label="$2" target="$3" machine interp needed floor
  machine="$(readelf -h "$file" | sed -n 's/^ *Machine: *//p')"
  interp="$(readelf -l "$file" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')"
  needed="$(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
  floor="$(glibc_floor "$file")"
  note "$(printf '%-44s %-9s %-8s glibc floor %-5s interpreter %-32s needs: %s' "$label" "$target" "${machine##* }" "$floor" "${interp:-(none)}" "$needed")"
  case "$target" in
    x86_64*) [[ "$machine" == *X86-64* ]] && ok || fail "$label: machine $machine, expected X86-64" ;;
    aarch64*) [[ "$machine" == *AArch64* ]] && ok || fail "$label: machine $machine, expected AArch64" ;;
  esac
  if [[ "$target" == *musl ]]; then
    [ "$floor" = none ] && ok || fail "$label: a musl artifact needs glibc $floor"
    [[ " $needed " != *" libc.so.6 "* ]] && ok || fail "$label: a musl artifact needs glibc's libc.so.6"
    [ -z "$interp" ] || [ "$interp" = "/lib/ld-musl-${target%%-*}.so.1" ] && ok || fail "$label: interpreter $interp is not musl's"
    [ -z "$needed" ] || [[ " $needed " == *" libc.so "* ]] && ok || fail "$label: does not link musl's libc.so"
  else
    [ "$floor" = none ] || [ "$(printf '%s\n' "$floor" 2.17 | sort -V | tail -1)" = 2.17 ] && ok ||
      fail "$label: needs glibc $floor, above the 2.17 floor"
  fi
}
elf_dir="$(mktemp -d)"
target_of() { # the Rust target of an artifact file name
  case "$1" in
    *musllinux*x86_64* | *linux-x64-musl* | *x86_64-unknown-linux-musl*) echo x86_64-unknown-linux-musl ;;
    *aarch64* | *arm64*) echo aarch64-unknown-linux-gnu ;;
    *) echo x86_64-unknown-linux-gnu ;;
  esac
}
for wheel in "${wheels[@]}"; do
  name="$(basename "$wheel")"
  mkdir -p "$elf_dir/$name" && (cd "$elf_dir/$name" && "$tools/python" -m zipfile -e "$wheel" .)
  for so in "$elf_dir/$name"/enigma/_native*.so; do check_elf "$so" "$name" "$(target_of "$name")"; done
done
for tgz in "$dist"/npm/enigma-click-linux-*.tgz; do
  name="$(basename "$tgz")"
  mkdir -p "$elf_dir/$name" && tar -xzf "$tgz" -C "$elf_dir/$name"
  for node_file in "$elf_dir/$name"/package/*.node; do check_elf "$node_file" "$name" "$(target_of "$name")"; done
done
for archive in "$dist"/cli/*.tar.gz; do
  name="$(basename "$archive")"
  (cd "$dist/cli" && sha256sum --check --quiet "$name.sha256") && ok || fail "$name: checksum"
  mkdir -p "$elf_dir/$name" && tar -xzf "$archive" -C "$elf_dir/$name"
  check_elf "$elf_dir/$name"/*/enigma "$name" "$(target_of "$name")"
done
note ""
note "sizes (bytes):"
for f in "${wheels[@]}" "${sdists[@]}" "$dist"/npm/*.tgz "$dist"/cli/*.tar.gz; do note "  $(stat -c %s "$f") $(basename "$f")"; done
for f in "$elf_dir"/*/package/*.node "$elf_dir"/*/enigma/_native*.so "$elf_dir"/*/*/enigma; do
  note "  $(stat -c %s "$f") ${f#"$elf_dir"/} (unpacked)"
done
rm -rf "$elf_dir"

# --- 5. license texts in every artefact (before the installs: no Rust needed) -----------------
step "license texts in every wheel, sdist, npm tarball and CLI archive"
licenses=(LICENSE-MIT LICENSE-APACHE)
# has_licenses LABEL LISTING: the listing (one path a line) holds both texts.
has_licenses() {
  local file
  for file in "${licenses[@]}"; do
    grep -Eq "(^|/)$file\$" <<<"$2" && ok || fail "$1: no $file"
  done
}
for wheel in "${wheels[@]}"; do
  has_licenses "$(basename "$wheel")" "$("$tools/python" -m zipfile -l "$wheel" | awk 'NR > 1 {print $1}' | grep '\.dist-info/licenses/')"
done
for sdist in "${sdists[@]}"; do has_licenses "$(basename "$sdist")" "$(tar -tzf "$sdist" | grep -E '^[^/]+/[^/]+$')"; done
for tgz in "$dist"/npm/*.tgz; do has_licenses "$(basename "$tgz")" "$(tar -tzf "$tgz" | grep -E '^package/[^/]+$')"; done
for archive in "$dist"/cli/*.tar.gz; do
  name="$(basename "$archive")"
  has_licenses "$name" "$(tar -tzf "$archive" | grep -E '^[^/]+/[^/]+$')"
  cmp -s <(tar -xzOf "$archive" --wildcards '*/README.md') crates/enigma-cli/ARCHIVE-README.md && ok ||
    fail "$name: its README.md is not crates/enigma-cli/ARCHIVE-README.md"
done

# --- 3. installs without Rust ----------------------------------------------------------------
step "fresh venv and npm app, no Rust on PATH"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cargo-home" "$work/rustup-home" "$work/app"
python_exe="$(python3 -c 'import sys; print(sys.executable)')"
clean_path="$work/venv/bin:$(dirname "$(command -v node)"):/usr/bin:/bin"
# Runs a command where no Rust toolchain can be found.
norust() {
  env -u CARGO -u RUSTC -u RUSTUP_TOOLCHAIN -u CARGO_TARGET_DIR -u RUSTFLAGS \
    ENIGMA_SMOKE_NO_RUST=1 PATH="$clean_path" CARGO_HOME="$work/cargo-home" RUSTUP_HOME="$work/rustup-home" "$@"
}
if norust sh -c 'command -v cargo || command -v rustc'; then
  echo "package-check.sh: cargo or rustc is in /usr/bin or /bin; the no-Rust check cannot be made here" >&2
  exit 2
fi
"$python_exe" -m venv "$work/venv"
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
# median of 5 runs of a command that prints a number of milliseconds
median5() { for _ in 1 2 3 4 5; do "$@"; done | sort -n | sed -n 3p; }

x86_wheel=("$dist"/python/*manylinux*x86_64*.whl)
start=$(date +%s%N)
norust "$work/venv/bin/pip" install --quiet --no-cache-dir --no-index --disable-pip-version-check "${x86_wheel[0]}"
pip_ms=$(ms_since "$start")
norust "$work/venv/bin/python" scripts/package-check/smoke.py "$version" && ok || fail "python smoke test"
import_ms=$(median5 norust "$work/venv/bin/python" -c \
  'import time; t = time.perf_counter(); import enigma; print(round((time.perf_counter() - t) * 1000, 1))')
python_run_ms=$(median5 sh -c "s=\$(date +%s%N); PATH='$clean_path' python -c 'import enigma'; echo \$(((\$(date +%s%N) - s) / 1000000))")
python_bare_ms=$(median5 sh -c "s=\$(date +%s%N); PATH='$clean_path' python -c 'pass'; echo \$(((\$(date +%s%N) - s) / 1000000))")

step "the sdist without Rust: a clear failure"
if sdist_out="$(norust "$work/venv/bin/pip" install --no-cache-dir --disable-pip-version-check "${sdists[0]}" 2>&1)"; then
  fail "the sdist installed without Rust"
else
  echo "$sdist_out" | grep -A6 'enigma-click: building from source needs Rust'
  echo "$sdist_out" | grep -q 'building from source needs Rust' && ok || fail "the sdist's failure does not say that Rust is needed"
  echo "$sdist_out" | grep -q 'https://rustup.rs' && ok || fail "the sdist's failure does not say where to get Rust"
fi

platform_tgz="$dist/npm/enigma-click-linux-x64-gnu-$version.tgz"
cp scripts/package-check/smoke.mjs scripts/package-check/smoke.cjs "$work/app/"
(cd "$work/app" && norust npm init -y >/dev/null)
start=$(date +%s%N)
(cd "$work/app" && norust npm install --no-audit --no-fund --loglevel=error "${main_tgz[0]}" "$platform_tgz")
npm_ms=$(ms_since "$start")
(cd "$work/app" && norust node smoke.mjs "$version" linux-x64-gnu && norust node smoke.cjs "$version") && ok || fail "node smoke test"
require_ms=$(cd "$work/app" && median5 norust node -e \
  "const t = process.hrtime.bigint(); require('enigma-click'); console.log(Number(process.hrtime.bigint() - t) / 1e6)")
import_esm_ms=$(cd "$work/app" && median5 norust node --input-type=module -e \
  "const t = process.hrtime.bigint(); await import('enigma-click'); console.log(Number(process.hrtime.bigint() - t) / 1e6)")
node_run_ms=$(cd "$work/app" && median5 sh -c "s=\$(date +%s%N); node -e \"require('enigma-click')\"; echo \$(((\$(date +%s%N) - s) / 1000000))")
node_bare_ms=$(cd "$work/app" && median5 sh -c "s=\$(date +%s%N); node -e ''; echo \$(((\$(date +%s%N) - s) / 1000000))")

note ""
note "installs without Rust (fresh venv / fresh npm app; medians of 5 for import and require):"
note "  pip install <x86_64 wheel> (--no-index): ${pip_ms} ms"
note "  python: import enigma ${import_ms} ms in-process; python -c 'import enigma' ${python_run_ms} ms (python -c pass: ${python_bare_ms} ms)"
note "  npm install <enigma-click tgz> <linux-x64-gnu tgz>: ${npm_ms} ms"
note "  node: require('enigma-click') ${require_ms} ms, import() ${import_esm_ms} ms in-process; node -e \"require('enigma-click')\" ${node_run_ms} ms (node -e '': ${node_bare_ms} ms)"

echo "figures: $report"
echo "package-check: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
