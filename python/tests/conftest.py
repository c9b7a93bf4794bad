"""Shared fixtures: every test gets a fresh in-process simulator (the package's own pytest
plugin, `enigma_simulator`) and clients pointed at it with a fresh key."""

from __future__ import annotations

import os
import tempfile
from typing import Any, Iterator

import pytest

import enigma
from enigma.testing import Simulator

# The sessions these tests open go to a ledger of their own, not the developer's (README: the
# session ledger); scripts/test-all.sh names one for the whole run already.
os.environ.setdefault("ENIGMA_LEDGER", os.path.join(tempfile.mkdtemp(prefix="enigma-ledger-"), "sessions.jsonl"))


@pytest.fixture
def sim(enigma_simulator: Simulator) -> Simulator:
    return enigma_simulator


@pytest.fixture
def client(sim: Simulator) -> Iterator[enigma.Client]:
    with sim.client() as c:
        yield c


@pytest.fixture
async def aclient(sim: Simulator) -> Any:
    async with sim.async_client() as c:
        yield c



@pytest.fixture
def strict_docs(request: Any) -> bool:
    """Whether this run's simulators send only what the docs promise (``--enigma-strict-docs``):
    then the events name their task on ``task_completed`` only, and polls say nothing of a pause."""
    return bool(request.config.getoption("--enigma-strict-docs"))
