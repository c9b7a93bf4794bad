//! The process's one tokio runtime (`enigma::binding::runtime`: made on first use, anew in a
//! child after `os.fork()`, detached work counted for [`drain`]) with Python's errors, and its
//! exit hooks: the Python layer calls [`drain`] then [`shutdown`] from an `atexit` hook, so no
//! Rust thread calls into Python while the interpreter finalizes.

use std::future::Future;
use std::time::Duration;

use enigma::binding::runtime::{self as core, RuntimeError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::task::JoinHandle;

pub(crate) use enigma::binding::runtime::Abort;

fn py_err(err: RuntimeError) -> PyErr {
    PyRuntimeError::new_err(err.to_string())
}

/// Spawns work that must finish even if nobody waits for it; [`drain`] waits for it at exit.
pub(crate) fn spawn_detached<F>(fut: F) -> PyResult<JoinHandle<()>>
where
    F: Future<Output = ()> + Send + 'static,
{
    core::spawn_detached(fut).map_err(py_err)
}

/// Spawns work that its caller may abort (a cancelled asyncio future, Ctrl-C in a sync call);
/// [`drain`] counts it from the abort until the runtime has dropped it.
pub(crate) fn spawn_abortable<F>(fut: F) -> PyResult<Abort>
where
    F: Future<Output = ()> + Send + 'static,
{
    core::spawn_abortable(fut).map_err(py_err)
}

/// Runs a future to completion on the runtime from a thread outside it (no GIL involved).
pub(crate) fn block_on<F, T>(fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    core::block_on(fut).map_err(py_err)
}

/// Waits (without the GIL) until detached work and the core's background cleanups are done, or
/// `timeout` seconds passed; returns how many are still running.
#[pyfunction]
#[pyo3(signature = (timeout = 5.0))]
pub(crate) fn drain(py: Python<'_>, timeout: f64) -> usize {
    let timeout = Duration::try_from_secs_f64(timeout).unwrap_or_default();
    py.detach(|| core::drain(timeout))
}

/// How many detached tasks and core cleanups are running now (for tests).
#[pyfunction]
pub(crate) fn pending_cleanups() -> usize {
    core::pending()
}

/// Stops the runtime of this process (called at interpreter exit, after [`drain`]). Without the
/// GIL: the runtime thread may be waiting for it to hand over a result.
#[pyfunction]
pub(crate) fn shutdown(py: Python<'_>) {
    py.detach(core::shutdown);
}

/// Whether a runtime runs in this process (for tests).
#[pyfunction]
pub(crate) fn runtime_alive() -> bool {
    core::alive()
}
