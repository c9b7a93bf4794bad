"""A guardrail answered: the agent stops to ask a question, we answer, it goes on.

    python examples/guardrail.py
"""

import _common

ANSWERS = {"size": "Size 42", "password": "Use the guest checkout instead"}

with _common.client() as client:
    with client.start_session(starting_url="https://shop.example.com") as session:
        task = session.new_task(
            _common.task("Buy the blue running shoes", '#sim guardrail="Which size should I pick?"')
        )
        result = task.result(timeout=300)
        while result.outcome == "guardrail":
            print("the agent asks:", result.question)
            answer = next((a for k, a in ANSWERS.items() if k in result.question.lower()), "Your choice")
            print("we answer:", answer)
            session.answer_guardrail(answer, resume=True)
            result = task.result(timeout=300)  # the same task, waited on again
        print(result.outcome, "-", result.message)
