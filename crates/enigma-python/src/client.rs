//! `enigma._native.Client`: configuration and the calls that need no session.

use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::bridge::{Mode, run, run_or_keep, run_wait};
use crate::convert::{Int, count, health_to_py, result_to_py, seconds, sockets_to_py};
use crate::errors::to_py_err;
use crate::session::PySession;
use crate::task::PyTask;

/// Raised in a child process that uses a handle made before `os.fork()`.
pub(crate) fn check_pid(pid: u32) -> PyResult<()> {
    if pid == std::process::id() {
        return Ok(());
    }
    Err(PyRuntimeError::new_err(
        "this enigma client was created in another process (before os.fork()); create a new client in this process",
    ))
}

#[pyclass(name = "Client", module = "enigma._native", frozen)]
pub(crate) struct PyClient {
    pub(crate) inner: enigma::Client,
    pub(crate) blocking: bool,
    pub(crate) pid: u32,
}

impl PyClient {
    pub(crate) fn wrap(inner: enigma::Client, blocking: bool) -> PyClient {
        PyClient { inner, blocking, pid: std::process::id() }
    }

    fn mode(&self) -> PyResult<Mode> {
        check_pid(self.pid)?;
        Ok(Mode { blocking: self.blocking, detached: false })
    }
}

#[allow(clippy::too_many_arguments)]
/// Session options from Python arguments, checked by the core (`task_required` for run-task) so
/// that a bad value raises at the call, before anything is sent.
pub(crate) fn session_options(
    task_required: bool,
    task_details: Option<String>,
    starting_url: Option<String>,
    max_duration: Option<Int>,
    max_input_tokens: Option<Int>,
    max_output_tokens: Option<Int>,
    avoid_domains: Option<Vec<String>>,
    terminate_on_completion: Option<bool>,
) -> enigma::Result<enigma::SessionOptions> {
    let options = enigma::SessionOptions {
        task_details,
        max_duration: count("max_duration", max_duration)?,
        max_input_tokens: count("max_input_tokens", max_input_tokens)?,
        max_output_tokens: count("max_output_tokens", max_output_tokens)?,
        starting_url,
        avoid_domains,
        terminate_on_completion,
    };
    options.validate(task_required)?;
    Ok(options)
}

/// Wait options from Python arguments, checked by the core.
pub(crate) fn wait_options(timeout: Option<f64>, max_cost: Option<f64>) -> enigma::Result<enigma::WaitOptions> {
    let options = enigma::WaitOptions { timeout: seconds("timeout", timeout)?, max_cost };
    options.validate()?;
    Ok(options)
}

#[pymethods]
impl PyClient {
    /// Starts a batch: `tasks_json` a JSON list of task texts or spec objects, `options_json` a
    /// JSON object of batch options; `guardrail`: questions come out of the batch's `next()`.
    #[pyo3(signature = (tasks_json, options_json, guardrail=false))]
    fn run_many(
        &self,
        py: Python<'_>,
        tasks_json: &str,
        options_json: &str,
        guardrail: bool,
    ) -> PyResult<crate::batch::PyBatch> {
        check_pid(self.pid)?;
        crate::batch::PyBatch::start(py, self.inner.clone(), tasks_json, options_json, guardrail, self.blocking)
    }

