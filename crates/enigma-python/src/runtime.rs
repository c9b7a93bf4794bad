//! The one tokio runtime of the process, owned by the extension.
//!
//! A current-thread runtime driven by one background thread (`enigma-runtime`). It is:
//! - made on first use, and made anew in a child after `os.fork()` (the parent's thread does not
//!   exist there; the old runtime is leaked, never touched);
//! - stopped by [`shutdown`], which the Python layer calls from an `atexit` hook, so no Rust
//!   thread calls into Python while the interpreter finalizes. Later calls get a clear error.
//!
//! Work that must finish even if its caller stops waiting (terminating a session when a `with`
//! block is left) is spawned "detached": counted, and awaited by [`drain`] before shutdown,
//! together with the core's own background cleanups (`enigma::pending_cleanups`).

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

struct Rt {
    pid: u32,
    handle: Handle,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    detached: AtomicUsize,
}

static CURRENT: AtomicPtr<Rt> = AtomicPtr::new(std::ptr::null_mut());
static CLOSED_IN: AtomicUsize = AtomicUsize::new(0);
static CLOSED: AtomicBool = AtomicBool::new(false);

fn current_pid() -> u32 {
    std::process::id()
}

fn closed() -> bool {
    CLOSED.load(Ordering::Acquire) && CLOSED_IN.load(Ordering::Acquire) == current_pid() as usize
}

fn build() -> std::io::Result<Rt> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let handle = runtime.handle().clone();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new().name("enigma-runtime".into()).spawn(move || {
        runtime.block_on(async {
            let _ = stop_rx.await;
        });
        runtime.shutdown_timeout(Duration::from_millis(250));
    })?;
    Ok(Rt {
        pid: current_pid(),
        handle,
        stop: Mutex::new(Some(stop_tx)),
        thread: Mutex::new(Some(thread)),
        detached: AtomicUsize::new(0),
    })
}

fn rt() -> PyResult<&'static Rt> {
    if closed() {
        return Err(PyRuntimeError::new_err(
            "the enigma runtime was stopped because the interpreter is exiting; no more calls can be made",
        ));
    }
    let pid = current_pid();
    let ptr = CURRENT.load(Ordering::Acquire);
    // SAFETY: runtimes are leaked boxes, never freed.
    if let Some(rt) = unsafe { ptr.as_ref() }
        && rt.pid == pid
    {
        return Ok(rt);
    }
    // First use, or first use in a child after fork: make a runtime for this process.
    let fresh = Box::into_raw(Box::new(
        build().map_err(|e| PyRuntimeError::new_err(format!("cannot start the enigma runtime: {e}")))?,
    ));
    match CURRENT.compare_exchange(ptr, fresh, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => Ok(unsafe { &*fresh }),
        Err(winner) => {
            // Another thread made one first: stop ours, use theirs.
            let ours = unsafe { &*fresh };
            if let Some(stop) = ours.stop.lock().unwrap_or_else(|e| e.into_inner()).take() {
                let _ = stop.send(());
            }
            Ok(unsafe { &*winner })
        }
    }
}

/// Spawns on the runtime.
pub(crate) fn spawn<F>(fut: F) -> PyResult<JoinHandle<()>>
where
    F: Future<Output = ()> + Send + 'static,
{
    Ok(rt()?.handle.spawn(fut))
}

/// Spawns work that must finish even if nobody waits for it; [`drain`] waits for it at exit.
pub(crate) fn spawn_detached<F>(fut: F) -> PyResult<JoinHandle<()>>
where
    F: Future<Output = ()> + Send + 'static,
{
    let rt = rt()?;
    rt.detached.fetch_add(1, Ordering::AcqRel);
    let guard = DetachedGuard(rt);
    Ok(rt.handle.spawn(async move {
        let _guard = guard;
        fut.await;
    }))
}

