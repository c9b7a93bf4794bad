"""``close()`` / ``aclose()`` do what Node's ``close()`` does: later calls of the client raise a
typed error naming the client, handles made before keep working, and open sessions are handled
per the client's ``terminate_on_exit`` setting (terminated on close when set, else left open)."""

from __future__ import annotations

import pytest

import enigma
from enigma.testing import Simulator


async def test_aclose_makes_later_calls_raise_a_validation_error(sim: Simulator) -> None:
    aclient = sim.async_client()
    session = await aclient.start_session()
    await aclient.aclose()
    for call in (aclient.health, aclient.start_session, lambda: aclient.run_task("x")):
        with pytest.raises(enigma.ValidationError) as refused:
            await call()
        assert refused.value.field == "client" and "closed" in str(refused.value)
    with pytest.raises(enigma.ValidationError):
        aclient.session(session.id)
    # Left open by default (terminate_on_exit=False), and the handle still works.
    assert sim.stat("sessions.open") == 1
    await session.terminate()
    assert sim.stat("sessions.open") == 0
    await aclient.aclose()  # idempotent


async def test_aclose_terminates_open_sessions_when_terminate_on_exit(sim: Simulator) -> None:
    aclient = sim.async_client(terminate_on_exit=True)
    await aclient.start_session()
    await aclient.start_session()
    assert sim.stat("sessions.open") == 2
    await aclient.aclose()
    assert sim.stat("sessions.open") == 0 and aclient.open_session_ids() == []


def test_sync_close_does_the_same(sim: Simulator) -> None:
    kept = sim.client()
    left = kept.start_session()
    kept.close()
    with pytest.raises(enigma.ValidationError) as refused:
        kept.health()
    assert refused.value.field == "client"
    assert sim.stat("sessions.open") == 1
    left.terminate()

    ending = sim.client(terminate_on_exit=True)
    ending.start_session()
    with ending:
        pass  # leaving the block closes the client
    assert sim.stat("sessions.open") == 0
    with pytest.raises(enigma.ValidationError):
        ending.start_session()
