//! `enigma._native.Client`: configuration and the calls that need no session.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::bridge::{Mode, run, run_or_keep, run_wait};
use crate::convert::{health_to_py, read_options, result_to_py, sockets_to_py, unended_to_py};
use crate::errors::to_py_err;
use crate::handles::{PyClient, PySession, PyTask, check_pid};

impl PyClient {
    fn mode(&self) -> PyResult<Mode> {
        check_pid(self.pid)?;
        Ok(Mode { blocking: self.blocking, detached: false })
    }
}

#[pymethods]
impl PyClient {
    /// Starts a batch: `tasks` a list of task texts or spec dicts, `options` a dict of batch
    /// options (snake_case); `guardrail`: questions come out of the batch's `next()`.
    #[pyo3(signature = (tasks, options, guardrail=false))]
    fn run_many(
        &self,
        py: Python<'_>,
        tasks: &Bound<'_, PyAny>,
        options: &Bound<'_, PyAny>,
        guardrail: bool,
    ) -> PyResult<crate::batch::PyBatch> {
        check_pid(self.pid)?;
        crate::batch::PyBatch::start(py, self.inner.clone(), tasks, options, guardrail, self.blocking)
    }

    /// `settings`: the client settings given (keys of `enigma.ClientSettings`, e.g.
    /// `request_timeout` in seconds); the others come from `ENIGMA_*`, then the core's defaults.
    #[new]
    #[pyo3(signature = (settings, *, blocking=false))]
    fn new(py: Python<'_>, settings: &Bound<'_, PyDict>, blocking: bool) -> PyResult<Self> {
        crate::logging::refresh();
        // `ENIGMA_LOG` is read when a client is made, as in every language: the binding is the
        // application here, so it may install the stderr subscriber (the core never does).
        enigma::init_logging_from_env();
        let settings = read_options(py, settings, enigma::binding::client_settings, blocking)?;
        let inner = enigma::Client::builder()
            .user_agent_prefix(concat!("enigma-python/", env!("CARGO_PKG_VERSION")))
            .settings(settings)
            .build()
            .map_err(|e| to_py_err(py, e, blocking))?;
        Ok(PyClient::wrap(inner, blocking))
    }

    /// True for the sync facade's clients (calls block), false for asyncio ones (calls return awaitables).
    #[getter]
    fn blocking(&self) -> bool {
        self.blocking
    }

    /// The service's base URL.
    #[getter]
    fn base_url(&self) -> String {
        self.inner.config().base_url.as_str().trim_end_matches('/').to_owned()
    }

    /// The API key in redacted form (`enig_…[redacted]`), or None.
    #[getter]
    fn api_key_hint(&self) -> Option<String> {
        self.inner.config().api_key.as_ref().map(|k| k.to_string())
    }

