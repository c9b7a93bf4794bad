"""Writes ``src/enigma/_sync.py`` from ``src/enigma/_async.py`` (the unasync approach).

The sync API is the asyncio API without ``async``/``await``: both call the same native handles,
which block (sync) or return awaitables (asyncio) by the client's mode. So one source is kept,
``_async.py``, and this script derives the other; ``tests/test_sync_generated.py`` fails when
the checked-in ``_sync.py`` is stale. Run from anywhere::

    python python/scripts/gen_sync.py          # rewrite _sync.py
    python python/scripts/gen_sync.py --check  # exit 1 if it is stale

The rewrite works on tokens (stdlib ``tokenize``), so code is only changed where it is code:
``async``/``await`` keywords go, names in ``NAMES`` are renamed. In strings and comments the
same names are renamed as words, and the sentences that differ between the two APIs are swapped
through ``TEXT``; a ``TEXT`` entry that no longer matches is an error, so an edited docstring
cannot silently lose its sync wording.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path
from typing import Dict, List, Set, Tuple

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "enigma"
SOURCE = PACKAGE / "_async.py"
TARGET = PACKAGE / "_sync.py"

HEADER = "# Generated from _async.py by python/scripts/gen_sync.py: edit _async.py, then run it.\n"

# Names of the asyncio API -> the sync API (in code, strings and comments).
NAMES: Dict[str, str] = {
    "AsyncClient": "Client",
    "AsyncSession": "Session",
    "AsyncTask": "Task",
    "AsyncEventStream": "EventStream",
    "AsyncBatch": "Batch",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
    "StopAsyncIteration": "StopIteration",
    "NON_BLOCKING": "BLOCKING",
}

# Wording of the asyncio docs -> the sync docs (in strings and comments; each must match).
TEXT: List[Tuple[str, str]] = [
    (
        '''"""The asyncio API: :class:`AsyncClient`, :class:`AsyncSession`, :class:`AsyncTask`.

Every coroutine here awaits one call of the Rust core. Cancelling it (``task.cancel()``,
``asyncio.timeout``...) cancels the Rust future: nothing keeps running behind your back.
"""''',
        '''"""The sync API: :class:`Client`, :class:`Session`, :class:`Task`, for scripts and notebooks.

The same Rust core as the asyncio API (no second implementation): each call waits on the
calling thread with the GIL released, works inside a running event loop (Jupyter), and answers
Ctrl-C at once with ``KeyboardInterrupt`` (the Rust call is cancelled).
"""''',
    ),
    ("The asyncio client.", "The sync client (same settings and surface as :class:`enigma.AsyncClient`)."),
    ("The session is an async context manager", "The session is a context manager"),
    ("(exception, cancellation, Ctrl-C), shielded from cancellation.", "(exception, Ctrl-C)."),
    (
        """Several streams may watch one session. Leaving the loop (``break``), ``aclose()`` or
        dropping the stream closes it.""",
        """Each step waits on this thread (Ctrl-C interrupts it at once). Several streams may
        watch one session. Leaving the loop and dropping the stream, ``close()`` or ``with``
        closes it.""",
    ),
    ("is called on the event loop with", "is called on this thread with"),
    (
        """An async iterator over a session's live events (``session.events()``).

    Each ``__anext__`` awaits the next event; cancelling it (e.g. ``asyncio.wait_for``) keeps
    the stream and the event it may have been receiving, for the next call. The iteration ends
    after the session ends (a :class:`~enigma.events.SessionEnded` event) or when the live
    connection cannot be had (a :class:`~enigma.events.ConnectError` event). ``aclose()``,
    ``async with`` or dropping the stream closes it.""",
        """An iterator over a session's live events (``session.events()``).

    Each step waits on the calling thread without the GIL; Ctrl-C raises ``KeyboardInterrupt``
    at once and keeps the stream (and any event on its way) for the next step. The iteration
    ends after the session ends (a :class:`~enigma.events.SessionEnded` event) or when the live
    connection cannot be had (a :class:`~enigma.events.ConnectError` event). ``close()``,
    ``with`` or dropping the stream closes it.""",
    ),
    ("Stops the stream (a pending ``__anext__`` ends the iteration).", "Stops the stream."),
    ("async with ", "with "),
    ("``async with``", "``with``"),
    ("async for ", "for "),
    ("await ", ""),
]

_FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", None)  # Python 3.12+
_TEXT_PATTERN = re.compile(
    "|".join(
        [re.escape(old) for old, _ in sorted(TEXT, key=lambda pair: -len(pair[0]))]
        + [r"\b" + re.escape(name) + r"\b" for name in NAMES]
    )
)
_TEXT_MAP = dict(TEXT)


def _rewrite_text(text: str, used: Set[str]) -> str:
    """Renames and rewords one string or comment, in one pass (replacements are not reread)."""

    def swap(match: "re.Match[str]") -> str:
        found = match.group(0)
        if found in _TEXT_MAP:
            used.add(found)
            return _TEXT_MAP[found]
        return NAMES[found]

    return _TEXT_PATTERN.sub(swap, text)


def generate(source: str) -> str:
    """The sync module's text for the asyncio module's text."""
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(pos: Tuple[int, int]) -> int:
        return starts[pos[0] - 1] + pos[1]

    edits: List[Tuple[int, int, str]] = []  # (start, end, replacement), in source order
    used: Set[str] = set()
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for token, following in zip(tokens, tokens[1:] + tokens[-1:]):
        start, end = offset(token.start), offset(token.end)
        if token.type == tokenize.NAME and token.string in ("async", "await"):
            edits.append((start, offset(following.start), ""))  # the keyword and its space
        elif token.type == tokenize.NAME and token.string in NAMES:
            edits.append((start, end, NAMES[token.string]))
        elif token.type in (tokenize.STRING, tokenize.COMMENT, _FSTRING_MIDDLE):
            edits.append((start, end, _rewrite_text(token.string, used)))

    out, last = [], 0
    for start, end, replacement in edits:
        out.append(source[last:start])
        out.append(replacement)
        last = end
    out.append(source[last:])
    unused = [old for old, _ in TEXT if old not in used]
    if unused:
        raise SystemExit(f"gen_sync.py: TEXT entries no longer found in _async.py: {unused!r}")
    return HEADER + "".join(out)


def main(argv: List[str]) -> int:
    expected = generate(SOURCE.read_text(encoding="utf-8"))
    if "--check" in argv:
        if TARGET.read_text(encoding="utf-8") != expected:
            print("src/enigma/_sync.py is stale: run python python/scripts/gen_sync.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(expected, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
