"""Progress of a wait (``task.result(progress=True)``): a tqdm bar when tqdm is installed (the
optional extra ``enigma-click[progress]``; in Jupyter the widget when ipywidgets is there too,
``enigma-click[notebook]``, else the text bar, see ``_tqdm.py``), else one line on stderr
rewritten in place. Never a dependency: tqdm is imported only when asked for."""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Optional

from ._models import TaskResult, TaskStatus
from ._tqdm import bar_class


class Progress:
    """Shows one task's wait: its state and cost so far, then its outcome."""

    def __init__(self, task_id: Optional[str]) -> None:
        self._started = time.monotonic()
        # A task the service has not named yet (its create is still on its way) has no id.
        self._desc = f"task {task_id}" if task_id is not None else "task"
        self._bar: Any = None
        tqdm = bar_class()
        if tqdm is not None:
            self._bar = tqdm(total=None, desc=self._desc, bar_format="{desc}{postfix} [{elapsed}]", leave=True)
        self._show("waiting")

    def chain(self, on_status: Optional[Callable[[TaskStatus], object]]) -> Callable[[TaskStatus], None]:
        """An ``on_status`` that updates the display, then calls the caller's own, if any."""

        def update(status: TaskStatus) -> None:
            cost = f", {status.usage.cost:.4f} USD" if status.usage.cost is not None else ""
            self._show(("paused" if status.paused else status.state) + cost)
            if on_status is not None:
                on_status(status)

        return update

    def finish(self, result: Optional[TaskResult], error: Optional[BaseException] = None) -> None:
        """Shows how the wait ended and closes the display."""
        if result is not None:
            cost = f", {result.usage.cost:.4f} USD" if result.usage.cost is not None else ""
            self._show(result.outcome + cost)
        else:
            self._show(f"{type(error).__name__}" if error is not None else "ended")
        if self._bar is not None:
            self._bar.close()
        else:
            sys.stderr.write("\n")
            sys.stderr.flush()

    def _show(self, text: str) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(text)
            return
        elapsed = time.monotonic() - self._started
        sys.stderr.write(f"\r{self._desc}, {text} [{elapsed:.1f}s]\033[K")
        sys.stderr.flush()