    /// Settings that travel with pickled handles (never the key), as `Client(settings)` takes them.
    fn settings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(pythonize::pythonize(py, &self.inner.config().settings())?.unbind())
    }

    /// Starts a session; `options` holds the keyword arguments of `start_session`.
    fn start_session(&self, py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = read_options(py, options, enigma::binding::session_options, mode.blocking)?;
        let client = self.inner.clone();
        run_or_keep(
            py,
            mode,
            move |_| async move { client.start_session(options).await },
            move |py, session| Ok(Py::new(py, PySession::new(session, mode.blocking))?.into_any()),
            terminate_unwanted,
        )
    }

    /// One-shot: `options` holds the session's and the wait's keyword arguments of `run_task`.
    fn run_task(&self, py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = read_options(py, options, enigma::binding::run_task_options, mode.blocking)?;
        let client = self.inner.clone();
        let reattach = client.clone();
        let wait = move |_| async move { client.run_task(options).await };
        run_wait(py, mode, wait, result_to_py, move |err| reattach.task_of(err))
    }

    /// One-shot without waiting; `options` as for `start_session`, with its task.
    fn start_task(&self, py: Python<'_>, options: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = read_options(py, options, enigma::binding::start_task_options, mode.blocking)?;
        let client = self.inner.clone();
        run_or_keep(
            py,
            mode,
            move |_| async move { client.start_task(options).await },
            move |py, task| Ok(Py::new(py, PyTask::new(task, mode.blocking))?.into_any()),
            |task: enigma::Task| terminate_unwanted(task.session()),
        )
    }

    /// Re-attaches to a session by id (no request).
    fn session(&self, py: Python<'_>, session_id: &str) -> PyResult<PySession> {
        check_pid(self.pid)?;
        let session = self.inner.session(session_id).map_err(|e| to_py_err(py, e, self.blocking))?;
        Ok(PySession::new(session, self.blocking))
    }

    /// Re-attaches to a task by ids (no request).
    fn task(&self, py: Python<'_>, session_id: &str, task_id: &str) -> PyResult<PyTask> {
        check_pid(self.pid)?;
        let task = self.inner.task(session_id, task_id).map_err(|e| to_py_err(py, e, self.blocking))?;
        Ok(PyTask::new(task, self.blocking))
    }

    /// The task behind an answer of the OpenAI-compatible endpoint, given as a dict (the
    /// Python side turns the `openai` package's objects into one); the core reads it. No request.
    fn task_from_completion(&self, py: Python<'_>, completion: &Bound<'_, PyAny>) -> PyResult<PyTask> {
        check_pid(self.pid)?;
        let value = pythonize::depythonize::<serde_json::Value>(completion).map_err(|e| {
            let err =
                enigma::Error::Validation { field: "completion".into(), reason: format!("has no JSON form: {e}") };
            to_py_err(py, err, self.blocking)
        })?;
        let task = self.inner.task_from_completion(&value).map_err(|e| to_py_err(py, e, self.blocking))?;
        Ok(PyTask::new(task, self.blocking))
    }

    fn health(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let client = self.inner.clone();
        run(py, self.mode()?, move |_| async move { client.health().await }, health_to_py)
    }

    fn active_sockets(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let client = self.inner.clone();
        run(py, self.mode()?, move |_| async move { client.active_sockets().await }, sockets_to_py)
    }

    /// The same client (shared connection pool and open-session list) in the other mode, or in
    /// this one: `blocking=True` gives calls that wait on the calling thread.
    #[pyo3(signature = (*, blocking))]
    fn with_mode(&self, blocking: bool) -> PyResult<PyClient> {
        check_pid(self.pid)?;
        Ok(PyClient::wrap(self.inner.clone(), blocking))
    }

    /// Closes the client (the core's `Client::close`): its later calls raise a
    /// `ValidationError` naming `client`; handles made before keep working. Idempotent.
    fn close(&self) {
        self.inner.close();
    }

    /// Whether the client was closed.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Ids of sessions started through this client and not terminated through it.
    fn open_session_ids(&self) -> Vec<String> {
        self.inner.open_session_ids()
    }

    /// The sessions the ledger saw opened and never saw end, each checked against the service;
    /// with `terminate`, those still open whose process is gone are ended (the core's
    /// `Client::check_unended_sessions`).
    #[pyo3(signature = (*, terminate = false))]
    fn unended_sessions(&self, py: Python<'_>, terminate: bool) -> PyResult<Py<PyAny>> {
        let client = self.inner.clone();
        run(py, self.mode()?, move |_| async move { client.check_unended_sessions(terminate).await }, unended_to_py)
    }

    /// The session ledger's file (`None` when it is off).
    #[getter]
    fn ledger_path(&self) -> Option<std::path::PathBuf> {
        self.inner.ledger_path()
    }

    /// Terminates every open session; returns `[(session_id, exception), ...]` for failures.
    fn terminate_open_sessions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mode = Mode { detached: true, ..self.mode()? };
        let client = self.inner.clone();
        run(
            py,
            mode,
            move |_| async move { Ok::<_, enigma::Error>(client.terminate_open_sessions().await) },
            move |py, failures| {
                let list = PyList::empty(py);
                for (id, err) in failures {
                    let exc = to_py_err(py, err, mode.blocking).into_value(py);
                    list.append(PyTuple::new(py, [id.into_pyobject(py)?.into_any(), exc.into_bound(py).into_any()])?)?;
                }
                Ok(list.into_any().unbind())
            },
        )
    }

    fn __repr__(&self) -> String {
        format!(
            "Client(base_url={:?}, api_key={:?}, blocking={})",
            self.base_url(),
            self.api_key_hint(),
            if self.blocking { "True" } else { "False" }
        )
    }
}

/// A session started for a caller that stopped waiting just as the answer came (Ctrl-C,
/// asyncio cancellation): nobody holds it, so it is terminated, as detached work that
/// interpreter exit waits for.
fn terminate_unwanted(session: enigma::Session) {
    let _ = crate::runtime::spawn_detached(async move {
        if let Err(err) = session.terminate().await {
            tracing::warn!(session = session.id(), error = %err, "could not terminate a session nobody waited for");
        }
    });
}
