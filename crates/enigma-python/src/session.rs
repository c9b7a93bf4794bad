//! `enigma._native.Session`: one browser session and every command it takes.

use std::future::Future;

use enigma::binding::Spelling;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bridge::{Mode, run};
use crate::convert::{coordinate, json_to_py, read_options};
use crate::errors::to_py_err;
use crate::events::PyEventStream;
use crate::handles::{PyClient, PySession, PyTask, check_pid};

impl PySession {
    fn mode(&self) -> PyResult<Mode> {
        check_pid(self.pid)?;
        Ok(Mode { blocking: self.blocking, detached: false })
    }

    /// A command answered with nothing.
    fn send<M, Fut>(&self, py: Python<'_>, mode: Mode, make: M) -> PyResult<Py<PyAny>>
    where
        M: FnOnce(enigma::Session) -> Fut,
        Fut: Future<Output = enigma::Result<()>> + Send + 'static,
    {
        let session = self.inner.clone();
        run(py, mode, move |_| make(session), |py, ()| Ok(py.None()))
    }

    fn refuse<T>(&self, py: Python<'_>, result: enigma::Result<T>) -> PyResult<T> {
        result.map_err(|e| to_py_err(py, e, self.blocking))
    }
}

#[pymethods]
impl PySession {
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    #[getter]
    fn blocking(&self) -> bool {
        self.blocking
    }

    /// The start answer as a dict (None on a re-attached handle).
    #[getter]
    fn info(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.inner.info().map(|i| json_to_py(py, &i.raw)).transpose()
    }

    #[getter]
    fn live_view_url(&self) -> Option<&str> {
        self.inner.live_view_url()
    }

    #[getter]
    fn initial_task(&self) -> Option<PyTask> {
        self.inner.initial_task().map(|t| PyTask::new(t.clone(), self.blocking))
    }

    #[getter]
    fn is_terminated(&self) -> bool {
        self.inner.is_terminated()
    }

    #[getter]
    fn client(&self) -> PyClient {
        PyClient::wrap(self.inner.client().clone(), self.blocking)
    }

    /// The session's live events, from the moment the stream connects.
    fn events(&self) -> PyResult<PyEventStream> {
        check_pid(self.pid)?;
        Ok(PyEventStream::new(self.inner.events(), self.blocking))
    }

    fn task(&self, py: Python<'_>, task_id: &str) -> PyResult<PyTask> {
        check_pid(self.pid)?;
        let task = self.refuse(py, self.inner.task(task_id))?;
        Ok(PyTask::new(task, self.blocking))
    }

    /// Starts a task; `options` holds the keyword arguments of `new_task`.
    fn new_task(&self, py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = read_options(py, options, enigma::binding::task_options, mode.blocking)?;
        let session = self.inner.clone();
        run(
            py,
            mode,
            move |_| async move { session.new_task(options).await },
            move |py, task| Ok(Py::new(py, PyTask::new(task, mode.blocking))?.into_any()),
        )
    }

    /// A command without arguments, by its core name (`enigma::SessionCommand`: `pause`,
    /// `resume`, `stop`, `take_over`, `release`).
    fn command(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        let command = self.refuse(py, enigma::binding::session_command(name, Spelling::Snake))?;
        self.send(py, self.mode()?, move |s| async move { s.command(command).await })
    }

    /// Ends the session. `detached=True`: it runs to its end even if the caller stops waiting
    /// (cancellation, Ctrl-C), and interpreter exit waits for it.
    #[pyo3(signature = (*, detached=false))]
    fn terminate(&self, py: Python<'_>, detached: bool) -> PyResult<Py<PyAny>> {
        let mode = Mode { detached, ..self.mode()? };
        self.send(py, mode, |s| async move { s.terminate().await })
    }

    fn click(&self, py: Python<'_>, x: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (x, y) = (coordinate(py, "x", x, self.blocking)?, coordinate(py, "y", y, self.blocking)?);
        self.send(py, self.mode()?, move |s| async move { s.click(x, y).await })
    }

    fn double_click(&self, py: Python<'_>, x: &Bound<'_, PyAny>, y: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let (x, y) = (coordinate(py, "x", x, self.blocking)?, coordinate(py, "y", y, self.blocking)?);
        self.send(py, self.mode()?, move |s| async move { s.double_click(x, y).await })
    }

    #[pyo3(signature = (text, human_like=false))]
    fn type_text(&self, py: Python<'_>, text: String, human_like: bool) -> PyResult<Py<PyAny>> {
        self.send(py, self.mode()?, move |s| async move { s.type_text(&text, typing(human_like)).await })
    }

    fn press_key(&self, py: Python<'_>, key: String) -> PyResult<Py<PyAny>> {
        self.send(py, self.mode()?, move |s| async move { s.press_key(&key).await })
    }

    #[pyo3(signature = (text, resume=true))]
    fn answer_guardrail(&self, py: Python<'_>, text: String, resume: bool) -> PyResult<Py<PyAny>> {
        self.send(py, self.mode()?, move |s| async move { s.answer_guardrail(&text, decision(resume)).await })
    }

    fn __repr__(&self) -> String {
        format!("Session(id={:?}, terminated={})", self.inner.id(), self.inner.is_terminated())
    }
}

/// The core's decision for the binding's `resume` flag (documented as a bool in this language).
fn decision(resume: bool) -> enigma::GuardrailDecision {
    if resume { enigma::GuardrailDecision::Resume } else { enigma::GuardrailDecision::Stop }
}

/// The core's typing for the binding's `human_like` flag (documented as a bool in this language).
fn typing(human_like: bool) -> enigma::Typing {
    if human_like { enigma::Typing::HumanLike } else { enigma::Typing::Instant }
}
