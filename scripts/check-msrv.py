#!/usr/bin/env python3
"""Checks each workspace crate's `rust-version` against what its locked dependencies need.

A crate cannot build on a toolchain older than the newest `rust-version` among the crates it
depends on (normal and build dependencies, every feature on, versions as in Cargo.lock). This
prints that floor for each workspace crate and fails when a crate claims less. Its own code's
needs (let chains: 1.88) are checked by building with that toolchain where one can be installed
(`cargo +<msrv> check`, see README "Minimum supported Rust version"); this check needs none.

Usage: python3 scripts/check-msrv.py   (from anywhere in the workspace)
"""

import json
import subprocess
import sys


def version(text):
    """'1.85' or '1.85.0' as a comparable tuple; None stays None."""
    if not text:
        return None
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def shown(v):
    return ".".join(str(p) for p in v[:2]) if v[2] == 0 else ".".join(map(str, v))


def main():
    meta = json.loads(
        subprocess.check_output(
            ["cargo", "metadata", "--format-version", "1", "--locked", "--all-features"], text=True
        )
    )
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}

    def needs(root):
        """The newest rust-version among root's normal and build dependencies, transitively,
        with the crate that sets it."""
        best, by = None, None
        seen, stack = set(), [root]
        while stack:
            node = nodes[stack.pop()]
            for dep in node["deps"]:
                kinds = {k["kind"] for k in dep["dep_kinds"]}
                if kinds <= {"dev"} or dep["pkg"] in seen:
                    continue
                seen.add(dep["pkg"])
                stack.append(dep["pkg"])
                v = version(packages[dep["pkg"]].get("rust_version"))
                if v and (best is None or v > best):
                    best, by = v, packages[dep["pkg"]]
        return best, by

    failures = 0
    for member in meta["workspace_members"]:
        package = packages[member]
        declared = version(package.get("rust_version"))
        floor, by = needs(member)
        where = f"{by['name']} {by['version']}" if by else "nothing"
        status = "ok"
        if declared is None:
            status, failures = "FAIL: no rust-version", failures + 1
        elif floor and declared < floor:
            status, failures = f"FAIL: declares {shown(declared)} but needs {shown(floor)}", failures + 1
        print(
            f"{package['name']:16} rust-version {shown(declared) if declared else '-':7} "
            f"dependencies need {shown(floor) if floor else '-':7} ({where}): {status}"
        )
    if failures:
        print(f"{failures} crate(s) claim a rust-version their locked dependencies do not build on")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
