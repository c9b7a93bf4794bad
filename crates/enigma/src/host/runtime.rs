//! The one tokio runtime of a process whose host has none: a Python interpreter embedding the
//! core. (Node's addon runs on napi's runtime, a Rust program on its own.)
//!
//! A current-thread runtime driven by one background thread (`enigma-runtime`). It is:
//! - made on first use, and made anew in a child after `fork()` (the parent's thread does not
//!   exist there; the old runtime is leaked, never touched);
//! - stopped by [`shutdown`], which the host calls when it exits, so no Rust thread calls into
//!   the host while it finalizes. Later calls get [`RuntimeError::Stopped`].
//!
//! Work that must finish even if its caller stops waiting (terminating a session when a `with`
//! block is left) is spawned "detached": counted, and awaited by [`drain`] before shutdown,
//! together with the core's own background cleanups ([`crate::pending_cleanups`]).

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tokio::task::{AbortHandle, JoinHandle};

/// Why the runtime could not run a piece of work.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// [`shutdown`] was called in this process.
    #[error("the enigma runtime was stopped because the interpreter is exiting; no more calls can be made")]
    Stopped,
    /// The runtime or its thread could not be made.
    #[error("cannot start the enigma runtime: {0}")]
    CannotStart(std::io::Error),
    /// The runtime stopped while [`block_on`] waited.
    #[error("the enigma runtime stopped before the call finished")]
    StoppedBeforeFinish,
}

struct Rt {
    pid: u32,
    handle: Handle,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
    detached: AtomicUsize,
}

/// This process's runtime; a leaked box, never freed (a child after fork finds its parent's).
static CURRENT: AtomicPtr<Rt> = AtomicPtr::new(std::ptr::null_mut());
/// The process that called [`shutdown`]; a child forked later is not stopped by it.
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

impl Rt {
    fn stop(&self) {
        if let Some(stop) = self.stop.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = stop.send(());
        }
    }
}

fn rt() -> Result<&'static Rt, RuntimeError> {
    if closed() {
        return Err(RuntimeError::Stopped);
    }
    let seen = CURRENT.load(Ordering::Acquire);
    // SAFETY: runtimes are leaked boxes, never freed.
    if let Some(rt) = unsafe { seen.as_ref() }
        && rt.pid == current_pid()
    {
        return Ok(rt);
    }
    // First use, or first use in a child after fork: make a runtime for this process.
    let fresh = Box::into_raw(Box::new(build().map_err(RuntimeError::CannotStart)?));
    match CURRENT.compare_exchange(seen, fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: as above.
        Ok(_) => Ok(unsafe { &*fresh }),
        Err(winner) => {
            // Another thread made one first: stop ours, use theirs.
            // SAFETY: as above.
            unsafe { &*fresh }.stop();
            Ok(unsafe { &*winner })
        }
    }
}

/// This process's runtime, if one was made here (not inherited through fork).
fn live_runtime() -> Option<&'static Rt> {
    // SAFETY: runtimes are leaked boxes, never freed.
    let rt = unsafe { CURRENT.load(Ordering::Acquire).as_ref() }?;
    (rt.pid == current_pid()).then_some(rt)
}

/// Spawns on the runtime.
pub fn spawn<F>(work: F) -> Result<JoinHandle<()>, RuntimeError>
where
    F: Future<Output = ()> + Send + 'static,
{
    Ok(rt()?.handle.spawn(work))
}

/// Spawns work that must finish even if nobody waits for it; [`drain`] waits for it at exit.
pub fn spawn_detached<F>(work: F) -> Result<JoinHandle<()>, RuntimeError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let rt = rt()?;
    rt.detached.fetch_add(1, Ordering::AcqRel);
    let guard = DetachedGuard(rt);
    Ok(rt.handle.spawn(async move {
        let _guard = guard;
        work.await;
    }))
}

/// Spawns work that its caller may abort (a cancelled asyncio future, Ctrl-C in a sync call).
/// An abort only asks the runtime to drop the work; until it has, [`drain`] counts the work as
/// detached: dropping it is what starts the core's cleanups (the terminate of a cancelled
/// `run_task`, say), and an exit that looked before the drop would miss them.
pub fn spawn_abortable<F>(fut: F) -> Result<Abort, RuntimeError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let rt = rt()?;
    let state = Arc::new(AtomicU8::new(RUNNING));
    let guard = AbortGuard { rt, state: state.clone() };
    // Boxed: an `async` block holds what it captured and what it awaits side by side, so an
    // unboxed `fut` would be carried twice for the work's whole life.
    let work = Box::pin(fut);
    let handle = rt.handle.spawn(async move {
        // Declared before the work, so dropped after it (and after the cleanups it spawns).
        let _guard = guard;
        let work = work;
        work.await;
    });
    Ok(Abort { rt, state, handle: handle.abort_handle() })
}

const RUNNING: u8 = 0;
const ABORTING: u8 = 1;
const DONE: u8 = 2;

/// Aborts a task spawned with [`spawn_abortable`].
pub struct Abort {
    rt: &'static Rt,
    state: Arc<AtomicU8>,
    handle: AbortHandle,
}

impl Abort {
    /// Asks the runtime to drop the work; [`drain`] counts it until it has.
    pub fn abort(&self) {
        if self.state.compare_exchange(RUNNING, ABORTING, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            self.rt.detached.fetch_add(1, Ordering::AcqRel);
        }
        self.handle.abort();
    }
}

/// Dropped with an abortable task's work: uncounts an abort once the work is gone.
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

/// Runs a future to completion on the runtime, from a thread outside it (blocks that thread).
pub fn block_on<F, T>(work: F) -> Result<T, RuntimeError>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    spawn(async move {
        let _ = tx.send(work.await);
    })?;
    rx.recv().map_err(|_| RuntimeError::StoppedBeforeFinish)
}

/// How many detached tasks and core cleanups are running now.
pub fn pending() -> usize {
    live_runtime().map_or(0, |rt| rt.detached.load(Ordering::Acquire)) + crate::pending_cleanups()
}

/// Blocks until detached work and the core's background cleanups (the terminates of sessions
/// whose caller stopped waiting, see [`crate::wait_for_cleanups`]) are done, or `timeout`
/// passed; returns how many are still running.
pub fn drain(timeout: Duration) -> usize {
    if live_runtime().is_none() {
        return 0;
    }
    let deadline = Instant::now() + timeout;
    loop {
        // Both kinds run on this process's runtime; polling two counters is simpler than
        // joining two waits, and 2 ms is nothing at exit.
        let left = pending();
        if left == 0 || Instant::now() >= deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Stops the runtime of this process for good (call it at exit, after [`drain`]); blocks until
/// its thread has ended. Later calls in this process get [`RuntimeError::Stopped`].
pub fn shutdown() {
    CLOSED_IN.store(current_pid() as usize, Ordering::Release);
    CLOSED.store(true, Ordering::Release);
    let Some(rt) = live_runtime() else { return };
    rt.stop();
    let thread = rt.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(thread) = thread {
        let _ = thread.join();
    }
}

/// Whether a runtime runs in this process.
pub fn alive() -> bool {
    !closed() && live_runtime().is_some()
}
