//! What travels from the core's side to the caller's Python thread: work to run with the GIL,
//! and the end of a call.

use pyo3::prelude::*;

/// Work to run on a Python thread, with the GIL.
pub(crate) type Job = Box<dyn FnOnce(Python<'_>) + Send>;

/// The end of a call: turns the core's answer into the Python value or exception. Called with
/// `deliver = false` when nobody waits any more (the asyncio future was cancelled, or Ctrl-C
/// interrupted the sync wait while the answer was on its way): the value goes to the call's
/// `lost` hook instead, and the returned value is ignored.
pub(crate) type Finish = Box<dyn FnOnce(Python<'_>, bool) -> PyResult<Py<PyAny>> + Send>;

pub(crate) enum Msg {
    Job(Job),
    Done(Finish),
}

/// A core future's end as the runtime saw it: its value or error, or the panic it raised.
pub(crate) type Outcome<T> = std::thread::Result<enigma::Result<T>>;
