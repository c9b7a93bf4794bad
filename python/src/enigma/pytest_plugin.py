"""pytest plugin of the test kit (loaded automatically when the package is installed):

- fixture ``enigma_simulator``: a fresh in-process :class:`enigma.testing.Simulator` per test,
  fast by default (``time_scale=0.01``, no rate limit);
- marker ``@pytest.mark.enigma_simulator(**settings)`` to change its settings;
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
