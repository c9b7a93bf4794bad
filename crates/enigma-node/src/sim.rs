//! `NativeSimulator`: the in-process simulator of `enigma-click/testing`.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use enigma_sim::{RateLimitScope, SimConfig, SimHandle, Simulator};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::errors::{OrThrow, invalid};

/// Simulator settings (see `crates/enigma-sim/README.md`). Durations are simulated
/// milliseconds; unset ones keep the simulator's defaults.
#[napi(object)]
#[derive(Default)]
pub struct SimOptionsArg {
    pub host: Option<String>,
    pub port: Option<u32>,
    pub time_scale: Option<f64>,
    pub inline_wait_ms: Option<f64>,
    pub idle_timeout_ms: Option<f64>,
    pub instance_grace_ms: Option<f64>,
    /// POST requests per key per minute; `0` turns the limiter off.
    pub rate_limit: Option<u32>,
    /// `shared` (default) or `perEndpoint`.
    pub rate_limit_scope: Option<String>,
    pub max_sessions: Option<u32>,
    pub initial_balance: Option<f64>,
    pub seed: Option<f64>,
}

fn config(o: SimOptionsArg) -> enigma::Result<SimConfig> {
    let mut c = SimConfig::default();
    if o.host.is_some() || o.port.is_some() {
        let host = o.host.unwrap_or_else(|| "127.0.0.1".into());
        let port = u16::try_from(o.port.unwrap_or(0)).map_err(|_| invalid("port", "must be 0..=65535"))?;
        c.bind = format!("{host}:{port}").parse::<SocketAddr>().map_err(|e| invalid("host", e.to_string()))?;
    }
    if let Some(s) = o.time_scale {
        c.time_scale = s;
    }
    let ms = |field: &str, v: Option<f64>| crate::convert::millis(field, v);
    if let Some(d) = ms("inlineWaitMs", o.inline_wait_ms)? {
        c.inline_wait = d;
    }
    if let Some(d) = ms("idleTimeoutMs", o.idle_timeout_ms)? {
        c.idle_timeout = d;
    }
    if let Some(d) = ms("instanceGraceMs", o.instance_grace_ms)? {
        c.instance_grace = d;
    }
    if let Some(n) = o.rate_limit {
        c.rate_limit = (n > 0).then_some(n);
    }
    if let Some(scope) = o.rate_limit_scope.as_deref() {
        c.rate_limit_scope = scope.parse::<RateLimitScope>().map_err(|why| invalid("rateLimitScope", why))?;
    }
    if let Some(n) = o.max_sessions {
        c.max_sessions = n;
    }
    if let Some(b) = o.initial_balance {
        c.initial_balance = b;
    }
    if let Some(seed) = crate::convert::whole("seed", o.seed)? {
        c.seed = seed;
    }
    c.validate().map_err(|why| invalid("simulator", why))?;
    Ok(c)
}

/// A running simulator.
#[napi]
pub struct NativeSimulator {
    url: String,
    handle: Mutex<Option<SimHandle>>,
}

/// Starts a simulator on loopback (any free port unless `port` is given).
#[napi(ts_return_type = "Promise<NativeSimulator>")]
pub fn start_simulator<'e>(env: &'e Env, options: Option<SimOptionsArg>) -> Result<PromiseRaw<'e, NativeSimulator>> {
    let config = config(options.unwrap_or_default()).or_throw(env)?;
    env.spawn_future(async move {
        let handle = Simulator::start(config)
            .await
            .map_err(|e| Error::new(Status::GenericFailure, format!("the simulator could not start: {e}")))?;
        Ok(NativeSimulator { url: handle.url(), handle: Mutex::new(Some(handle)) })
    })
}

#[napi]
impl NativeSimulator {
    /// Base URL, e.g. `http://127.0.0.1:PORT`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// What the server saw (`GET /_sim/stats`); `null` after shutdown.
    #[napi]
    pub fn stats(&self) -> Option<Value> {
        self.handle.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(SimHandle::stats)
    }

    /// Graceful stop; later calls do nothing.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn shutdown<'e>(&self, env: &'e Env) -> Result<PromiseRaw<'e, ()>> {
        let handle = self.handle.lock().unwrap_or_else(|e| e.into_inner()).take();
        env.spawn_future(async move {
            if let Some(handle) = handle {
                tokio::time::timeout(Duration::from_secs(5), handle.shutdown()).await.ok();
            }
            Ok(())
        })
    }
}
