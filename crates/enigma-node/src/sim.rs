//! `NativeSimulator`: the in-process simulator of `enigma-click/testing`.

use std::sync::Mutex;
use std::time::Duration;

use enigma_sim::{SimHandle, SimSettings, Simulator};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::convert::read_options;
use crate::errors::{OrThrow, invalid};

/// A running simulator.
#[napi]
pub struct NativeSimulator {
    url: String,
    handle: Mutex<Option<SimHandle>>,
}

/// Starts a simulator on loopback (any free port unless `port` is given).
#[napi(ts_return_type = "Promise<NativeSimulator>")]
pub fn start_simulator<'e>(
    env: &'e Env,
    #[napi(ts_arg_type = "object | undefined | null")] options: Option<Value>,
) -> Result<PromiseRaw<'e, NativeSimulator>> {
    // Settings given (`inlineWaitMs`, `rateLimit`: 0 is off, ...) over the simulator's defaults.
    let settings: SimSettings = read_options(options, enigma::binding::settings).or_throw(env)?;
    let config = settings.config().map_err(|why| invalid("simulator", why)).or_throw(env)?;
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
