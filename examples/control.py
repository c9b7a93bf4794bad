"""Pause, resume and stop a running task.

    python examples/control.py
"""

import time

import _common


def wait_until_paused(task, paused: bool) -> None:
    """Commands travel over the live connection; a poll shows them once the agent took them."""
    for _ in range(100):
        if task.poll().paused == paused:
            return
        time.sleep(0.05)


with _common.client() as client:
    with client.start_session(starting_url="https://www.amazon.com") as session:
        task = session.new_task(_common.task("Compare the three cheapest laptops", "#sim duration=120"))
        session.pause()
        wait_until_paused(task, True)
        print("paused:", task.poll().paused)
        session.resume()
        wait_until_paused(task, False)
        print("resumed:", not task.poll().paused)
        session.stop()
        result = task.result(timeout=60)
        print("outcome:", result.outcome)  # "stopped"
