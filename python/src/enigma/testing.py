"""A test kit: the Enigma simulator, served in-process from this package's extension, so your
own code can be tested offline against a faithful local service.

::

    from enigma.testing import Simulator

    with Simulator(time_scale=0.01, rate_limit=0) as sim:
        client = sim.client()                      # an enigma.Client pointed at it
        result = client.run_task("Find the opening hours #sim duration=5")
        assert sim.stat("sessions.open") == 0

With pytest, the ``enigma_simulator`` fixture (loaded automatically through the package's
pytest plugin; or add ``pytest_plugins = ["enigma.pytest_plugin"]``) gives a fresh fast
simulator per test; ``@pytest.mark.enigma_simulator(max_sessions=2, ...)`` changes its settings.

Steer the scripted agent with ``#sim`` directives in the task text: ``duration=SECONDS``,
``steps=N``, ``cost=USD``, ``tokens=N``, ``message="..."``, ``guardrail="question"``,
``fail=CODE``. Faults: :meth:`Simulator.add_fault`. Keys: any key starting ``enig_``
(``enig_revoked...``, ``enig_expired...``, ``enig_inactive...``, ``enig_broke...`` trigger
401/401/403/402).
"""

from __future__ import annotations

import itertools
import json
import os
import urllib.request
from types import TracebackType
from typing import Any, Dict, Iterator, Optional, Sequence, Type, Union

from . import _native
from ._async import AsyncClient
from ._sync import Client

__all__ = ["Simulator"]

_keys = itertools.count()

# The simulator's own defaults (crate enigma-sim's `SimConfig::default()`), written there once.
_DEFAULTS: Dict[str, Any] = _native.simulator_defaults()


