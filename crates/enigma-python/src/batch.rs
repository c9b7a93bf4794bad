//! `enigma._native.Batch`: a running batch (the core's `enigma::binding::BatchFeed`), read one `next()`
//! at a time like the event stream (pull-based: no Python callback is stored in Rust). A
//! guardrail question for the Python `on_guardrail` callback comes out of `next()` too, with a
//! token for `answer(token, text)`. Tasks and options cross as Python objects, read and checked
//! by the core (errors name the task: `tasks[3]`).

use std::sync::Arc;

use pyo3::prelude::*;
use serde_json::Value;

use crate::bridge::{Mode, run, run_or_keep};
use crate::convert::json_to_py;
use crate::errors::to_py_err;
use crate::handles::check_pid;
use crate::runtime;

#[pyclass(name = "Batch", module = "enigma._native", frozen)]
pub(crate) struct PyBatch {
    feed: Arc<enigma::binding::BatchFeed>,
    blocking: bool,
    pid: u32,
}

impl PyBatch {
    /// Starts a batch on the binding's runtime. `guardrail`: a Python callback will answer
    /// questions (they come out of `next()`).
    pub(crate) fn start(
        py: Python<'_>,
        client: enigma::Client,
        tasks: &Bound<'_, PyAny>,
        options: &Bound<'_, PyAny>,
        guardrail: bool,
        blocking: bool,
    ) -> PyResult<PyBatch> {
        let value = |name: &str, object: &Bound<'_, PyAny>| {
            pythonize::depythonize::<Value>(object).map_err(|e| {
                let err = enigma::Error::Validation { field: name.into(), reason: format!("has no JSON form: {e}") };
                to_py_err(py, err, blocking)
            })
        };
        let (tasks, options) = (value("tasks", tasks)?, value("options", options)?);
        let snake = enigma::binding::Spelling::Snake;
        let feed = py
            .detach(|| {
                runtime::block_on(async move {
                    enigma::binding::BatchFeed::start(&client, &tasks, &options, guardrail, snake)
                })
            })?
            .map_err(|e| to_py_err(py, e, blocking))?;
        Ok(PyBatch { feed: Arc::new(feed), blocking, pid: std::process::id() })
    }
}

impl PyBatch {
    /// The batch's picture so far (see `look::batch_timeline`).
    pub(crate) fn timeline(&self) -> enigma::Timeline {
        self.feed.timeline()
    }
}

#[pymethods]
impl PyBatch {
    /// The next ended task (a dict, the core's item record) or guardrail question
    /// (`{"question": {...}, "token": n}`); None once every task has ended. What was read for a
    /// caller that stopped waiting comes out of the next call.
    fn next(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        check_pid(self.pid)?;
        let mode = Mode { blocking: self.blocking, detached: false };
        let (feed, view, kept) = (self.feed.clone(), self.feed.clone(), self.feed.clone());
        run_or_keep(
            py,
            mode,
            move |_| async move { Ok::<_, enigma::Error>(feed.next().await) },
            move |py, next| match next {
                None => Ok(py.None()),
                Some(next) => json_to_py(py, &view.view(&next)),
            },
            move |next| next.into_iter().for_each(|next| kept.give_back(next)),
        )
    }

    /// Answers question `token`: a text resumes the task with it; None ends it (`guardrail`).
    #[pyo3(signature = (token, text=None))]
    fn answer(&self, token: u32, text: Option<String>) {
        self.feed.answer(token, text);
    }

    /// Where the batch stands (a dict: total, done, failed, running, queued, spent, budget...).
    fn progress(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &self.feed.progress())
    }

    /// The summary (a dict) once the batch has ended, else None.
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.feed.summary().map_or_else(|| Ok(py.None()), |summary| json_to_py(py, &summary))
    }

    /// Stops the batch: no new task starts, every session it opened is terminated. Questions
    /// waiting for an answer end their tasks.
    fn cancel(&self) {
        self.feed.cancel();
    }

    /// Waits until the batch has ended (every session it opened ended); the summary (a dict).
    fn finished(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        check_pid(self.pid)?;
        let mode = Mode { blocking: self.blocking, detached: false };
        let feed = self.feed.clone();
        run(
            py,
            mode,
            move |_| async move { Ok::<_, enigma::Error>(feed.finished().await) },
            |py, summary| json_to_py(py, &summary),
        )
    }

    fn __repr__(&self) -> String {
        format!("Batch(ended={})", if self.feed.ended() { "True" } else { "False" })
    }
}
