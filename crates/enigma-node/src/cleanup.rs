//! The core's background cleanups (terminates of sessions whose call was cancelled), for the JS
//! layer to wait for before the process exits: they run on napi's tokio runtime, which does
//! not keep Node's event loop alive by itself.

use std::time::Duration;

use napi::bindgen_prelude::*;
use napi_derive::napi;

/// How many background cleanups are still running.
#[napi]
pub fn pending_cleanups() -> u32 {
    u32::try_from(enigma::pending_cleanups()).unwrap_or(u32::MAX)
}

/// Waits until every background cleanup has finished, or `timeoutMs` passed; resolves to how
/// many are still running. The pending promise keeps the event loop alive meanwhile.
#[napi(ts_return_type = "Promise<number>")]
pub fn wait_for_cleanups<'e>(env: &'e Env, timeout_ms: f64) -> Result<PromiseRaw<'e, u32>> {
    let timeout = Duration::try_from_secs_f64(timeout_ms / 1000.0).unwrap_or_default();
    env.spawn_future(async move {
        let left = enigma::wait_for_cleanups(timeout).await;
        Ok(u32::try_from(left).unwrap_or(u32::MAX))
    })
}
