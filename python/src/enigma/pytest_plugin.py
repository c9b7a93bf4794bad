"""pytest plugin of the test kit (loaded automatically when the package is installed):

- fixture ``enigma_simulator``: a fresh in-process :class:`enigma.testing.Simulator` per test,
  fast by default (``time_scale=0.01``, no rate limit);
- marker ``@pytest.mark.enigma_simulator(**settings)`` to change its settings.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator

import pytest

from .testing import Simulator, _iter_simulator

FAST: Dict[str, Any] = {"time_scale": 0.01, "rate_limit": 0}


def pytest_configure(config: Any) -> None:
    config.addinivalue_line(
        "markers", "enigma_simulator(**settings): settings of the enigma_simulator fixture's simulator"
    )


@pytest.fixture
def enigma_simulator(request: Any) -> Iterator[Simulator]:
    """A fresh in-process Enigma simulator (``.url``, ``.stats()``, ``.client()``...)."""
    settings = dict(FAST)
    marker = request.node.get_closest_marker("enigma_simulator")
    if marker is not None:
        settings.update(marker.kwargs)
    yield from _iter_simulator(**settings)
