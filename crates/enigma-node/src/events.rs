//! `NativeEventStream`: wraps `enigma::EventStream` for `for await (const ev of session.events())`.
//! The JS layer pulls with `next()`; no JS callback is stored, so nothing here keeps the
//! process alive, and `close()` (or garbage collection) drops the core stream.

use std::sync::Arc;

use enigma::EventStream;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{Map, Value};
use tokio::sync::Mutex;
use tokio_util::sync::CancellationToken;

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::to_camel;

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
    let Value::Object(fields) = event else { return event };
    let mut out = Map::with_capacity(fields.len());
    for (key, value) in fields {
        let value = match (key.as_str(), value) {
            ("type", Value::String(kind)) => Value::String(to_camel(&kind)),
            ("usage", Value::Object(usage)) => {
                Value::Object(usage.into_iter().map(|(k, v)| (to_camel(&k), v)).collect())
            }
            (_, value) => value,
        };
        out.insert(to_camel(&key), value);
    }
    Value::Object(out)
}
