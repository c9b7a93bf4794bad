//! `enigma._native.EventStream`: a session's live events (`enigma::EventStream`), one `next()`
//! call per event (pull-based: no Python callback is stored in Rust).
//!
//! Cancel-safe: a `next()` whose caller stops waiting (asyncio cancellation, Ctrl-C) leaves the
//! stream in place, and an event that was already on its way goes back to the front of the
//! stream, so the next `next()` returns it (in order: a `next()` holds the stream until the
//! Python side has taken or given back its answer). `close()` (or dropping the object) drops the core's
//! stream, which lets the live connection close when nothing else uses it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use tokio::sync::watch;

use crate::bridge::{Mode, run_or_keep};
use crate::client::check_pid;
use crate::convert::json_to_py;

#[pyclass(name = "EventStream", module = "enigma._native", frozen)]
pub(crate) struct PyEventStream {
    shared: Arc<Shared>,
    /// `true` once closed; dropping it (with this object) also ends a `next()` in flight.
    closed: watch::Sender<bool>,
    blocking: bool,
    pid: u32,
}

struct Shared {
    /// The core's stream; `None` once it ended or was closed. A `next()` holds it from the
    /// moment it starts reading until the Python side took its answer or gave it back, so that
    /// reads and deliveries keep their order even when callers give up waiting.
    stream: Arc<tokio::sync::Mutex<Option<enigma::EventStream>>>,
    /// Events read for a caller that stopped waiting, returned first.
    returned: Mutex<VecDeque<enigma::Event>>,
}

/// The stream, held by one `next()` until its answer is delivered or given back.
type Turn = tokio::sync::OwnedMutexGuard<Option<enigma::EventStream>>;

impl Shared {
    fn take_returned(&self) -> Option<enigma::Event> {
        self.returned.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
    }

    fn give_back(&self, event: enigma::Event) {
        self.returned.lock().unwrap_or_else(|e| e.into_inner()).push_front(event);
    }
}

impl PyEventStream {
    pub(crate) fn new(stream: enigma::EventStream, blocking: bool) -> PyEventStream {
        let shared = Arc::new(Shared {
            stream: Arc::new(tokio::sync::Mutex::new(Some(stream))),
            returned: Mutex::new(VecDeque::new()),
        });
        PyEventStream { shared, closed: watch::Sender::new(false), blocking, pid: std::process::id() }
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
        if *self.closed.borrow() {
            return true;
        }
        let ended = self.shared.stream.try_lock().map(|s| s.is_none()).unwrap_or(false);
        ended && self.shared.returned.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
    }

    /// The next event (an `enigma.events` object), or None once the stream has ended or was
    /// closed.
    fn next(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        check_pid(self.pid)?;
        let mode = Mode { blocking: self.blocking, detached: false };
        let shared = self.shared.clone();
        let kept = self.shared.clone();
        let mut closed = self.closed.subscribe();
        let closed_at_delivery = self.closed.subscribe();
        run_or_keep(
            py,
            mode,
            move |_| async move {
                let mut turn: Turn = shared.stream.clone().lock_owned().await;
                if *closed.borrow_and_update() {
                    *turn = None;
                    return Ok((None, turn));
                }
                if let Some(event) = shared.take_returned() {
                    return Ok((Some(event), turn));
                }
                let Some(events) = turn.as_mut() else { return Ok((None, turn)) };
                let event = tokio::select! {
                    event = events.next() => event,
                    _ = closed.wait_for(|closed| *closed) => None,
                };
                if event.is_none() {
                    *turn = None; // ended or closed: let the connection go now
                }
                Ok::<_, enigma::Error>((event, turn))
            },
            move |py, (event, mut turn)| {
                if *closed_at_delivery.borrow() {
                    *turn = None;
                }
                drop(turn);
                match event {
                    None => Ok(py.None()),
                    Some(event) => event_to_py(py, &event),
                }
            },
            move |(event, turn)| {
                if let Some(event) = event {
                    kept.give_back(event);
                }
                drop(turn);
            },
        )
    }

    /// Stops the stream: a `next()` in flight returns None, later ones too. Idempotent.
    fn close(&self) {
        self.closed.send_replace(true);
        if let Ok(mut stream) = self.shared.stream.try_lock() {
            stream.take();
        }
        self.shared.returned.lock().unwrap_or_else(|e| e.into_inner()).clear();
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
