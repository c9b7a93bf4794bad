"""Re-attach to a session from another process: this script starts a session and a task, then
runs itself again as a child that finds them by their ids alone and waits for the result.

    python examples/reattach.py
"""

import subprocess
import sys

import _common


def child(session_id: str, task_id: str) -> None:
    with _common.client() as client:
        task = client.task(session_id, task_id)  # no request: ids are enough
        result = task.result(timeout=300)
        print(f"[child] task {task.id} of session {task.session_id}: {result.outcome}")


def parent() -> None:
    with _common.client() as client:
        with client.start_session() as session:
            task = session.new_task(_common.task("Find the weather in Paris", "#sim duration=20"))
            print(f"[parent] started task {task.id} in session {session.id}")
            subprocess.run(
                [sys.executable, __file__, session.id, task.id], env=_common.child_env(), check=True
            )
        print("[parent] session terminated")


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(sys.argv[1], sys.argv[2])
    else:
        parent()
