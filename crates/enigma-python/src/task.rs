//! `enigma._native.Task`: one task of a session.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::bridge::{Mode, run, run_wait};
use crate::convert::{read_options, result_to_py, status_to_py};
use crate::handles::{PyClient, PySession, PyTask, check_pid};

impl PyTask {
    fn mode(&self) -> PyResult<Mode> {
        check_pid(self.pid)?;
        Ok(Mode { blocking: self.blocking, detached: false })
    }
}

#[pymethods]
impl PyTask {
    /// `None` until the service names the task (see `wait_for_id`).
    #[getter]
    fn id(&self) -> Option<&str> {
        self.inner.id()
    }

    /// The task id, once the service names the task.
    fn wait_for_id(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let task = self.inner.clone();
        run(
            py,
            self.mode()?,
            move |_| async move { task.wait_for_id().await },
            |py, id| Ok(pyo3::types::PyString::new(py, &id).into_any().unbind()),
        )
    }

    #[getter]
    fn session_id(&self) -> &str {
        self.inner.session_id()
    }

    #[getter]
    fn blocking(&self) -> bool {
        self.blocking
    }

    /// A handle on the task's session (re-attached by id).
    fn session(&self) -> PySession {
        PySession::new(self.inner.session(), self.blocking)
    }

    #[getter]
    fn client(&self) -> PyClient {
        PyClient::wrap(self.inner.session().client().clone(), self.blocking)
    }

    /// One look at the task.
    fn poll(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let task = self.inner.clone();
        run(py, self.mode()?, move |_| async move { task.poll().await }, |py, s| status_to_py(py, &s))
    }

    /// Waits for the outcome. `on_status(status)` is called with every status polled meanwhile,
    /// on the caller's thread (the event loop's, for asyncio).
    /// `options` holds the wait's keyword arguments (`timeout`, `max_cost`).
    #[pyo3(signature = (options, *, on_status=None))]
    fn result(&self, py: Python<'_>, options: &Bound<'_, PyDict>, on_status: Option<Py<PyAny>>) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = read_options(py, options, enigma::binding::wait_options, mode.blocking)?;
        let task = self.inner.clone();
        // A timeout or cost stop names this very task: `err.task` is this handle again.
        let waited = self.inner.clone();
        run_wait(
            py,
            mode,
            move |sink| async move {
                match on_status {
                    None => task.result(options).await,
                    Some(callback) => {
                        let callback = std::sync::Arc::new(callback);
                        task.result_with_progress(options, move |status| {
                            let status = status.clone();
                            let callback = callback.clone();
                            sink.post(Box::new(move |py| {
                                let called = status_to_py(py, &status).and_then(|s| callback.bind(py).call1((s,)));
                                if let Err(err) = called {
                                    err.write_unraisable(py, Some(callback.bind(py)));
                                }
                            }));
                        })
                        .await
                    }
                }
            },
            result_to_py,
            move |_| Some(waited),
        )
    }

    fn __repr__(&self) -> String {
        format!("Task(id={:?}, session_id={:?})", self.inner.id(), self.inner.session_id())
    }
}
