"""pytest plugin of the test kit (loaded automatically when the package is installed):

- fixture ``enigma_simulator``: a fresh in-process :class:`enigma.testing.Simulator` per test,
  fast by default (``time_scale=0.01``, no rate limit);
- marker ``@pytest.mark.enigma_simulator(**settings)`` to change its settings;
- fixture ``enigma_replay``: a simulator serving a recording of the flight recorder, named by
  the marker ``@pytest.mark.enigma_replay("path/to/recording", **settings)`` (a file, or a
  folder of them), fast by default; point the code under test at it and assert
  ``enigma_replay.replay_stats()["firstDifference"] is None``;
- option ``pytest --enigma-strict-docs``: every such simulator sends only what the service's
  docs promise (``strict_docs=True``), so the tests assume no more than the docs.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest

from . import _native
from .testing import Simulator, _iter_simulator

# The test kits' settings, the same in every language (crate enigma-sim's `SimSettings::for_tests()`):
# time_scale 0.01, no rate limit.
FAST: Dict[str, Any] = _native.simulator_test_settings()


def pytest_addoption(parser: Any) -> None:
    parser.getgroup("enigma").addoption(
        "--enigma-strict-docs",
        action="store_true",
        default=False,
        help="the enigma_simulator fixture sends only what the service's docs promise (strict_docs=True)",
    )


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "enigma_simulator(**settings): settings of the enigma_simulator fixture's simulator"
    )
    config.addinivalue_line(
        "markers", "enigma_replay(path, **settings): the recording the enigma_replay fixture serves, and its settings"
    )


@pytest.fixture
def enigma_simulator(request: Any) -> Iterator[Simulator]:
    """A fresh in-process Enigma simulator (``.url``, ``.stats()``, ``.client()``...)."""
    settings = dict(FAST)
    if request.config.getoption("--enigma-strict-docs", default=False):
        settings["strict_docs"] = True
    marker = request.node.get_closest_marker("enigma_simulator")
    if marker is not None:
        settings.update(marker.kwargs)
    yield from _iter_simulator(**settings)


@pytest.fixture
def enigma_replay(request: Any) -> Iterator[Simulator]:
    """A simulator replaying the recording named by ``@pytest.mark.enigma_replay(path)``."""
    marker = request.node.get_closest_marker("enigma_replay")
    if marker is None or not marker.args:
        raise pytest.UsageError("the enigma_replay fixture needs @pytest.mark.enigma_replay(path_to_recording)")
    settings = dict(FAST)
    settings.update(marker.kwargs)
    settings["replay"] = marker.args[0]
    yield from _iter_simulator(**settings)
