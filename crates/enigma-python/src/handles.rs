//! The Python handle types (`enigma._native.Client`, `Session`, `Task`): what each holds, and the
//! check that it is used in the process that made it. Their methods live in `client.rs`,
//! `session.rs` and `task.rs`, which hand each other's handles back; keeping the types here lets
//! those files (and `errors.rs`, which hands a task back with a wait timeout) import the types
//! one way, from below.

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

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
}

#[pyclass(name = "Session", module = "enigma._native", frozen)]
pub(crate) struct PySession {
    pub(crate) inner: enigma::Session,
    pub(crate) blocking: bool,
    pub(crate) pid: u32,
}

impl PySession {
    pub(crate) fn new(inner: enigma::Session, blocking: bool) -> PySession {
        PySession { inner, blocking, pid: std::process::id() }
    }
}

#[pyclass(name = "Task", module = "enigma._native", frozen)]
pub(crate) struct PyTask {
    pub(crate) inner: enigma::Task,
    pub(crate) blocking: bool,
    pub(crate) pid: u32,
}

impl PyTask {
    pub(crate) fn new(inner: enigma::Task, blocking: bool) -> PyTask {
        PyTask { inner, blocking, pid: std::process::id() }
    }
}
