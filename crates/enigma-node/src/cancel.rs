//! `CancelToken`: the native end of an `AbortSignal`. The JS layer calls `cancel()` from the
//! signal's `abort` listener; no JS callback is stored on the Rust side, so nothing here can
//! keep the process alive.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;

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
///
/// One tokio task per call. (`Env::spawn_future_with_callback` spawns two: the work, and a
/// second that awaits its `JoinHandle` only to turn a panic into a rejection. Each spawn from
/// the JS thread, and the second one's wake-up when the first ends, can wake a parked worker:
/// measured, both runtime workers burnt about 80-120 µs of CPU per sequential `task.poll()`
/// against 35 µs in the raw core.) The panic is caught inside the one task instead, and
/// rejects the promise the same way.
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
    let (deferred, promise) = env.create_deferred::<V, _>()?;
    // Boxed once: each layer below (`async` blocks, `cancellable`'s select) would otherwise hold
    // its own copy of the work's state, for as long as the work waits (thousands of waiters).
    let work = Box::pin(work);
    napi::bindgen_prelude::spawn(async move {
        let outcome = AssertUnwindSafe(cancellable(token, work)).catch_unwind().await;
        // The core's error crosses as data: it is handed over as a value, and the settle
        // callback (on the JS thread) makes the JS error that carries its payload.
        deferred.resolve(move |env| match outcome {
            Ok(Ok(value)) => Ok(convert(value)),
            Ok(Err(err)) => Err(to_js(&env, &err)),
            Err(panic) => Err(napi::Error::new(Status::GenericFailure, panic_message(&*panic))),
        });
    });
    Ok(PromiseRaw::new(env.raw(), promise.raw()))
}

/// A panic's text, as napi words it for a panicking async function.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    match panic.downcast_ref::<&str>() {
        Some(text) => (*text).to_owned(),
        None => "Panic in async function".to_owned(),
    }
}
