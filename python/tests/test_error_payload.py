"""The core's error payload reaches a Python exception whole: the Rust binding forwards it
without picking fields (crates/enigma-python/src/errors.rs), and ``enigma.errors._from_native``
keeps every key, one the core added after this package was generated included, through
pickling too."""

from __future__ import annotations

import pickle

import pytest

import enigma
from enigma import errors


def test_a_payload_field_this_package_does_not_know_reaches_the_exception() -> None:
    payload = {"code": "rate_limited", "message": "slow down", "retry_after": 2.0, "brand_new": {"window": 60}}
    err = errors._from_native("rate_limited", "slow down", payload)
    assert isinstance(err, enigma.RateLimitError)
    assert err.retry_after == 2.0
    assert err.brand_new == {"window": 60}  # type: ignore[attr-defined]
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is enigma.RateLimitError
    assert again.brand_new == {"window": 60} and again.retry_after == 2.0  # type: ignore[attr-defined]


def test_an_unknown_code_still_makes_an_enigma_error_with_its_fields() -> None:
    err = errors._from_native("from_the_future", "new", {"code": "from_the_future", "message": "new", "x": 1})
    assert type(err) is enigma.EnigmaError and err.code == "from_the_future" and err.x == 1  # type: ignore[attr-defined]


def test_the_constructor_still_refuses_a_misspelt_field() -> None:
    with pytest.raises(TypeError, match="retry_afterr"):
        enigma.RateLimitError("x", retry_afterr=1.0)


def test_a_real_core_error_carries_its_payload_fields() -> None:
    # A local refusal: the core's payload names the field and the reason.
    with pytest.raises(enigma.ValidationError) as caught:
        enigma.Client(api_key="enig_x", base_url="ftp://example.com")
    err = caught.value
    assert err.field is not None and err.reason is not None and err.status is None
    assert pickle.loads(pickle.dumps(err)).field == err.field