    #[new]
    #[pyo3(signature = (api_key=None, base_url=None, *, request_timeout=None, max_retries=None, poll_interval=None,
        allow_insecure_http=false, live_events=None, blocking=false, retry_backoff=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        api_key: Option<String>,
        base_url: Option<String>,
        request_timeout: Option<f64>,
        max_retries: Option<Int>,
        poll_interval: Option<f64>,
        allow_insecure_http: bool,
        live_events: Option<bool>,
        blocking: bool,
        retry_backoff: Option<(f64, f64)>,
    ) -> PyResult<Self> {
        crate::logging::refresh();
        // Only what the caller gave goes to the builder: the rest is the core's
        // `ENIGMA_*`-or-default.
        let build = || -> enigma::Result<enigma::Client> {
            let mut builder = enigma::Client::builder()
                .user_agent_prefix(concat!("enigma-python/", env!("CARGO_PKG_VERSION")))
                .allow_insecure_http(allow_insecure_http);
            if let Some(secs) = request_timeout {
                builder = builder.request_timeout(duration("request_timeout", secs)?);
            }
            if let Some(secs) = poll_interval {
                builder = builder.poll_interval(duration("poll_interval", secs)?);
            }
            if let Some(retries) = max_retries {
                builder = builder.max_retries(retries.to::<u32>("max_retries")?);
            }
            if let Some(key) = api_key {
                builder = builder.api_key(key);
            }
            if let Some(url) = base_url {
                builder = builder.base_url(url);
            }
            if let Some(on) = live_events {
                builder = builder.live_events(on);
            }
            if let Some((first, max)) = retry_backoff {
                builder = builder.retry_backoff(duration("retry_backoff", first)?, duration("retry_backoff", max)?);
            }
            builder.build()
        };
        let inner = build().map_err(|e| to_py_err(py, e, blocking))?;
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

    /// Settings that travel with pickled handles (never the key).
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = self.inner.config();
        let d = PyDict::new(py);
        d.set_item("base_url", self.base_url())?;
        d.set_item("request_timeout", c.request_timeout.as_secs_f64())?;
        d.set_item("max_retries", c.max_retries)?;
        d.set_item("poll_interval", c.poll_interval.as_secs_f64())?;
        d.set_item("allow_insecure_http", c.allow_insecure_http)?;
        d.set_item("live_events", c.live_events)?;
        d.set_item("retry_backoff", (c.retry_backoff.as_secs_f64(), c.retry_backoff_max.as_secs_f64()))?;
        Ok(d)
    }

    #[pyo3(signature = (*, task_details=None, starting_url=None, max_duration=None, max_input_tokens=None,
        max_output_tokens=None, avoid_domains=None, terminate_on_completion=None))]
    #[allow(clippy::too_many_arguments)]
    fn start_session(
        &self,
        py: Python<'_>,
        task_details: Option<String>,
        starting_url: Option<String>,
        max_duration: Option<Int>,
        max_input_tokens: Option<Int>,
        max_output_tokens: Option<Int>,
        avoid_domains: Option<Vec<String>>,
        terminate_on_completion: Option<bool>,
    ) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = session_options(
            false,
            task_details,
            starting_url,
            max_duration,
            max_input_tokens,
            max_output_tokens,
            avoid_domains,
            terminate_on_completion,
        )
        .map_err(|e| to_py_err(py, e, mode.blocking))?;
        let client = self.inner.clone();
        run_or_keep(
            py,
            mode,
            move |_| async move { client.start_session(options).await },
            move |py, session| Ok(Py::new(py, PySession::new(session, mode.blocking))?.into_any()),
            terminate_unwanted,
        )
    }

    #[pyo3(signature = (task_details, *, timeout=None, max_cost=None, starting_url=None,
        max_duration=None, max_input_tokens=None, max_output_tokens=None, avoid_domains=None,
        terminate_on_completion=None))]
    #[allow(clippy::too_many_arguments)]
    fn run_task(
        &self,
        py: Python<'_>,
        task_details: String,
        timeout: Option<f64>,
        max_cost: Option<f64>,
        starting_url: Option<String>,
        max_duration: Option<Int>,
        max_input_tokens: Option<Int>,
        max_output_tokens: Option<Int>,
        avoid_domains: Option<Vec<String>>,
        terminate_on_completion: Option<bool>,
    ) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = (|| {
            Ok(enigma::RunTaskOptions {
                session: session_options(
                    true,
                    Some(task_details),
                    starting_url,
                    max_duration,
                    max_input_tokens,
                    max_output_tokens,
                    avoid_domains,
                    terminate_on_completion,
                )?,
                wait: wait_options(timeout, max_cost)?,
            })
        })()
        .map_err(|e| to_py_err(py, e, mode.blocking))?;
        let client = self.inner.clone();
        let reattach = client.clone();
        let wait = move |_| async move { client.run_task(options).await };
        run_wait(py, mode, wait, result_to_py, move |err| reattach.task_of(err))
    }

    #[pyo3(signature = (task_details, *, starting_url=None, max_duration=None, max_input_tokens=None,
        max_output_tokens=None, avoid_domains=None, terminate_on_completion=None))]
    #[allow(clippy::too_many_arguments)]
    fn start_task(
        &self,
        py: Python<'_>,
        task_details: String,
        starting_url: Option<String>,
        max_duration: Option<Int>,
        max_input_tokens: Option<Int>,
        max_output_tokens: Option<Int>,
        avoid_domains: Option<Vec<String>>,
        terminate_on_completion: Option<bool>,
    ) -> PyResult<Py<PyAny>> {
        let mode = self.mode()?;
        let options = session_options(
            true,
            Some(task_details),
            starting_url,
            max_duration,
            max_input_tokens,
            max_output_tokens,
            avoid_domains,
            terminate_on_completion,
        )
        .map_err(|e| to_py_err(py, e, mode.blocking))?;
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

    /// Ids of sessions started through this client and not terminated through it.
    fn open_session_ids(&self) -> Vec<String> {
        self.inner.open_session_ids()
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

/// Seconds from Python (the core checks the value itself, e.g. that a timeout is not zero).
fn duration(field: &str, secs: f64) -> enigma::Result<Duration> {
    seconds(field, Some(secs)).map(Option::unwrap_or_default)
}
