//! `enigma::binding::runtime`, the process's runtime for a host that has none (the Python
//! binding): detached work and aborted work are counted until they are gone, and `drain` waits
//! for them. (Its behaviour across `fork()` and at interpreter exit is tested from Python.)

use std::sync::Mutex;
use std::sync::mpsc;
use std::time::Duration;

use enigma::binding::runtime;

/// The counters are the process's: these tests run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Blocks the runtime's thread when dropped, until `release` is sent: what a future's cleanup
/// looks like to `drain` while it runs.
struct SlowDrop(mpsc::Receiver<()>);

impl Drop for SlowDrop {
    fn drop(&mut self) {
        let _ = self.0.recv_timeout(Duration::from_secs(10));
    }
}

#[test]
fn block_on_runs_work_on_the_runtime_and_returns_its_value() {
    let _serial = serial();
    assert_eq!(runtime::block_on(async { 6 * 7 }).unwrap(), 42);
    let thread = runtime::block_on(async { std::thread::current().name().map(str::to_owned) }).unwrap();
    assert_eq!(thread.as_deref(), Some("enigma-runtime"));
    assert!(runtime::alive());
}

#[test]
fn detached_work_is_counted_until_it_ends_and_drain_waits_for_it() {
    let _serial = serial();
    let (finish, finished) = tokio::sync::oneshot::channel::<()>();
    runtime::spawn_detached(async move {
        let _ = finished.await;
    })
    .unwrap();
    assert_eq!(runtime::pending(), 1);
    assert_eq!(runtime::drain(Duration::from_millis(20)), 1, "drain gives up at its timeout");
    finish.send(()).unwrap();
    assert_eq!(runtime::drain(Duration::from_secs(10)), 0);
    assert_eq!(runtime::pending(), 0);
}

#[test]
fn aborted_work_is_counted_until_the_runtime_has_dropped_it() {
    let _serial = serial();
    let (release, gate) = mpsc::channel();
    let (started, running) = mpsc::channel();
    let slow = SlowDrop(gate);
    let abort = runtime::spawn_abortable(async move {
        let _slow = slow;
        let _ = started.send(());
        std::future::pending::<()>().await;
    })
    .unwrap();
    // Work that has started is what may have cleanups to start when dropped.
    running.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(runtime::pending(), 0, "running abortable work is its caller's to wait for");
    abort.abort();
    assert_eq!(runtime::pending(), 1, "counted from the abort, before the runtime got to it");
    assert_eq!(runtime::drain(Duration::from_millis(20)), 1, "still dropping");
    release.send(()).unwrap();
    assert_eq!(runtime::drain(Duration::from_secs(10)), 0);
    abort.abort();
    assert_eq!(runtime::pending(), 0, "a second abort of finished work counts nothing");
}

#[test]
fn work_that_ends_before_an_abort_is_not_counted() {
    let _serial = serial();
    let (done, ended) = mpsc::channel();
    let abort = runtime::spawn_abortable(async move {
        let _ = done.send(());
    })
    .unwrap();
    ended.recv_timeout(Duration::from_secs(10)).unwrap();
    abort.abort();
    assert_eq!(runtime::drain(Duration::from_secs(10)), 0, "an abort that came late is not counted forever");
}
