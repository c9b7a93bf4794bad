//! Core errors to the Python exception classes of `enigma.errors` (defined in Python). The class
//! is chosen by `Error::code()` in Python's `enigma.errors._from_native`; never by message.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

use crate::convert::{json_to_py, usage_to_py};
use crate::task::PyTask;

pub(crate) fn to_py_err(py: Python<'_>, err: enigma::Error, blocking: bool) -> PyErr {
    to_py_err_with_task(py, err, blocking, None)
}

/// [`to_py_err`], where `task` is the handle a wait timeout or cost-limit stop hands to Python as
/// `err.task` (the core's error names the task by ids only; the caller re-attaches).
pub(crate) fn to_py_err_with_task(
    py: Python<'_>,
    err: enigma::Error,
    blocking: bool,
    task: Option<enigma::Task>,
) -> PyErr {
    match build(py, &err, blocking, task) {
        Ok(exc) => exc,
        Err(build_err) => PyRuntimeError::new_err(format!("{err} (and mapping it failed: {build_err})")),
    }
}

fn build(py: Python<'_>, err: &enigma::Error, blocking: bool, task: Option<enigma::Task>) -> PyResult<PyErr> {
    static FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let fields = PyDict::new(py);
    fields.set_item("status", err.status())?;
    fields.set_item("retry_after", err.retry_after().map(|d| d.as_secs_f64()))?;
    fields.set_item("server_code", err.server_code())?;
    fields.set_item("server_message", err.server_message())?;
    fields.set_item("balance", err.balance())?;
    fields.set_item("session_id", err.session_id())?;
    fields.set_item("task_id", err.task_id())?;
    fields.set_item("retryable", err.is_retryable())?;
    if let Some(usage) = err.usage() {
        fields.set_item("usage", usage_to_py(py, usage)?)?;
    }
    if let Some(task) =
        task.filter(|_| matches!(err, enigma::Error::WaitTimeout { .. } | enigma::Error::CostLimit { .. }))
    {
        fields.set_item("task", Py::new(py, PyTask::new(task, blocking))?)?;
    }
    if let Some(rate) = err.rate_limit() {
        let d = PyDict::new(py);
        d.set_item("limit", rate.limit)?;
        d.set_item("remaining", rate.remaining)?;
        d.set_item("reset", rate.reset)?;
        fields.set_item("rate_limit", d)?;
    }
    if let Some(details) = err.api_details() {
        if let Some(extra) = &details.details {
            fields.set_item("details", json_to_py(py, extra)?)?;
        }
        fields.set_item("body", &details.body)?;
    }
    match err {
        enigma::Error::Validation { field, reason } => {
            fields.set_item("field", field)?;
            fields.set_item("reason", reason)?;
        }
        enigma::Error::WaitTimeout { waited, .. } => fields.set_item("waited", waited.as_secs_f64())?,
        enigma::Error::CostLimit { limit, .. } => fields.set_item("limit", *limit)?,
        enigma::Error::OutcomeUnknown { operation, .. } => fields.set_item("operation", operation)?,
        enigma::Error::Connection { never_sent, .. } => fields.set_item("never_sent", *never_sent)?,
        enigma::Error::InsecureTransport { url } => fields.set_item("url", url)?,
        enigma::Error::Decode { body, .. } => fields.set_item("body", body)?,
        _ => {}
    }
    let exc = FROM_NATIVE.import(py, "enigma.errors", "_from_native")?.call1((err.code(), err.to_string(), fields))?;
    Ok(PyErr::from_value(exc))
}
