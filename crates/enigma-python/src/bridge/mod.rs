//! Runs a core future for Python: as an asyncio future (async API) or by waiting for it on the
//! calling thread without the GIL (sync API). One path to the core; two ways to wait.
//!
//! Async: the future runs on the runtime; its result is handed to the event loop's thread through
//! a per-loop queue. The runtime thread never takes the GIL for that: it pushes the finished job
//! and, when the queue was empty, writes one byte to a socket the loop watches (`add_reader`), so
//! a burst of completions costs the loop one wake-up. Cancelling the asyncio future aborts the
//! Rust task (the core future is dropped, nothing keeps running), except for "detached" work
//! such as the terminate of a `with` block, which always runs to its end.
//!
//! Sync: the calling thread waits on a channel with the GIL released, checking for signals every
//! few milliseconds, so Ctrl-C raises `KeyboardInterrupt` at once (and aborts the Rust task).

use std::cell::RefCell;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use pyo3::exceptions::PyRuntimeError;
use pyo3::intern;
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::errors::to_py_err_with_task;
use crate::runtime;

/// Work to run on a Python thread, with the GIL.
pub(crate) type Job = Box<dyn FnOnce(Python<'_>) + Send>;

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

/// The end of a call: turns the core's answer into the Python value or exception. Called with
/// `deliver = false` when nobody waits any more (the asyncio future was cancelled, or Ctrl-C
/// interrupted the sync wait while the answer was on its way): the value goes to the call's
/// `lost` hook instead, and the returned value is ignored.
pub(crate) type Finish = Box<dyn FnOnce(Python<'_>, bool) -> PyResult<Py<PyAny>> + Send>;

pub(crate) enum Msg {
    Job(Job),
    Done(Finish),
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
    let finish =
        move |py: Python<'_>, outcome: std::thread::Result<enigma::Result<T>>, deliver: bool| -> PyResult<Py<PyAny>> {
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
        let task = async move {
            let outcome = AssertUnwindSafe(work).catch_unwind().await;
            let _ = tx.send(Msg::Done(Box::new(move |py, deliver| finish(py, outcome, deliver))));
        };
        let handle = if mode.detached {
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
    let event_loop = running_loop(py)?;
    let bridge = bridge_for(py, &event_loop)?;
    let py_future = event_loop.call_method0(intern!(py, "create_future"))?;
    let target: Py<PyAny> = py_future.clone().unbind();
    let work = make(Sink::Loop(bridge.clone()));
    let task = async move {
        let outcome = AssertUnwindSafe(work).catch_unwind().await;
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
    };
    if mode.detached {
        runtime::spawn_detached(task)?;
    } else {
        let abort = runtime::spawn_abortable(task)?;
        py_future.call_method1(intern!(py, "add_done_callback"), (AbortOnCancel { abort },))?;
    }
    Ok(py_future.unbind())
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
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

    fn post(&self, job: Job) {
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
