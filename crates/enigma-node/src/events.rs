//! `NativeEventStream`: wraps `enigma::EventStream` for `for await (const ev of session.events())`.
//! The JS layer pulls with `next()`; no JS callback is stored, so nothing here keeps the
//! process alive, and `close()` (or garbage collection) drops the core stream.

use std::sync::Arc;

use enigma::EventStream;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::to_camel;
use crate::errors::camel_keys;

/// A session's live events, pulled one at a time.
#[napi]
pub struct NativeEventStream {
    stream: Arc<Mutex<Option<EventStream>>>,
    closed: CancellationToken,
}

impl From<EventStream> for NativeEventStream {
    fn from(stream: EventStream) -> Self {
        NativeEventStream { stream: Arc::new(Mutex::new(Some(stream))), closed: CancellationToken::new() }
    }
}

#[napi]
impl NativeEventStream {
    /// The next event (a plain object with a camelCase `type`), or `null` once the stream has
    /// ended or was closed. Calls made together are answered in order.
    #[napi(ts_return_type = "Promise<Record<string, unknown> | null>")]
    pub fn next<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, Option<Value>>> {
        let (stream, closed) = (self.stream.clone(), self.closed.clone());
        let work = async move {
            let mut guard = stream.lock().await;
            let Some(events) = guard.as_mut() else { return Ok(None) };
            let event = tokio::select! {
                biased;
                _ = closed.cancelled() => None,
                event = events.next() => event,
            };
            if event.is_none() {
                *guard = None; // ended or closed: let the connection go
            }
            Ok(event.map(|e| event_json(e.to_json())))
        };
        spawn(env, token_of(cancel), work, |v| v)
    }

    /// Ends the stream: a pending `next()` answers `null` and the core stream is dropped (the
    /// live connection closes when nothing else uses it). Later calls do nothing.
    #[napi]
    pub fn close(&self) {
        self.closed.cancel();
        if let Ok(mut guard) = self.stream.try_lock() {
            *guard = None;
        }
    }
}

/// The core's JSON form of an event in the Node spelling: `type` and field names in camelCase
/// (`task_completed` → `taskCompleted`, `task_id` → `taskId`); `raw` and `payload` as received.
fn event_json(event: Value) -> Value {
    let mut event = camel_keys(event, &["usage"]);
    if let Some(kind) = event.get_mut("type")
        && let Value::String(text) = kind
    {
        *text = to_camel(text);
    }
    event
}

/// The core's live event types in the Node spelling (`taskCompleted`): every `type` an event
/// of `session.events()` can have, which `index.d.ts`'s `EnigmaEvent` union is tested against.
#[napi]
pub fn event_types() -> Vec<String> {
    enigma::EventKind::ALL.iter().map(|kind| to_camel(kind.as_str())).collect()
}