/// Spawns work that its caller may abort (a cancelled asyncio future, Ctrl-C in a sync call).
/// An abort only asks the runtime to drop the work; until it has, [`drain`] counts the work as
/// detached: dropping it is what starts the core's cleanups (the terminate of a cancelled
/// `run_task`, say), and an exit that looked before the drop would miss them.
pub(crate) fn spawn_abortable<F>(fut: F) -> PyResult<Abort>
where
    F: Future<Output = ()> + Send + 'static,
{
    let rt = rt()?;
    let state = Arc::new(AtomicU8::new(RUNNING));
    let guard = AbortGuard { rt, state: state.clone() };
    let handle = rt.handle.spawn(async move {
        // Declared before the work, so dropped after it (and after the cleanups it spawns).
        let _guard = guard;
        let work = fut;
        work.await;
    });
    Ok(Abort { rt, state, handle: handle.abort_handle() })
}

const RUNNING: u8 = 0;
const ABORTING: u8 = 1;
const DONE: u8 = 2;

/// Aborts a task spawned with [`spawn_abortable`].
pub(crate) struct Abort {
    rt: &'static Rt,
    state: Arc<AtomicU8>,
    handle: tokio::task::AbortHandle,
}

impl Abort {
    pub(crate) fn abort(&self) {
        if self.state.compare_exchange(RUNNING, ABORTING, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            self.rt.detached.fetch_add(1, Ordering::AcqRel);
        }
        self.handle.abort();
    }
}

struct AbortGuard {
    rt: &'static Rt,
    state: Arc<AtomicU8>,
}

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if self.state.swap(DONE, Ordering::AcqRel) == ABORTING {
            self.rt.detached.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

struct DetachedGuard(&'static Rt);

impl Drop for DetachedGuard {
    fn drop(&mut self) {
        self.0.detached.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Runs a future to completion on the runtime from a thread outside it (no GIL involved).
pub(crate) fn block_on<F, T>(fut: F) -> PyResult<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    spawn(async move {
        let _ = tx.send(fut.await);
    })?;
    rx.recv().map_err(|_| PyRuntimeError::new_err("the enigma runtime stopped before the call finished"))
}

fn live_runtime() -> Option<&'static Rt> {
    let rt = unsafe { CURRENT.load(Ordering::Acquire).as_ref() }?;
    (rt.pid == current_pid()).then_some(rt)
}

/// Waits (without the GIL) until detached work and the core's background cleanups (the
/// terminates of sessions whose caller stopped waiting, see `enigma::wait_for_cleanups`) are
/// done, or `timeout` seconds passed; returns how many are still running.
#[pyfunction]
#[pyo3(signature = (timeout = 5.0))]
pub(crate) fn drain(py: Python<'_>, timeout: f64) -> usize {
    let Some(rt) = live_runtime() else { return 0 };
    let timeout = Duration::try_from_secs_f64(timeout).unwrap_or_default();
    let deadline = Instant::now() + timeout;
    py.detach(|| {
        loop {
            // Both kinds run on this process's runtime; polling two counters is simpler than
            // joining two waits, and 2 ms is nothing at exit.
            let left = rt.detached.load(Ordering::Acquire) + enigma::pending_cleanups();
            if left == 0 || Instant::now() >= deadline {
                return left;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    })
}

/// How many detached tasks and core cleanups are running now (for tests).
#[pyfunction]
pub(crate) fn pending_cleanups() -> usize {
    live_runtime().map_or(0, |rt| rt.detached.load(Ordering::Acquire)) + enigma::pending_cleanups()
}

/// Stops the runtime of this process (called at interpreter exit, after [`drain`]).
#[pyfunction]
pub(crate) fn shutdown(py: Python<'_>) {
    CLOSED_IN.store(current_pid() as usize, Ordering::Release);
    CLOSED.store(true, Ordering::Release);
    let Some(rt) = live_runtime() else { return };
    if let Some(stop) = rt.stop.lock().unwrap_or_else(|e| e.into_inner()).take() {
        let _ = stop.send(());
    }
    let thread = rt.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(thread) = thread {
        // The runtime thread may be waiting for the GIL to hand over a result: let it go.
        py.detach(|| {
            let _ = thread.join();
        });
    }
}

/// Whether a runtime runs in this process (for tests).
#[pyfunction]
pub(crate) fn runtime_alive() -> bool {
    !closed() && live_runtime().is_some()
}
