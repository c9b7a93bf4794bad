//! The sync API's wait: the calling thread waits on a channel with the GIL released, checking
//! for signals every few milliseconds, so Ctrl-C raises `KeyboardInterrupt` at once (and aborts
//! the Rust task). Work the core posts for the Python thread meanwhile runs here.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::time::Duration;

use futures_util::FutureExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use super::job::{Msg, Outcome};
use crate::runtime;

/// Runs `work` on the runtime and waits for it on this thread; `finish` makes its answer. `tx`
/// and `rx` are the call's channel (`work` posts to `tx` too).
pub(super) fn wait<T, Fut, F>(
    py: Python<'_>,
    detached: bool,
    work: Fut,
    finish: F,
    tx: mpsc::Sender<Msg>,
    rx: mpsc::Receiver<Msg>,
) -> PyResult<Py<PyAny>>
where
    Fut: Future<Output = enigma::Result<T>> + Send + 'static,
    T: Send + 'static,
    F: FnOnce(Python<'_>, Outcome<T>, bool) -> PyResult<Py<PyAny>> + Send + 'static,
{
    // A combinator, not an `async` block: a block would hold `work` twice (as what it captured
    // and as what it awaits), and a waiter's state is carried for its whole life.
    let task = AssertUnwindSafe(work).catch_unwind().map(move |outcome| {
        let _ = tx.send(Msg::Done(Box::new(move |py, deliver| finish(py, outcome, deliver))));
    });
    let handle = if detached {
        runtime::spawn_detached(task)?;
        None
    } else {
        Some(runtime::spawn_abortable(task)?)
    };
    let mut rx = rx;
    loop {
        let (received, back) = py.detach(move || (rx.recv_timeout(Duration::from_millis(20)), rx));
        rx = back;
        match received {
            Ok(Msg::Done(done)) => return done(py, true),
            Ok(Msg::Job(job)) => job(py),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Err(interrupt) = py.check_signals() {
                    if let Some(handle) = &handle {
                        handle.abort();
                        // An answer already on its way is not delivered: hand it back.
                        // (The abort drops the task and its senders at once, ending this.)
                        let deadline = std::time::Instant::now() + Duration::from_millis(100);
                        loop {
                            let left = deadline.saturating_duration_since(std::time::Instant::now());
                            let (received, back) = py.detach(move || (rx.recv_timeout(left), rx));
                            rx = back;
                            match received {
                                Ok(Msg::Done(done)) => {
                                    let _ = done(py, false);
                                    break;
                                }
                                Ok(Msg::Job(_)) => {}
                                Err(_) => break,
                            }
                        }
                    }
                    return Err(interrupt);
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(PyRuntimeError::new_err("the enigma runtime stopped before the call finished"));
            }
        }
    }
}
