"""Error handling: each failure is a class of `enigma.errors` with a stable `code`.

    python examples/error_handling.py
"""

import enigma
from enigma import errors

import _common

with _common.client() as client:
    # Bad input is refused before anything is sent, naming the argument.
    try:
        client.run_task("")
    except errors.ValidationError as err:
        print(f"validation: field={err.field!r} status={err.status}")

    # A wait that runs out of time leaves the task running: wait again on `err.task`.
    with client.start_session() as session:
        task = session.new_task(_common.task("Summarise today's headlines", "#sim duration=100"))
        try:
            task.result(timeout=0.05)
        except errors.WaitTimeout as err:
            print("wait_timeout: still running, waiting again")
            print("then:", err.task.result(timeout=120).outcome)

    # The agent failing is an error too, with the service's code.
    if _common.ON_SIMULATOR:  # (the simulator can be told to fail; the service cannot)
        try:
            client.run_task(_common.task("Open a page that never loads", "#sim fail=NAVIGATION_TIMEOUT"))
        except errors.TaskFailedError as err:
            print(f"task_failed: {err.server_code}")

# A wrong key: every error is an EnigmaError with `code`, `status`, `server_code`, ...
with _common.client(api_key="enig_revoked" + "0" * 24) as bad:
    try:
        bad.run_task("Anything")
    except errors.AuthenticationError as err:
        print(f"authentication: status={err.status}")
    except enigma.EnigmaError as err:  # the base class catches every SDK error
        print(f"{err.code}: {err}")
