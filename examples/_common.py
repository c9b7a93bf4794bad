"""Shared by the Python examples (files starting with `_` are helpers, not examples).

With ENIGMA_API_KEY set, the examples use the service (ENIGMA_BASE_URL and the other ENIGMA_*
settings apply). Without it they start the package's in-process simulator, fast
(time_scale=0.02: a simulated second lasts 20 ms), so each one runs offline and exits 0.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import Any, Dict, Optional

import enigma
from enigma.testing import Simulator

ON_SIMULATOR = not os.environ.get("ENIGMA_API_KEY", "").strip()
# Any well-formed key works on the simulator; sessions belong to the key that made them.
SIMULATOR_KEY = "enig_examples" + "0" * 24
_simulator: Optional[Simulator] = None


def simulator() -> Simulator:
    """The in-process simulator (started on first use, stopped at exit)."""
    global _simulator
    if _simulator is None:
        _simulator = Simulator(time_scale=0.02, rate_limit=0)
        atexit.register(_simulator.close)
        print(f"(no ENIGMA_API_KEY: on the in-process simulator at {_simulator.url})", file=sys.stderr)
    return _simulator


def client(**settings: Any) -> enigma.Client:
    """A sync client: on the service with a key, else on the simulator."""
    if not ON_SIMULATOR:
        return enigma.Client(**settings)
    settings.setdefault("api_key", SIMULATOR_KEY)
    return simulator().client(**settings)


def async_client(**settings: Any) -> enigma.AsyncClient:
    """An asyncio client: on the service with a key, else on the simulator."""
    if not ON_SIMULATOR:
        return enigma.AsyncClient(**settings)
    settings.setdefault("api_key", SIMULATOR_KEY)
    return simulator().async_client(**settings)


def task(text: str, sim: str = "") -> str:
    """The task text; on the simulator, with `#sim` directives that script its agent
    (crates/enigma-sim/README.md, "Directives"). The service never sees them."""
    return f"{text} {sim}" if ON_SIMULATOR and sim else text


def child_env() -> Dict[str, str]:
    """The environment for another process that should reach the same service."""
    env = dict(os.environ)
    if ON_SIMULATOR:
        env.update(simulator().env(SIMULATOR_KEY))
    return env
