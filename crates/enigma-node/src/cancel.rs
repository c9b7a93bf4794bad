//! `CancelToken`: the native end of an `AbortSignal`. The JS layer calls `cancel()` from the
//! signal's `abort` listener; no JS callback is stored on the Rust side, so nothing here can
//! keep the process alive.

use std::future::Future;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use tokio_util::sync::CancellationToken;

use crate::errors::to_js;

/// Cancels the native work of the calls it was passed to.
#[napi]
#[derive(Default)]
pub struct CancelToken {
    pub(crate) token: CancellationToken,
}

#[napi]
impl CancelToken {
    /// A token not yet cancelled.
    #[napi(constructor)]
    pub fn new() -> Self {
        CancelToken::default()
    }

    /// Cancels every call holding this token: their Rust futures are dropped and their
    /// promises reject with the `cancelled` code.
    #[napi]
    pub fn cancel(&self) {
        self.token.cancel();
    }

    /// Whether `cancel()` was called.
    #[napi(getter)]
    pub fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }
}

/// The token of an optional `CancelToken` argument.
pub(crate) fn token_of(cancel: Option<&CancelToken>) -> Option<CancellationToken> {
    cancel.map(|c| c.token.clone())
}

/// Runs `work` until it finishes or the token is cancelled (then `Error::Cancelled`; `work` is
/// dropped).
pub(crate) async fn cancellable<T>(
    token: Option<CancellationToken>,
    work: impl Future<Output = enigma::Result<T>>,
) -> enigma::Result<T> {
    match token {
        None => work.await,
        Some(token) => {
            if token.is_cancelled() {
                return Err(enigma::Error::Cancelled);
            }
            tokio::select! {
                biased;
                _ = token.cancelled() => Err(enigma::Error::Cancelled),
                result = work => result,
            }
        }
    }
}

/// Spawns a core future as a JS promise: cancellable, core errors mapped, value converted.
pub(crate) fn spawn<'env, T, V, F>(
    env: &'env Env,
    token: Option<CancellationToken>,
    work: F,
    convert: fn(T) -> V,
) -> Result<PromiseRaw<'env, V>>
where
    T: Send + 'static,
    V: ToNapiValue + 'static,
    F: Future<Output = enigma::Result<T>> + Send + 'static,
{
    // The core's error crosses as data: the future hands it over as a value, and the settle
    // callback (on the JS thread) makes the JS error that carries its payload.
    env.spawn_future_with_callback(async move { Ok(cancellable(token, work).await) }, move |env, outcome| {
        outcome.map(convert).map_err(|err| to_js(env, &err))
    })
}
