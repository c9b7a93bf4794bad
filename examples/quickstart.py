"""Quickstart: one task, one call. The session is opened, the task run, the session ended.

    python examples/quickstart.py
"""

import _common

with _common.client() as client:
    result = client.run_task(_common.task("Find the opening hours of the Louvre"), timeout=120)
    print(result.outcome, "-", result.message)
    print(f"cost: {result.usage.cost} USD, tokens: {result.usage.total_tokens}")
