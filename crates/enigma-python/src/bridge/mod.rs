//! Runs a core future for Python: as an asyncio future (async API, [`asyncio`]) or by waiting
//! for it on the calling thread without the GIL (sync API, [`wait`]). One path to the core; two
//! ways to wait. Both end the call the same way: [`run_full`]'s `finish` turns the core's answer
//! into the Python value or exception.

mod asyncio;
mod job;
mod wait;

use std::future::Future;
use std::sync::Arc;
use std::sync::mpsc;

use pyo3::panic::PanicException;
use pyo3::prelude::*;

use self::asyncio::Bridge;
use self::job::{Job, Msg, Outcome};
use crate::errors::to_py_err_with_task;

/// Where the core's side sends work that must run on the caller's Python thread.
#[derive(Clone)]
pub(crate) enum Sink {
    Loop(Arc<Bridge>),
    Thread(mpsc::Sender<Msg>),
}

impl Sink {
    pub(crate) fn post(&self, job: Job) {
        match self {
            Sink::Loop(bridge) => bridge.post(job),
            Sink::Thread(tx) => {
                let _ = tx.send(Msg::Job(job));
            }
        }
    }
}

/// How a call is made: the client's mode, and whether the work must finish even if the caller
/// stops waiting.
#[derive(Clone, Copy)]
pub(crate) struct Mode {
    pub blocking: bool,
    pub detached: bool,
}

/// Runs the future made by `make` and converts its value with `convert` on the Python thread.
pub(crate) fn run<T, M, Fut, C>(py: Python<'_>, mode: Mode, make: M, convert: C) -> PyResult<Py<PyAny>>
where
    M: FnOnce(Sink) -> Fut,
    Fut: Future<Output = enigma::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    run_or_keep(py, mode, make, convert, drop)
}

/// [`run`], where a value produced for a caller that stopped waiting is handed to `lost`
/// (e.g. an event goes back to its stream) instead of being dropped.
pub(crate) fn run_or_keep<T, M, Fut, C, L>(
    py: Python<'_>,
    mode: Mode,
    make: M,
    convert: C,
    lost: L,
) -> PyResult<Py<PyAny>>
where
    M: FnOnce(Sink) -> Fut,
    Fut: Future<Output = enigma::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
    L: FnOnce(T) + Send + 'static,
{
    run_full(py, mode, make, convert, lost, |_| None)
}

/// [`run`] for a wait: a wait timeout or cost-limit stop names its task by ids (core errors
/// carry no handles), and `reattach` gives the handle that Python's `err.task` holds.
pub(crate) fn run_wait<T, M, Fut, C, R>(
    py: Python<'_>,
    mode: Mode,
    make: M,
    convert: C,
    reattach: R,
) -> PyResult<Py<PyAny>>
where
    M: FnOnce(Sink) -> Fut,
    Fut: Future<Output = enigma::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
    R: FnOnce(&enigma::Error) -> Option<enigma::Task> + Send + 'static,
{
    run_full(py, mode, make, convert, drop, reattach)
}

fn run_full<T, M, Fut, C, L, R>(
    py: Python<'_>,
    mode: Mode,
    make: M,
    convert: C,
    lost: L,
    reattach: R,
) -> PyResult<Py<PyAny>>
where
    M: FnOnce(Sink) -> Fut,
    Fut: Future<Output = enigma::Result<T>> + Send + 'static,
    T: Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
    L: FnOnce(T) + Send + 'static,
    R: FnOnce(&enigma::Error) -> Option<enigma::Task> + Send + 'static,
{
    let blocking = mode.blocking;
    let finish = move |py: Python<'_>, outcome: Outcome<T>, deliver: bool| -> PyResult<Py<PyAny>> {
        match outcome {
            Ok(Ok(value)) if !deliver => {
                lost(value);
                Ok(py.None())
            }
            _ if !deliver => Ok(py.None()),
            Ok(Ok(value)) => convert(py, value),
            Ok(Err(err)) => {
                let task = reattach(&err);
                Err(to_py_err_with_task(py, err, blocking, task))
            }
            Err(panic) => {
                Err(PanicException::new_err(format!("enigma: a Rust future panicked: {}", panic_text(&panic))))
            }
        }
    };
    if mode.blocking {
        let (tx, rx) = mpsc::channel::<Msg>();
        let work = make(Sink::Thread(tx.clone()));
        return wait::wait(py, mode.detached, work, finish, tx, rx);
    }
    let (event_loop, bridge) = asyncio::loop_bridge(py)?;
    let work = make(Sink::Loop(bridge.clone()));
    asyncio::schedule(py, mode.detached, work, finish, &event_loop, bridge)
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
