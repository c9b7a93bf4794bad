//! `enigma._native.Batch`: a running batch (`enigma::Batch`), read one `next()` at a time like
//! the event stream (pull-based: no Python callback is stored in Rust). A guardrail question
//! for the Python `on_guardrail` callback comes out of `next()` too, as a question with a
//! token; `answer(token, text)` answers it. Tasks and options cross as one JSON text each,
//! parsed and checked by the core (errors name the task: `tasks[3]`).

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use serde_json::{Value, json};

use crate::bridge::{Mode, run, run_or_keep};
use crate::client::check_pid;
use crate::convert::json_to_py;
use crate::errors::to_py_err;
use crate::runtime;

/// What `next()` returns: an ended task, or a question for the guardrail callback.
enum Next {
    Item(Box<enigma::BatchItem>),
    Question(u32, enigma::GuardrailQuestion),
}

struct Shared {
    batch: tokio::sync::Mutex<enigma::Batch>,
    desk: enigma::GuardrailDesk,
    /// What was read for a caller that stopped waiting, returned first.
    returned: Mutex<VecDeque<Next>>,
    ended: std::sync::atomic::AtomicBool,
    monitor: enigma::BatchMonitor,
}

#[pyclass(name = "Batch", module = "enigma._native", frozen)]
pub(crate) struct PyBatch {
    shared: Arc<Shared>,
    cancel: tokio_util::sync::CancellationToken,
    blocking: bool,
    pid: u32,
}

impl PyBatch {
    /// Starts a batch on the binding's runtime. `guardrail`: a Python callback will answer
    /// questions (they come out of `next()`).
    pub(crate) fn start(
        py: Python<'_>,
        client: enigma::Client,
        tasks_json: &str,
        options_json: &str,
        guardrail: bool,
        blocking: bool,
    ) -> PyResult<PyBatch> {
        let tasks: Value = serde_json::from_str(tasks_json).map_err(|e| {
            to_py_err(
                py,
                enigma::Error::Validation { field: "tasks".into(), reason: format!("not JSON: {e}") },
                blocking,
            )
        })?;
        let options: Value = serde_json::from_str(options_json).map_err(|e| {
            to_py_err(
                py,
                enigma::Error::Validation { field: "options".into(), reason: format!("not JSON: {e}") },
                blocking,
            )
        })?;
        let (desk, handler) = enigma::GuardrailDesk::new();
        let handler = guardrail.then_some(handler);
        let batch = py
            .detach(|| {
                runtime::block_on(async move {
                    let (options, skip_invalid) = enigma::BatchOptions::from_value(&options)?;
                    let inputs = enigma::specs_from_value(&tasks, skip_invalid)?;
                    client.run_many_inputs(inputs, enigma::BatchOptions { on_guardrail: handler, ..options })
                })
            })?
            .map_err(|e| to_py_err(py, e, blocking))?;
        let cancel = batch.cancel_token();
        let monitor = batch.monitor();
        let shared = Shared {
            batch: tokio::sync::Mutex::new(batch),
            desk,
            returned: Mutex::new(VecDeque::new()),
            ended: Default::default(),
            monitor,
        };
        Ok(PyBatch { shared: Arc::new(shared), cancel, blocking, pid: std::process::id() })
    }
}

#[pymethods]
impl PyBatch {
    /// The next ended task (a dict, the core's `BatchItem` in camelCase) or guardrail question
    /// (`{"question": {...}, "token": n}`); None once every task has ended.
    fn next(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        check_pid(self.pid)?;
        let mode = Mode { blocking: self.blocking, detached: false };
        let shared = self.shared.clone();
        let kept = self.shared.clone();
        run_or_keep(
            py,
            mode,
            move |_| async move {
                if let Some(next) = shared.returned.lock().unwrap_or_else(|e| e.into_inner()).pop_front() {
                    return Ok(Some(next));
                }
                let mut batch = shared.batch.lock().await;
                let next = tokio::select! {
                    item = batch.next() => item.map(|i| Next::Item(Box::new(i))),
                    Some((token, question)) = shared.desk.next_question() => Some(Next::Question(token, question)),
                };
                if next.is_none() {
                    shared.ended.store(true, Ordering::SeqCst);
                }
                Ok::<_, enigma::Error>(next)
            },
            |py, next| match next {
                None => Ok(py.None()),
                Some(Next::Item(item)) => json_to_py(py, &serde_json::to_value(&item).unwrap_or_default()),
                Some(Next::Question(token, q)) => json_to_py(
                    py,
                    &json!({"token": token, "question": {
                        "index": q.index, "id": q.id, "question": q.question,
                        "sessionId": q.session_id, "taskId": q.task_id,
                    }}),
                ),
            },
            move |next| {
                if let Some(next) = next {
                    kept.returned.lock().unwrap_or_else(|e| e.into_inner()).push_front(next);
                }
            },
        )
    }

    /// Answers question `token`: a text resumes the task with it; None ends it (`guardrail`).
    #[pyo3(signature = (token, text=None))]
    fn answer(&self, token: u32, text: Option<String>) {
        self.shared.desk.answer(token, text);
    }

    /// Where the batch stands (a dict: total, done, failed, running, queued, spent, budget...).
    fn progress(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        json_to_py(py, &serde_json::to_value(self.shared.monitor.progress()).unwrap_or_default())
    }

    /// The summary (a dict) once the batch has ended, else None.
    fn summary(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match self.shared.monitor.summary() {
            Some(summary) => json_to_py(py, &serde_json::to_value(&summary).unwrap_or_default()),
            None => Ok(py.None()),
        }
    }

    /// Stops the batch: no new task starts, every session it opened is terminated. Questions
    /// waiting for an answer end their tasks.
    fn cancel(&self) {
        self.cancel.cancel();
        self.shared.desk.drop_pending();
    }

    /// Waits until the batch has ended (every session it opened ended); the summary (a dict).
    fn finished(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        check_pid(self.pid)?;
        let mode = Mode { blocking: self.blocking, detached: false };
        let shared = self.shared.clone();
        run(
            py,
            mode,
            move |_| async move {
                // Items not read are drained so the batch can end; they are lost to the reader.
                let mut batch = shared.batch.lock().await;
                while batch.next().await.is_some() {}
                Ok::<_, enigma::Error>(batch.finished().await)
            },
            |py, summary| json_to_py(py, &serde_json::to_value(&summary).unwrap_or_default()),
        )
    }

    fn __repr__(&self) -> String {
        format!("Batch(ended={})", if self.shared.ended.load(Ordering::SeqCst) { "True" } else { "False" })
    }
}
