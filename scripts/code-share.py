#!/usr/bin/env python3
"""Share of the binding crates in the SDK's Rust code (the simulator aside), in code lines.

A code line is a non-blank line that is not only a comment (`//`, `///`, `//!`, or inside
`/* */`), outside tests: files under a `tests/` or `benches/` folder, files named `*_tests.rs`,
and `#[cfg(test)]` modules (from the attribute to the module's closing brace) are left out.

    python3 scripts/code-share.py            # the working tree
    python3 scripts/code-share.py REV        # a git revision (e.g. main, 7b4942f)
    python3 scripts/code-share.py --files    # per file, largest last
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CRATES = {"enigma": "core", "enigma-cli": "cli", "enigma-python": "binding", "enigma-node": "binding"}


def files(rev):
    if rev is None:
        return [(p.relative_to(ROOT).as_posix(), p.read_text()) for p in (ROOT / "crates").rglob("*.rs")]
    names = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "crates"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    show = lambda n: subprocess.run(["git", "show", f"{rev}:{n}"], cwd=ROOT, check=True, capture_output=True,
                                    text=True).stdout
    return [(n, show(n)) for n in names if n.endswith(".rs")]


def code_lines(text):
    count, in_block, skip_depth, pending_cfg_test = 0, False, None, False
    for line in text.splitlines():
        s = line.strip()
        if in_block:
            if "*/" in s:
                in_block = False
            continue
        if s.startswith("/*"):
            in_block = "*/" not in s
            continue
        if not s or s.startswith("//"):
            continue
        if skip_depth is not None:  # inside a #[cfg(test)] module
            skip_depth += s.count("{") - s.count("}")
            if skip_depth <= 0:
                skip_depth = None
            continue
        if s.startswith("#[cfg(test)]"):
            pending_cfg_test = True
            continue
        if pending_cfg_test:
            pending_cfg_test = False
            if re.match(r"(pub(\(crate\))? )?mod \w+", s):
                if s.endswith(";"):
                    continue
                skip_depth = s.count("{") - s.count("}")
                if skip_depth <= 0:
                    skip_depth = None
                continue
        count += 1
    return count


def main():
    per_file = "--files" in sys.argv
    args = [a for a in sys.argv[1:] if a != "--files"]
    rev = args[0] if args else None
    totals, rows = {}, []
    for name, text in files(rev):
        parts = name.split("/")
        crate = parts[1]
        if crate not in CRATES or "tests" in parts[2:] or "benches" in parts[2:] or name.endswith("_tests.rs"):
            continue
        lines = code_lines(text)
        totals[crate] = totals.get(crate, 0) + lines
        rows.append((lines, name))
    if per_file:
        for lines, name in sorted(rows):
            print(f"{lines:6} {name}")
    binding = sum(v for k, v in totals.items() if CRATES[k] == "binding")
    total = sum(totals.values())
    for crate, lines in sorted(totals.items()):
        print(f"{crate:15} {lines:6}")
    print(f"{'bindings':15} {binding:6} of {total} = {100 * binding / total:.1f}%")


main()
