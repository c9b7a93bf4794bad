"""What a notebook shows: a run's timeline and a session's live view. The core draws both
(``enigma::Timeline``, ``enigma::LiveView``); these objects hold its HTML and show it inline
(``_repr_html_``), the same picture ``enigma report FILE --html OUT`` writes."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Union

__all__ = ["Timeline", "LiveView"]


class Timeline:
    """A picture of a run: tasks as bars over time, events as marks on them, commands as lines,
    the spend as a curve. ``html`` is the fragment a notebook shows; ``model`` the data drawn
    (``tasks``, ``marks``, ``commands``, ``spend``...), for a picture of your own."""

    def __init__(self, html: str, model: Optional[Dict[str, Any]] = None) -> None:
        self.html = html
        self.model: Dict[str, Any] = model or {}

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Timeline":
        """The picture of a file: a session recording (``record=``) or a batch journal
        (``journal=``), the same that ``enigma report FILE --html OUT`` writes. Raises
        ``ValidationError`` when the file is neither."""
        from . import _native

        html, model = _native.file_timeline(os.fspath(path))
        return cls(html, model)

    def save(self, path: str) -> None:
        """Writes the picture as one self-contained HTML page."""
        title = self.model.get("title", "Enigma timeline")
        from html import escape

        page = (
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Enigma timeline: {escape(str(title))}</title></head>\n"
            f'<body style="margin:16px">\n{self.html}\n</body></html>\n'
        )
        with open(path, "w", encoding="utf-8") as out:
            out.write(page)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        tasks = self.model.get("tasks", [])
        return f"<Timeline {self.model.get('title', '')!r} tasks={len(tasks)}>"


class LiveView:
    """A session's live view: ``url`` (the service's ``webViewURL``) in a frame of the
    viewport's size (1024×600). ``read_only=True`` makes a frame that takes no input: no
    pointer or keyboard events reach the page (a layer over it catches them) and its sandbox
    allows no forms, popups or navigation of the notebook."""

    def __init__(self, url: str, html: str, width: int, height: int, read_only: bool) -> None:
        self.url = url
        self.html = html
        self.width = width
        self.height = height
        self.read_only = read_only

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"<LiveView url={self.url!r} read_only={self.read_only} {self.width}x{self.height}>"
