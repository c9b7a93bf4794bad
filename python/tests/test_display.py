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


# A Jupyter kernel without ipywidgets, as tqdm sees one: `ipykernel.zmqshell` loaded, IPython's
# shell a `ZMQInteractiveShell`, and `import ipywidgets` failing.
FAKE_KERNEL_WITHOUT_WIDGETS = (
    "import types; sys.modules['ipykernel.zmqshell'] = types.ModuleType('ipykernel.zmqshell'); "
    "ipython = types.ModuleType('IPython'); ipython.get_ipython = type('ZMQInteractiveShell', (), {}); "
    "sys.modules['IPython'] = ipython; sys.modules['ipywidgets'] = None"
)


def test_tqdm_auto_warns_in_such_a_kernel() -> None:
    """The trap the bars avoid (and the proof that the fake kernel is one to tqdm)."""
    pytest.importorskip("tqdm")
    done = run_python(f"import sys\n{FAKE_KERNEL_WITHOUT_WIDGETS}\nimport tqdm.auto")
    assert "IProgress not found" in done.stderr, done.stderr


def test_progress_in_jupyter_without_ipywidgets_is_a_quiet_text_bar() -> None:
    pytest.importorskip("tqdm")
    block = f"{FAKE_KERNEL_WITHOUT_WIDGETS}; import warnings; warnings.simplefilter('error')"
    done = run_python(PROGRESS.replace("{block}", block))
    assert done.returncode == 0, done.stderr
    assert "IProgress" not in done.stderr and "Warning" not in done.stderr, done.stderr
    task_id, _ = done.stdout.split()
    assert f"task {task_id}, completed, 0.0300 USD [00:" in done.stderr  # tqdm's text bar


def test_bars_are_chosen_by_what_can_render(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types
    import warnings

    tqdm_std = pytest.importorskip("tqdm.std")
    from enigma import _batch, _progress, _tqdm

    ipython = types.ModuleType("IPython")
    ipython.get_ipython = type("ZMQInteractiveShell", (), {})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "ipykernel.zmqshell", types.ModuleType("ipykernel.zmqshell"))
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # type: ignore[arg-type]
    assert _tqdm.in_jupyter_kernel() and not _tqdm.has_widgets()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        assert _tqdm.bar_class() is tqdm_std.tqdm
        progress = _progress.Progress("t1")
        assert isinstance(progress._bar, tqdm_std.tqdm)
        progress.finish(None)

        class Native:
            def progress(self) -> dict:  # type: ignore[type-arg]
                return {"total": 2, "previously_done": 0}

        bar = _batch._Bar(True, Native())
        assert isinstance(bar._bar, tqdm_std.tqdm)
        bar.close()
    monkeypatch.delitem(sys.modules, "ipykernel.zmqshell")
    assert not _tqdm.in_jupyter_kernel(), "a plain interpreter draws the text bar"


def test_the_notebook_bar_when_ipywidgets_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import types

    pytest.importorskip("ipywidgets")
    notebook = pytest.importorskip("tqdm.notebook")
    from enigma import _tqdm

    monkeypatch.setitem(sys.modules, "ipykernel.zmqshell", types.ModuleType("ipykernel.zmqshell"))
    assert _tqdm.bar_class() is notebook.tqdm
