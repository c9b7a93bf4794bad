"""A cost ceiling: the wait stops the task once its cost passes `max_cost`.

    python examples/cost_ceiling.py
"""

import enigma

import _common

with _common.client() as client:
    try:
        result = client.run_task(
            _common.task("Research 50 laptops and compare them", "#sim duration=60 cost=2.0"),
            max_cost=0.10,
            timeout=300,
        )
        print("finished under the ceiling:", result.outcome, result.usage.cost)
    except enigma.errors.CostLimitExceeded as err:
        # The SDK sent `stop`; the session was ended with the call.
        print(f"stopped at {err.usage.cost:.2f} USD (limit {err.limit:.2f} USD), task {err.task_id}")
