//! Background cleanups: work the core starts on its own so that nothing is left billing when a
//! caller stops waiting (the terminate of a session made by a cancelled start, of a cancelled
//! `with_session` or `run_task`), tracked so a process can wait for them before it exits.
//!
//! One tracker for the whole process, not one per client: a cleanup outlives the call (and
//! often the client) that caused it, and what must wait for them, an interpreter's exit hook or
//! a CLI's Ctrl-C handler, wants every one of them without knowing which clients existed.

use std::future::Future;
use std::sync::LazyLock;
use std::time::Duration;

use tokio_util::task::TaskTracker;

/// Closed from the start: closing only means "`wait` returns once empty", and every spawn still
/// works, so each [`wait_for_cleanups`] returns as soon as nothing is pending.
static CLEANUPS: LazyLock<TaskTracker> = LazyLock::new(|| {
    let tracker = TaskTracker::new();
    tracker.close();
    tracker
});

/// Spawns `work` on the current tokio runtime, tracked. Returns false (and drops `work`) when
/// called outside a runtime.
pub(crate) fn spawn<F>(work: F) -> bool
where
    F: Future<Output = ()> + Send + 'static,
{
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            CLEANUPS.spawn_on(work, &runtime);
            true
        }
        Err(_) => false,
    }
}

/// How many background cleanups are still running.
pub fn pending_cleanups() -> usize {
    CLEANUPS.len()
}

/// Waits until every background cleanup has finished (terminates of sessions whose caller
/// stopped waiting: a cancelled `start_session`, `start_task`, `run_task` or `with_session`),
/// or `timeout` passed. Returns how many are still running (0: all done).
///
/// Call it before the process exits after cancelling work, e.g. on Ctrl-C: the cleanups run on
/// the tokio runtime, and a runtime that is shut down first never finishes them. The Python
/// and Node bindings call it at exit; the CLI calls it on Ctrl-C.
pub async fn wait_for_cleanups(timeout: Duration) -> usize {
    let _ = tokio::time::timeout(timeout, CLEANUPS.wait()).await;
    pending_cleanups()
}