class Simulator:
    """The simulator, listening on loopback in this process.

    Settings (simulated seconds unless said): ``time_scale`` (wall seconds per simulated
    second; 0.01 makes a 3 s task take 30 ms), ``inline_wait`` (how long ``newTask`` waits
    before answering "pending", default 50), ``idle_timeout`` (300), ``instance_grace`` (300),
    ``rate_limit`` (POST requests per key per 60 wall seconds, default 10; ``0`` turns it off, as
    in the CLI's ``--rate-limit 0`` and Node's ``rateLimit: 0``; ``None`` too),
    ``rate_limit_scope`` (``"shared"`` or ``"per_endpoint"``), ``max_sessions`` (concurrent
    sessions per key, 5), ``initial_balance`` (USD per key, 100), ``seed``, ``host``, ``port``,
    ``strict_docs`` (``True``: send exactly what the service's docs promise, none of the
    simulator's extras such as the initial task's ``taskId`` in the start-session answer, ids on
    events, socket acks or ``paused`` in polls; for tests that assume no more than the docs),
    ``answer_variants`` (names of documented alternative shapes of the task answers to send,
    default none: ``"inline_without_status"``, ``"result_without_type"``,
    ``"pending_flag_only"``, ``"pending_status_only"``, ``"usage_in_data"``,
    ``"snake_case_usage"``; the list is in docs/api-contract.md; for tests that a client reads
    every shape the docs give).
    """

    def __init__(
        self,
        *,
        time_scale: float = _DEFAULTS["time_scale"],
        inline_wait: float = _DEFAULTS["inline_wait"],
        idle_timeout: float = _DEFAULTS["idle_timeout"],
        instance_grace: float = _DEFAULTS["instance_grace"],
        rate_limit: Optional[int] = _DEFAULTS["rate_limit"],
        rate_limit_scope: str = _DEFAULTS["rate_limit_scope"],
        max_sessions: int = _DEFAULTS["max_sessions"],
        initial_balance: float = _DEFAULTS["initial_balance"],
        seed: int = _DEFAULTS["seed"],
        host: str = _DEFAULTS["host"],
        port: int = _DEFAULTS["port"],
        strict_docs: bool = _DEFAULTS["strict_docs"],
        answer_variants: Sequence[str] = _DEFAULTS["answer_variants"],
        replay: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> None:
        self.time_scale = time_scale
        settings = dict(locals())
        del settings["self"]
        settings["answer_variants"] = list(answer_variants)
        if replay is None:
            del settings["replay"]
        else:
            settings["replay"] = os.fspath(replay)
        settings["rate_limit"] = rate_limit or 0  # 0 and None both turn the limiter off, as in the CLI and Node
        self._native = _native.Simulator(settings)

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234``: pass it as ``base_url``."""
        return self._native.url

    def stats(self) -> Dict[str, Any]:
        """What the server saw (``GET /_sim/stats``): sessions open/total, tasks by outcome,
        requests by endpoint, action type and message."""
        return self._native.stats()

    def replay_stats(self) -> Optional[Dict[str, Any]]:
        """How a replay went (``stats()["replay"]``; ``None`` without ``replay``):
        ``firstDifference`` (``"expected POST /start/send-message state:terminate, got POST
        /start/send-message newTask"``, or ``None`` while the program does what the recording
        did), ``complete`` (every recorded request served, no difference), ``differences``,
        ``sessionsStarted``, ``writesServed``..."""
        return self.stats().get("replay")

    def stat(self, path: str) -> int:
        """One number of :meth:`stats` by dotted path, e.g. ``"sessions.open"`` or
        ``"commands.byMessage.state:pause"`` (absent counts are 0)."""
        node: Any = self.stats()
        rest = path
        while True:
            if isinstance(node, dict) and rest in node:
                value = node[rest]
                return int(value) if isinstance(value, (int, float)) else 0
            head, dot, tail = rest.partition(".")
            if not dot or not isinstance(node, dict) or head not in node:
                return 0
            node, rest = node[head], tail

    def api_key(self, prefix: str = "enig_test") -> str:
        """A fresh well-formed key (limits and balances are per key)."""
        return f"{prefix}{os.getpid()}x{next(_keys)}".ljust(33, "0")

    def client(self, **settings: Any) -> Client:
        """A sync :class:`enigma.Client` for this simulator, with a fresh key and quick polls."""
        settings.setdefault("api_key", self.api_key())
        settings.setdefault("poll_interval", max(0.005, self.time_scale))
        settings.setdefault("retry_backoff", 0.01)
        settings.setdefault("retry_backoff_max", 1.0)
        return Client(base_url=self.url, **settings)

    def async_client(self, **settings: Any) -> AsyncClient:
        """An :class:`enigma.AsyncClient` for this simulator, with a fresh key and quick polls."""
        settings.setdefault("api_key", self.api_key())
        settings.setdefault("poll_interval", max(0.005, self.time_scale))
        settings.setdefault("retry_backoff", 0.01)
        settings.setdefault("retry_backoff_max", 1.0)
        return AsyncClient(base_url=self.url, **settings)

    def env(self, api_key: Optional[str] = None) -> Dict[str, str]:
        """``ENIGMA_BASE_URL`` and ``ENIGMA_API_KEY`` for a subprocess."""
        return {"ENIGMA_BASE_URL": self.url, "ENIGMA_API_KEY": api_key or self.api_key()}

    def add_fault(
        self,
        endpoint: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        message: Optional[str] = None,
        count: int = 1,
        retry_after: Optional[int] = None,
        after_processing: bool = False,
        action: str = "error",
        delay_ms: Optional[int] = None,
    ) -> None:
        """Arms a fault for the next ``count`` requests to ``endpoint`` (e.g.
        ``"POST /start/send-message"``): ``action`` ``"error"`` (``status``, ``code``),
        ``"hang"``, ``"drop"`` or ``"delay"`` (processed, answered after ``delay_ms``)."""
        body: Dict[str, Any] = {"endpoint": endpoint, "count": count, "action": action}
        if delay_ms is not None:
            body["delayMs"] = delay_ms
        for key, value in (("status", status), ("code", code), ("message", message), ("retryAfter", retry_after)):
            if value is not None:
                body[key] = value
        if after_processing:
            body["afterProcessing"] = True
        self._request("POST", "/_sim/faults", body)

    def clear_faults(self) -> None:
        """Disarms every fault."""
        self._request("DELETE", "/_sim/faults", None)

    def _request(self, method: str, path: str, body: Optional[Dict[str, Any]]) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
        return json.loads(raw) if raw else None

    def close(self) -> None:
        """Stops the server."""
        self._native.close()

    def __enter__(self) -> "Simulator":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Simulator(url={self.url!r})"


def _iter_simulator(**settings: Any) -> Iterator[Simulator]:
    sim = Simulator(**settings)
    try:
        yield sim
    finally:
        sim.close()
