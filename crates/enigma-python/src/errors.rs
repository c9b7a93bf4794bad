//! Core errors to the Python exception classes of `enigma.errors` (defined in Python). The core
//! serialises the error into its one payload (`enigma::ErrorPayload`); this hands it over as a
//! dict, and Python's `enigma.errors._from_native` picks the class for its `code`. No field is
//! picked out here: a new field of the payload reaches Python by itself.

use enigma::ErrorCode;
use enigma::binding::{Spelling, spelled_error};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::handles::PyTask;

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
    let payload = spelled_error(err, Spelling::Snake);
    // Only the errors that leave the task running hand it back (`err.task`).
    let task = match task {
        Some(task) if err.error_code().carries_task() => Some(Py::new(py, PyTask::new(task, blocking))?),
        _ => None,
    };
    let exc = FROM_NATIVE.import(py, "enigma.errors", "_from_native")?.call1((
        err.code(),
        payload["message"].as_str(),
        pythonize::pythonize(py, &payload)?,
        task,
    ))?;
    Ok(PyErr::from_value(exc))
}

/// The core's list of error codes, for `enigma._native.ERROR_CODES`.
pub(crate) fn error_codes() -> Vec<&'static str> {
    ErrorCode::ALL.iter().map(|code| code.as_str()).collect()
}
