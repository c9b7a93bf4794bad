"""The pictures of a run in Python: ``session.timeline()``, ``session.live_view()``, and the
HTML reprs of results and batches (the core draws them all), ``Timeline.from_file`` of a
recording, and a notebook that shows them and records and replays a run (examples/look.ipynb,
run with nbclient; its executed copy is left for a person to look at)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import enigma
from enigma.testing import Simulator

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_a_session_timeline_has_its_tasks_events_and_commands(client: enigma.Client) -> None:
    with client.start_session() as session:
        task = session.new_task('Buy <b>shoes</b> #sim guardrail="Which size?"')
        assert task.result(timeout=60).outcome == "guardrail"
        session.answer_guardrail("42")
        assert task.result(timeout=60).outcome == "completed"
        second = session.new_task("Find socks #sim duration=600")
        session.pause()
        session.resume()
        session.stop()
        assert second.result(timeout=60).outcome == "stopped"
        picture = session.timeline()
    tasks = picture.model["tasks"]
    assert [(t["id"], t["outcome"]) for t in tasks] == [(task.id, "completed"), (second.id, "stopped")]
    assert tasks[0]["text"] == 'Buy <b>shoes</b> #sim guardrail="Which size?"'
    kinds = [m["kind"] for m in tasks[0]["marks"]]
    assert "agent" in kinds and "action" in kinds and kinds.count("guardrail") == 1
    assert [c["name"] for c in picture.model["commands"]] == ["guardrail", "pause", "resume", "stop"]
    html = picture._repr_html_()
    assert html.count('class="task-bar ') == 2
    assert "<b>shoes" not in html and "Buy &lt;b&gt;shoes&lt;/b&gt;" in html


def test_the_live_view_is_a_frame_of_the_viewport_and_read_only_takes_no_input(client: enigma.Client) -> None:
    with client.start_session() as session:
        view = session.live_view()
        assert view.url == session.live_view_url and not view.read_only
        assert (view.width, view.height) == (1024, 600)
        assert f'<iframe src="{session.live_view_url}" width="1024" height="600"' in view._repr_html_()
        quiet = session.live_view(read_only=True)
        assert quiet.read_only and "pointer-events:none" in quiet._repr_html_()
        assert "pointer-events:none" not in view._repr_html_()
        with pytest.raises(ValueError, match="re-attached"):
            client.session(session.id).live_view()


def test_result_and_batch_reprs_show_the_picture(client: enigma.Client) -> None:
    result = client.run_task("Look #sim cost=0.02")
    page = result._repr_html_()
    assert "Enigma task result" in page, "the table stays"
    assert page.count('class="task-bar ') == 1 and "outcome-completed" in page
    batch = client.run_many(["Look", "Crash #sim fail=PAGE_CRASH"], budget=1.0)
    items = list(batch)
    assert sorted(i.outcome for i in items) == ["completed", "failed"]
    html = batch._repr_html_()
    assert html.count('class="task-bar ') == 2 and "outcome-failed" in html
    assert "of a 1.0000 USD budget" in html


def test_a_recording_read_back_is_drawn_and_another_file_is_refused(sim: Simulator, tmp_path: Path) -> None:
    folder = tmp_path / "recording"
    with sim.client(record=folder) as client:
        with client.start_session() as session:
            first = session.new_task("Look at <i>this</i>")
            second = session.new_task('Ask #sim guardrail="Which one?"')
            assert (first.result(timeout=60).outcome, second.result(timeout=60).outcome) == ("completed", "guardrail")
    (recording,) = folder.glob("*.jsonl")
    picture = enigma.Timeline.from_file(recording)
    assert [t["id"] for t in picture.model["tasks"]] == [first.id, second.id]
    assert 'data-source="recording"' in picture.html and picture.html.count('class="task-bar ') == 2
    assert "Look at &lt;i&gt;this" in picture.html
    other = tmp_path / "notes.txt"
    other.write_text("not a recording\n")
    with pytest.raises(enigma.ValidationError, match="neither a session recording"):
        enigma.Timeline.from_file(other)


def test_the_notebook_renders_the_timeline_and_the_live_view(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(EXAMPLES / "look.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    out = Path(os.environ.get("ENIGMA_TEST_OUTPUT", tmp_path)) / "look.executed.ipynb"
    nbformat.write(notebook, out)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    timelines = [h for h in html if 'class="enigma-timeline" data-source="session"' in h]
    assert len(timelines) == 1 and timelines[0].count('class="task-bar ') == 2
    assert any("Enigma task result" in h and 'class="task-bar ' in h for h in html), "the result's picture"
    assert any('class="enigma-live-view" data-read-only="true"' in h and 'width="1024" height="600"' in h for h in html)
    assert any('data-source="batch"' in h and h.count('class="task-bar ') == 3 for h in html), "the batch's picture"
    # The record/replay cell: the replay gave the same results and served the whole recording,
    # and the recording's own picture has its one task.
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "same results: True" in printed and "first difference: None" in printed, printed
    assert "everything served: True" in printed, printed
    drawn = [h for h in html if 'class="enigma-timeline" data-source="recording"' in h]
    assert len(drawn) == 1 and drawn[0].count('class="task-bar ') == 1, "the recording's picture"
