"""Which tqdm bar to draw. ``tqdm.auto`` picks the notebook widget in any Jupyter kernel, and
when ipywidgets is missing it warns (``TqdmWarning: IProgress not found``) and falls back to
the text bar anyway. Here the widget is chosen only when it can render (a Jupyter kernel with
ipywidgets importable: the extra ``enigma-click[notebook]``), and the text bar, quietly,
otherwise. tqdm itself stays optional (the extra ``enigma-click[progress]``)."""

from __future__ import annotations

import importlib
import sys
from typing import Any, Optional


def bar_class() -> Optional[Any]:
    """The tqdm class for this process: ``tqdm.notebook.tqdm`` in a Jupyter kernel that has
    ipywidgets, ``tqdm.std.tqdm`` elsewhere; ``None`` without tqdm."""
    try:
        std = importlib.import_module("tqdm.std")
    except ImportError:
        return None
    if in_jupyter_kernel() and has_widgets():
        return importlib.import_module("tqdm.notebook").tqdm
    return std.tqdm


def in_jupyter_kernel() -> bool:
    """A Jupyter kernel whose front end draws widgets (tqdm.auto's own test: not the Qt
    console, whose kernel is the same)."""
    if "ipykernel.zmqshell" not in sys.modules:
        return False
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return "qt" not in type(shell).__name__.lower()


def has_widgets() -> bool:
    """Whether ipywidgets imports (the notebook bar is one of its widgets)."""
    try:
        importlib.import_module("ipywidgets")
    except ImportError:
        return False
    return True
