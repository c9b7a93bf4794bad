//! [`SharedSim`]: a simulator held behind a shared reference, as the Python and Node packages
//! hold it (their objects are shared, and closing one must work from any of its references).

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

use crate::config::SimConfig;
use crate::server::{SimHandle, Simulator};

/// How long [`SharedSim::close`] lets a graceful shutdown take before it stops waiting.
const CLOSE_BOUND: Duration = Duration::from_secs(5);

/// A running simulator that can be closed through `&self`, once; later closes do nothing.
#[derive(Debug)]
pub struct SharedSim {
    url: String,
    handle: Mutex<Option<SimHandle>>,
}

impl SharedSim {
    /// Serves a simulator with `config` (on the current tokio runtime).
    pub async fn start(config: SimConfig) -> std::io::Result<SharedSim> {
        let handle = Simulator::start(config).await?;
        Ok(SharedSim { url: handle.url(), handle: Mutex::new(Some(handle)) })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The `GET /_sim/stats` counters as JSON (what the bindings hand over); `None` once closed.
    pub fn stats(&self) -> Option<Value> {
        self.lock().as_ref().map(SimHandle::stats_json)
    }

    /// Whether [`close`](Self::close) was called.
    pub fn is_closed(&self) -> bool {
        self.lock().is_none()
    }

    /// Closes now (later calls see it closed) and returns the graceful shutdown to await (at
    /// most a few seconds); nothing to do when it was already closed.
    pub fn close(&self) -> impl Future<Output = ()> + Send + 'static {
        let handle = self.lock().take();
        async move {
            if let Some(handle) = handle {
                let _ = tokio::time::timeout(CLOSE_BOUND, handle.shutdown()).await;
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<SimHandle>> {
        self.handle.lock().unwrap_or_else(|e| e.into_inner())
    }
}
