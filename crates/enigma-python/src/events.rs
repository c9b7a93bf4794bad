//! `enigma._native.EventStream`: a session's live events (`enigma::EventStream`), one `next()`
//! call per event (pull-based: no Python callback is stored in Rust).
//!
//! Cancel-safe (`enigma::binding::EventPull`): a `next()` whose caller stops waiting (asyncio
//! cancellation, Ctrl-C) leaves the stream in place, and an event that was already on its way
//! goes back to the front of the stream, so the next `next()` returns it, in order. `close()`
//! (or dropping the object) drops the core's stream, which lets the live connection close when
//! nothing else uses it.

use enigma::binding::EventPull;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::bridge::{Mode, run};
use crate::convert::json_to_py;
use crate::handles::check_pid;

#[pyclass(name = "EventStream", module = "enigma._native", frozen)]
pub(crate) struct PyEventStream {
    events: EventPull,
    blocking: bool,
    pid: u32,
}

impl PyEventStream {
    pub(crate) fn new(stream: enigma::EventStream, blocking: bool) -> PyEventStream {
        PyEventStream { events: EventPull::new(stream), blocking, pid: std::process::id() }
    }
}

#[pymethods]
impl PyEventStream {
    #[getter]
    fn blocking(&self) -> bool {
        self.blocking
    }

    /// Whether the stream was closed or has ended.
    #[getter]
    fn closed(&self) -> bool {
        self.events.is_closed()
    }

    /// The next event (an `enigma.events` object), or None once the stream has ended or was
    /// closed.
    fn next(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        check_pid(self.pid)?;
        let mode = Mode { blocking: self.blocking, detached: false };
        let pull = self.events.next();
        // An answer nobody waits for any more is dropped, which gives its event back.
        run(
            py,
            mode,
            move |_| async move { Ok::<_, enigma::Error>(pull.await) },
            |py, pulled| match pulled.take() {
                None => Ok(py.None()),
                Some(event) => event_to_py(py, &event),
            },
        )
    }

    /// Stops the stream: a `next()` in flight returns None, later ones too. Idempotent.
    fn close(&self) {
        self.events.close();
    }

    fn __repr__(&self) -> String {
        format!("EventStream(closed={})", if self.closed() { "True" } else { "False" })
    }
}

/// A core event as its `enigma.events` class (chosen by the JSON form's `type`).
pub(crate) fn event_to_py(py: Python<'_>, event: &enigma::Event) -> PyResult<Py<PyAny>> {
    static FROM_JSON: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let data = json_to_py(py, &event.to_json())?;
    Ok(FROM_JSON.import(py, "enigma.events", "_from_json")?.call1((data,))?.unbind())
}

/// The core's list of live event types, for `enigma._native.EVENT_TYPES`.
pub(crate) fn event_types() -> Vec<&'static str> {
    enigma::EventKind::ALL.iter().map(|kind| kind.as_str()).collect()
}
