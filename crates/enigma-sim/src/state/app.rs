//! The application root: what the handlers and the background ticker share (settings, the
//! simulated clock, the data behind one lock, the shutdown signal).

use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};

use serde_json::Value;
use tokio::sync::watch;

use super::data::Inner;
use crate::clock::SimClock;
use crate::config::SimConfig;

/// Everything the handlers and the background ticker share.
#[derive(Debug)]
pub(crate) struct AppState {
    pub config: SimConfig,
    pub clock: SimClock,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base_url: String,
    pub inner: Mutex<Inner>,
    /// Whether any session's events are withheld (`POST /_sim/sockets/silence`), kept beside the
    /// state so that forwarding an event needs no lock in the common case: a tick ending a
    /// thousand tasks holds the state's lock for tens of ms, and every socket's forwarder waited
    /// behind it, each holding a runtime worker, before it could send.
    pub any_silenced: AtomicBool,
    /// Becomes `true` when the simulator stops.
    pub shutdown: watch::Sender<bool>,
}

impl AppState {
    pub(crate) fn new(config: SimConfig, base_url: String) -> Self {
        let inner = Inner::new(&config);
        AppState {
            clock: SimClock::new(config.time_scale),
            config,
            base_url,
            inner: Mutex::new(inner),
            any_silenced: AtomicBool::new(false),
            shutdown: watch::channel(false).0,
        }
    }

    /// Locks the state (a poisoned lock is still used: the data stays consistent per operation).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Resolves when the simulator stops.
    pub(crate) async fn stopped(&self) {
        let mut rx = self.shutdown.subscribe();
        let _ = rx.wait_for(|stopped| *stopped).await;
    }

    /// The stats JSON.
    pub(crate) fn stats_json(&self) -> Value {
        let inner = self.lock();
        let open = inner.sessions.values().filter(|s| s.is_open()).count() as u64;
        let running = inner.tasks.values().filter(|t| t.is_running()).count() as u64;
        inner.stats.to_json(open, running, inner.sockets.connected())
    }
}
