"""Manual interaction: take over the browser, click and type, then hand it back to the agent.

    python examples/manual_interaction.py
"""

import _common

with _common.client() as client:
    with client.start_session(starting_url="https://duckduckgo.com") as session:
        task = session.new_task(_common.task("Search for mechanical keyboards", "#sim duration=30"))
        session.take_over()  # the agent waits while we drive
        session.click(512, 300)  # x 0-1024, y 155-755 (the page area)
        session.type_text("mechanical keyboard", human_like=True)
        session.press_key("Enter")
        session.release()  # the agent carries on
        print("handed back; live view:", session.live_view_url)
        result = task.result(timeout=300)
        print(result.outcome, "-", result.message)
