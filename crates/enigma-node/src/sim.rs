//! `NativeSimulator`: the in-process simulator of `enigma-click/testing`.

use enigma_sim::{SharedSim, SimSettings};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::convert::read_options;
use crate::errors::{OrThrow, invalid};

/// A running simulator.
#[napi]
pub struct NativeSimulator {
    sim: SharedSim,
}

/// Starts a simulator on loopback (any free port unless `port` is given).
#[napi(ts_return_type = "Promise<NativeSimulator>")]
pub fn start_simulator<'e>(
    env: &'e Env,
    #[napi(ts_arg_type = "object | undefined | null")] options: Option<Unknown<'_>>,
) -> Result<PromiseRaw<'e, NativeSimulator>> {
    // Settings given (`inlineWaitMs`, `rateLimit`: 0 is off, ...) over the simulator's defaults.
    let settings: SimSettings = read_options(options, enigma::binding::settings).or_throw(env)?;
    let config = settings.config().map_err(|why| invalid("simulator", why)).or_throw(env)?;
    env.spawn_future(async move {
        let sim = SharedSim::start(config)
            .await
            .map_err(|e| Error::new(Status::GenericFailure, format!("the simulator could not start: {e}")))?;
        Ok(NativeSimulator { sim })
    })
}

#[napi]
impl NativeSimulator {
    /// Base URL, e.g. `http://127.0.0.1:PORT`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.sim.url().to_owned()
    }

    /// What the server saw (`GET /_sim/stats`); `null` after shutdown.
    #[napi]
    pub fn stats(&self) -> Option<Value> {
        self.sim.stats()
    }

    /// Graceful stop; later calls do nothing.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn shutdown<'e>(&self, env: &'e Env) -> Result<PromiseRaw<'e, ()>> {
        let shutdown = self.sim.close();
        env.spawn_future(async move {
            shutdown.await;
            Ok(())
        })
    }
}
