"""Every code block of the user docs (README.md, python/README.md, node/README.md, docs/*.md)
either runs in a test or says why not:

- ```python blocks run here, each in a fresh interpreter, against an in-process simulator
  (ENIGMA_API_KEY and ENIGMA_BASE_URL set to it);
- ```js blocks run in node/test/docs.test.mjs, the same way;
- ```text blocks are pictures (diagrams, layouts), not code;
- any other block (sh, rust, json...) is preceded by a marker line:
  ``<!-- not-run: the reason -->``; or ``<!-- excerpt: examples/x.rs -->`` when the block is an
  excerpt of an example (its lines appear, in order, in that file, and the example runs in CI);
  or ``<!-- run-by: path/of/a/test -->`` when that test runs it (the `enigma` commands:
  crates/enigma-cli/tests/help.rs);
- a ```python or ```js block may also carry ``<!-- not-run: reason -->``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import pytest

from enigma.testing import Simulator

from _util import REPO

DOCS = [REPO / "README.md", REPO / "python" / "README.md", REPO / "node" / "README.md", *sorted((REPO / "docs").glob("*.md"))]
MARKER = re.compile(r"^<!--\s*(not-run|excerpt|run-by):\s*(.*?)\s*-->$")
RUN_HERE = {"python"}
RUN_BY_NODE = {"js"}
PICTURES = {"text"}


@dataclass
class Block:
    file: Path
    line: int
    lang: str
    code: str
    marker: Optional[str]  # "not-run", "excerpt" or "run-by"
    marker_text: str

    def __str__(self) -> str:
        return f"{self.file.relative_to(REPO)}:{self.line} ({self.lang or 'no language'})"


def blocks(path: Path) -> List[Block]:
    """The fenced code blocks of a Markdown file, each with the marker on the line before it."""
    found = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        fence = re.match(r"^(```+|~~~+)\s*([\w+-]*)", lines[i])
        if not fence:
            i += 1
            continue
        start, lang = i, fence.group(2)
        end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith(fence.group(1))), len(lines))
        previous = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        marker = MARKER.match(previous)
        found.append(
            Block(path, start + 1, lang, "\n".join(lines[start + 1 : end]) + "\n",
                  marker.group(1) if marker else None, marker.group(2) if marker else "")
        )
        i = end + 1
    return found


def not_in_order(excerpt: str, source: str) -> Optional[str]:
    """The first line of `excerpt` not found in `source` after the previous one (indentation
    aside), or None when the excerpt is faithful."""
    lines = [line.strip() for line in source.splitlines()]
    at = 0
    for line in (line.strip() for line in excerpt.splitlines()):
        if not line:
            continue
        if line not in lines[at:]:
            return line
        at = lines.index(line, at) + 1
    return None


ALL = [b for path in DOCS for b in blocks(path)]


def test_the_docs_have_code_blocks() -> None:
    assert len(DOCS) >= 5 and len(ALL) >= 10


@pytest.mark.parametrize("block", ALL, ids=str)
def test_every_block_runs_or_says_why_not(block: Block) -> None:
    if block.marker == "not-run":
        assert len(block.marker_text) >= 10, f"{block}: say why it is not run"
    elif block.marker == "run-by":
        runner = REPO / block.marker_text
        assert runner.is_file(), f"{block}: no such test {block.marker_text}"
        assert "run-by" in runner.read_text(encoding="utf-8"), f"{block}: {block.marker_text} does not read run-by markers"
    elif block.marker == "excerpt":
        example = REPO / block.marker_text
        assert example.is_file(), f"{block}: no such file {block.marker_text}"
        missing = not_in_order(block.code, example.read_text(encoding="utf-8"))
        assert missing is None, f"{block}: {missing!r} is not in {block.marker_text} (in order)"
    else:
        assert block.lang in RUN_HERE | RUN_BY_NODE | PICTURES, (
            f"{block}: a ```{block.lang} block needs <!-- not-run: reason --> or <!-- excerpt: file --> before it"
        )


RUNNABLE = [b for b in ALL if b.lang in RUN_HERE and b.marker is None]


@pytest.mark.parametrize("block", RUNNABLE, ids=str)
def test_python_block_runs_on_the_simulator(block: Block, tmp_path: Path) -> None:
    with Simulator(time_scale=0.01, rate_limit=0) as sim:
        env = {**os.environ, **sim.env()}
        script = tmp_path / "snippet.py"
        script.write_text(block.code, encoding="utf-8")
        done = subprocess.run([sys.executable, str(script)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{block}\n{done.stdout}\n{done.stderr}"
        assert sim.stat("sessions.open") == 0, f"{block} left a session open"


def test_the_marker_rules_catch_what_they_should(tmp_path: Path) -> None:
    md = tmp_path / "x.md"
    md.write_text("```sh\nls\n```\n<!-- not-run: installs things -->\n\n```sh\npip install x\n```\n```text\na -> b\n```\n")
    found = blocks(md)
    assert [(b.lang, b.marker) for b in found] == [("sh", None), ("sh", "not-run"), ("text", None)]


def test_an_excerpt_that_drifted_from_its_example_is_caught() -> None:
    source = "fn main() {\n    let a = 1;\n    let b = 2;\n}\n"
    assert not_in_order("let a = 1;\nlet b = 2;", source) is None
    assert not_in_order("let b = 2;\nlet a = 1;", source) == "let a = 1;"  # order matters
    assert not_in_order("let a = 3;", source) == "let a = 3;"
