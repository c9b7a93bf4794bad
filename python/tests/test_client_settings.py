"""The clients take the core's settings, all of them and nothing else: the list comes from the
core (``enigma._native.option_fields()["client"]``, derived from its ``ClientSettings``, the same
list Rust's builder sets and Node's ``new Client({...})`` takes), so a new core setting without its
keyword argument here fails this test. ``terminate_on_exit`` and ``handle_signals`` are Python's
own (what the process does at exit), not settings of the core."""

from __future__ import annotations

import inspect
from typing import Any, List

import pytest

import enigma
from enigma import _native
from enigma.testing import Simulator

CORE = _native.option_fields()["client"]
PYTHON_ONLY = ("terminate_on_exit", "handle_signals")


def keywords(function: Any, *skip: str) -> List[str]:
    return sorted(n for n in inspect.signature(function).parameters if n not in ("self", *skip))


def test_the_core_lists_its_settings() -> None:
    assert {"api_key", "base_url", "connect_timeout", "extra_root_ca_pem", "user_agent_prefix"} <= set(CORE)
    assert "retry_backoff" in CORE and "retry_backoff_max" in CORE


@pytest.mark.parametrize("client", [enigma.AsyncClient, enigma.Client])
def test_the_constructors_take_the_core_settings(client: Any) -> None:
    assert keywords(client.__init__, *PYTHON_ONLY) == sorted(CORE)


def test_every_setting_given_reaches_the_core(sim: Simulator) -> None:
    given = dict(
        request_timeout=30.0,
        connect_timeout=3.0,
        max_retries=4,
        retry_backoff=0.25,
        retry_backoff_max=4.0,
        retry_after_max=7.0,
        max_response_bytes=1 << 20,
        poll_interval=0.5,
        allow_insecure_http=True,
        live_events=False,
        user_agent_prefix="my-app/1.0",
        ledger="off",
    )
    client = enigma.Client(api_key=sim.api_key(), base_url=sim.url, **given)
    try:
        shown = client._native.settings()
        # Every setting of the core is shown (the key only as `None`: it never travels).
        assert sorted(shown) == sorted(CORE)
        assert shown["api_key"] is None and shown["base_url"] == sim.url.rstrip("/")
        assert {k: shown[k] for k in given} == given
    finally:
        client.close()


def test_retry_backoff_is_the_first_delay_only() -> None:
    # One meaning in every language: the first delay; the longest is `retry_backoff_max`.
    with pytest.raises(TypeError):
        enigma.Client(api_key="enig_" + "x" * 28, base_url="http://127.0.0.1:9", retry_backoff=(0.1, 1.0))  # type: ignore[arg-type]
