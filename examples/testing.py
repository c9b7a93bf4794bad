"""Testing your own code with the test kit: the `enigma_simulator` pytest fixture gives each test
a fresh in-process simulator (no network, no key). Run it as a program or with pytest:

    python examples/testing.py
    pytest examples/testing.py
"""

from typing import Dict, List

import pytest

import enigma

# --- your code -------------------------------------------------------------------------------


def find_prices(client: enigma.Client, products: List[str]) -> Dict[str, str]:
    """Asks the agent for each product's price; a product it cannot price maps to 'unknown'."""
    prices = {}
    for product in products:
        try:
            prices[product] = client.run_task(f"Find the price of {product}", timeout=60).message or ""
        except enigma.errors.TaskFailedError:
            prices[product] = "unknown"
    return prices


# --- its tests -------------------------------------------------------------------------------


def test_find_prices(enigma_simulator):
    with enigma_simulator.client() as client:
        prices = find_prices(
            client, ['a keyboard #sim message="49 USD"', "a lost item #sim fail=ELEMENT_NOT_FOUND"]
        )
    assert list(prices.values()) == ["49 USD", "unknown"]
    assert enigma_simulator.stat("sessions.open") == 0  # nothing left billing


@pytest.mark.enigma_simulator(initial_balance=0)
def test_find_prices_without_balance(enigma_simulator):
    with enigma_simulator.client() as client, pytest.raises(enigma.errors.InsufficientBalanceError):
        find_prices(client, ["a keyboard"])


if __name__ == "__main__":
    raise SystemExit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
