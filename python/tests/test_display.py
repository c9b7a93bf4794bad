"""What notebooks and terminals show: a result as HTML, a wait's progress (tqdm when installed,
a line on stderr otherwise), and the simulator's rate limit turned off with 0 (as in the CLI
and Node) as well as None."""

from __future__ import annotations

import pytest

import enigma
from enigma.testing import Simulator

from _util import run_python


def test_a_result_renders_as_html_with_outcome_message_usage_and_ids(client: enigma.Client) -> None:
    result = client.run_task('Find it #sim message="<b>49 USD</b>" cost=0.02')
    page = result._repr_html_()
    assert "Enigma task result" in page and "completed" in page
    assert "&lt;b&gt;49 USD&lt;/b&gt;" in page and "<b>49 USD</b>" not in page  # escaped
    assert "cost 0.02" in page
    assert result.task_id in page and result.session_id in page


def test_a_guardrail_result_shows_its_question(client: enigma.Client) -> None:
    page = client.run_task('Buy shoes #sim guardrail="Which size?"')._repr_html_()
    assert "guardrail" in page and "question" in page and "Which size?" in page


PROGRESS = """
    import sys
    {block}
    from enigma.testing import Simulator
    with Simulator(time_scale=0.01, rate_limit=0) as sim, sim.client() as client:
        with client.start_session() as session:
            task = session.new_task("Look #sim duration=20 cost=0.03")
            result = task.result(timeout=60, progress=True)
            print(task.id, result.outcome)
"""


def test_progress_without_tqdm_is_a_line_on_stderr() -> None:
    # tqdm made unimportable in the child: the fallback must carry the display.
    done = run_python(PROGRESS.replace("{block}", "sys.modules['tqdm'] = None; sys.modules['tqdm.auto'] = None"))
    assert done.returncode == 0, done.stderr
    task_id, outcome = done.stdout.split()
    assert outcome == "completed"
    assert f"task {task_id}, completed, 0.0300 USD" in done.stderr


def test_progress_with_tqdm_draws_a_bar() -> None:
    pytest.importorskip("tqdm")
    done = run_python(PROGRESS.replace("{block}", "import tqdm"))
    assert done.returncode == 0, done.stderr
    task_id, _ = done.stdout.split()
    assert f"task {task_id}, completed, 0.0300 USD [00:" in done.stderr  # tqdm's elapsed field


def test_progress_shows_a_failed_wait_and_raises_it() -> None:
    done = run_python(
        PROGRESS.replace("{block}", "sys.modules['tqdm'] = None; sys.modules['tqdm.auto'] = None").replace(
            "duration=20 cost=0.03", "fail=PAGE_CRASH"
        )
    )
    assert done.returncode == 1 and "TaskFailedError" in done.stderr
    assert ", TaskFailedError [" in done.stderr  # the display said how it ended


@pytest.mark.parametrize("off", [0, None])
def test_rate_limit_off_with_zero_or_none(off: object) -> None:
    with Simulator(time_scale=0.01, rate_limit=off) as sim, sim.client(max_retries=0) as client:  # type: ignore[arg-type]
        for _ in range(12):  # more POSTs than the default limit (10 per minute)
            client.run_task("Look")
        assert sim.stat("tasks.completed") == 12


def test_rate_limit_still_limits() -> None:
    with Simulator(time_scale=0.01, rate_limit=2) as sim, sim.client(max_retries=0) as client:
        client.run_task("Look")
        client.run_task("Look")
        with pytest.raises(enigma.errors.RateLimitError):
            client.run_task("Look")
