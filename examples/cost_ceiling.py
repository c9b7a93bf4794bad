"""A cost ceiling: the wait stops the task once its cost passes `max_cost`. The ceiling is
checked from the first answer on: a new task's request waits up to 50 s for an inline result,
and a task that ends within it cannot be stopped earlier.

    python examples/cost_ceiling.py
"""

import enigma

import _common

with _common.client() as client:
    try:
        result = client.run_task(
            _common.task("Research 50 laptops and compare them", "#sim duration=600 cost=0.5"),
            max_cost=0.10,
            timeout=300,
        )
        print("finished under the ceiling:", result.outcome, result.usage.cost)
    except enigma.errors.CostLimitExceeded as err:
        # The SDK sent `stop`; the session was ended with the call.
        print(f"stopped at {err.usage.cost:.2f} USD (limit {err.limit:.2f} USD), task {err.task_id}")
