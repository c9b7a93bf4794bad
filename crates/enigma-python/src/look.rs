//! The pictures a notebook shows: a session's timeline and live view, a result's and a batch's
//! timeline. The core builds and renders them (`enigma::Timeline`, `enigma::LiveView`); this
//! only hands the HTML over.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::batch::PyBatch;
use crate::handles::PySession;

/// The session's timeline so far, as an HTML fragment, and its model as a dict.
#[pyfunction]
pub(crate) fn session_timeline(py: Python<'_>, session: &PySession) -> PyResult<(String, Py<PyAny>)> {
    let timeline = session.inner.timeline();
    Ok((timeline.to_html(), pythonize::pythonize(py, &timeline.to_json())?.unbind()))
}

/// The timeline of a file: a session recording (`record=`) or a batch journal, as an HTML
/// fragment and its model as a dict.
#[pyfunction]
pub(crate) fn file_timeline(py: Python<'_>, path: std::path::PathBuf) -> PyResult<(String, Py<PyAny>)> {
    let timeline = enigma::Timeline::from_file(path).map_err(|err| crate::errors::to_py_err(py, err, true))?;
    Ok((timeline.to_html(), pythonize::pythonize(py, &timeline.to_json())?.unbind()))
}

/// The session's live view (`url`, `html`, `width`, `height`, `read_only`); None on a
/// re-attached handle.
#[pyfunction]
pub(crate) fn session_live_view(py: Python<'_>, session: &PySession, read_only: bool) -> PyResult<Option<Py<PyAny>>> {
    let Some(view) = session.inner.live_view(read_only) else { return Ok(None) };
    let out = PyDict::new(py);
    out.set_item("url", &view.url)?;
    out.set_item("html", view.html())?;
    out.set_item("width", view.width)?;
    out.set_item("height", view.height)?;
    out.set_item("read_only", view.read_only)?;
    Ok(Some(out.into_any().unbind()))
}

/// A result's timeline (from its `to_dict()`), as an HTML fragment.
#[pyfunction]
pub(crate) fn result_timeline(result: &Bound<'_, PyAny>) -> PyResult<String> {
    let result: enigma::TaskResult = pythonize::depythonize(result)?;
    Ok(enigma::Timeline::from_result(&result).to_html())
}

/// A batch's timeline so far, as an HTML fragment.
#[pyfunction]
pub(crate) fn batch_timeline(batch: &PyBatch) -> String {
    batch.timeline().to_html()
}
