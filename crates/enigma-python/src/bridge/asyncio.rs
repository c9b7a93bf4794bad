//! The async API's bridge: the future runs on the runtime; its result is handed to the event
//! loop's thread through a per-loop queue. The runtime thread never takes the GIL for that: it
//! pushes the finished job and, when the queue was empty, writes one byte to a socket the loop
//! watches (`add_reader`), so a burst of completions costs the loop one wake-up. Cancelling the
//! asyncio future aborts the Rust task (the core future is dropped, nothing keeps running),
//! except for "detached" work such as the terminate of a `with` block, which always runs to its
//! end.

use std::cell::RefCell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use super::job::{Job, Outcome};
use crate::runtime;

/// The running event loop and its bridge.
pub(super) fn loop_bridge(py: Python<'_>) -> PyResult<(Bound<'_, PyAny>, Arc<Bridge>)> {
    let event_loop = running_loop(py)?;
    let bridge = bridge_for(py, &event_loop)?;
    Ok((event_loop, bridge))
}

/// Runs `work` on the runtime and returns an asyncio future of `event_loop` that `finish`'s
/// answer completes.
pub(super) fn schedule<T, Fut, F>(
    py: Python<'_>,
    detached: bool,
    work: Fut,
    finish: F,
    event_loop: &Bound<'_, PyAny>,
    bridge: Arc<Bridge>,
) -> PyResult<Py<PyAny>>
where
    Fut: Future<Output = enigma::Result<T>> + Send + 'static,
    T: Send + 'static,
    F: FnOnce(Python<'_>, Outcome<T>, bool) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let py_future = event_loop.call_method0(intern!(py, "create_future"))?;
    let target: Py<PyAny> = py_future.clone().unbind();
    // A combinator, not an `async` block: a block would hold `work` twice (as what it captured
    // and as what it awaits), and a waiter's state is carried for its whole life.
    let task = AssertUnwindSafe(work).catch_unwind().map(move |outcome| {
        bridge.post(Box::new(move |py| {
            let future = target.bind(py);
            if future.call_method0(intern!(py, "done")).and_then(|d| d.is_truthy()).unwrap_or(true) {
                let _ = finish(py, outcome, false); // cancelled meanwhile
                return;
            }
            let delivered = match finish(py, outcome, true) {
                Ok(value) => future.call_method1(intern!(py, "set_result"), (value,)),
                Err(err) => future.call_method1(intern!(py, "set_exception"), (err.into_value(py),)),
            };
            if let Err(err) = delivered {
                err.write_unraisable(py, Some(future));
            }
        }));
    });
    if detached {
        runtime::spawn_detached(task)?;
    } else {
        let abort = runtime::spawn_abortable(task)?;
        py_future.call_method1(intern!(py, "add_done_callback"), (AbortOnCancel { abort },))?;
    }
    Ok(py_future.unbind())
}

/// Done-callback of an asyncio future: a cancelled future aborts its Rust task.
#[pyclass(frozen)]
struct AbortOnCancel {
    abort: runtime::Abort,
}

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, future: &Bound<'_, PyAny>) -> PyResult<()> {
        if future.call_method0(intern!(future.py(), "cancelled"))?.is_truthy()? {
            self.abort.abort();
        }
        Ok(())
    }
}

fn running_loop<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET_RUNNING_LOOP.import(py, "asyncio", "get_running_loop")?.call0()
}

thread_local! {
    static LOOP_BRIDGE: RefCell<Option<(Py<PyAny>, Arc<Bridge>)>> = const { RefCell::new(None) };
}

/// The bridge of an event loop (one per loop, cached for the loop's thread).
fn bridge_for(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Bridge>> {
    let pid = std::process::id();
    let cached = LOOP_BRIDGE.with(|cell| {
        cell.borrow().as_ref().filter(|(l, b)| l.bind(py).is(event_loop) && b.pid == pid).map(|(_, b)| b.clone())
    });
    if let Some(bridge) = cached {
        return Ok(bridge);
    }
    let bridge = Bridge::attach(py, event_loop)?;
    LOOP_BRIDGE.with(|cell| *cell.borrow_mut() = Some((event_loop.clone().unbind(), bridge.clone())));
    Ok(bridge)
}

/// Hands finished work from the runtime to one event loop's thread.
pub(crate) struct Bridge {
    pid: u32,
    queue: Mutex<Vec<Job>>,
    scheduled: AtomicBool,
    #[cfg(unix)]
    writer: std::os::unix::net::UnixStream,
    #[cfg(unix)]
    reader: std::os::unix::net::UnixStream,
    #[cfg(not(unix))]
    wake: std::sync::OnceLock<(Py<PyAny>, Py<PyAny>)>,
}

impl Bridge {
    #[cfg(unix)]
    fn attach(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Bridge>> {
        use std::os::fd::AsRawFd;
        let io = |e: std::io::Error| PyRuntimeError::new_err(format!("enigma: cannot create a wake-up socket: {e}"));
        let (reader, writer) = std::os::unix::net::UnixStream::pair().map_err(io)?;
        reader.set_nonblocking(true).map_err(io)?;
        writer.set_nonblocking(true).map_err(io)?;
        let fd = reader.as_raw_fd();
        let bridge = Arc::new(Bridge {
            pid: std::process::id(),
            queue: Mutex::new(Vec::new()),
            scheduled: AtomicBool::new(false),
            writer,
            reader,
        });
        event_loop.call_method1(intern!(py, "add_reader"), (fd, Drain { bridge: bridge.clone() }))?;
        Ok(bridge)
    }

    #[cfg(not(unix))]
    fn attach(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Bridge>> {
        let bridge = Arc::new(Bridge {
            pid: std::process::id(),
            queue: Mutex::new(Vec::new()),
            scheduled: AtomicBool::new(false),
            wake: std::sync::OnceLock::new(),
        });
        let drain = Py::new(py, Drain { bridge: bridge.clone() })?.into_any();
        let call_soon = event_loop.getattr(intern!(py, "call_soon_threadsafe"))?.unbind();
        let _ = bridge.wake.set((call_soon, drain));
        Ok(bridge)
    }

    pub(super) fn post(&self, job: Job) {
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).push(job);
        if !self.scheduled.swap(true, Ordering::SeqCst) {
            self.wake();
        }
    }

    #[cfg(unix)]
    fn wake(&self) {
        use std::io::Write;
        // A full socket means a wake-up is already pending.
        let _ = (&self.writer).write(&[1]);
    }

    #[cfg(not(unix))]
    fn wake(&self) {
        if let Some((call_soon, drain)) = self.wake.get() {
            Python::attach(|py| {
                let _ = call_soon.bind(py).call1((drain.clone_ref(py),));
            });
        }
    }

    fn drain(&self, py: Python<'_>) {
        // Order matters: consume the wake-ups, then reopen the gate, then take the queue. A job
        // posted after the gate reopened writes a new wake-up; one posted before is taken here.
        #[cfg(unix)]
        {
            use std::io::Read;
            let mut buf = [0u8; 256];
            while let Ok(n) = (&self.reader).read(&mut buf) {
                if n < buf.len() {
                    break;
                }
            }
        }
        self.scheduled.store(false, Ordering::SeqCst);
        let jobs = std::mem::take(&mut *self.queue.lock().unwrap_or_else(|e| e.into_inner()));
        for job in jobs {
            job(py);
        }
    }
}

/// The loop's reader callback.
#[pyclass(frozen)]
struct Drain {
    bridge: Arc<Bridge>,
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        self.bridge.drain(py);
    }
}
