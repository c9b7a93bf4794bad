//! `NativeEventStream`: wraps `enigma::EventStream` for `for await (const ev of session.events())`.
//! The JS layer pulls with `next()`; no JS callback is stored, so nothing here keeps the
//! process alive, and `close()` (or garbage collection) drops the core stream.

use enigma::EventStream;
use enigma::binding::{EventPull, Spelling, spelled_event};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::cancel::{CancelToken, spawn, token_of};

/// A session's live events, pulled one at a time (`enigma::binding::EventPull`: a `next()`
/// cancelled by its signal loses no event).
#[napi]
pub struct NativeEventStream {
    events: EventPull,
}

impl From<EventStream> for NativeEventStream {
    fn from(stream: EventStream) -> Self {
        NativeEventStream { events: EventPull::new(stream) }
    }
}

#[napi]
impl NativeEventStream {
    /// The next event (a plain object in the core's Node spelling: `type` and field names in
    /// camelCase, `raw` as received), or `null` once the stream has ended or was closed. Calls
    /// made together are answered in order.
    #[napi(ts_return_type = "Promise<Record<string, unknown> | null>")]
    pub fn next<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, Option<Value>>> {
        let pull = self.events.next();
        let work = async move { Ok(pull.await.take().map(|event| spelled_event(&event, Spelling::Camel))) };
        spawn(env, token_of(cancel), work, |v| v)
    }

    /// Ends the stream: a pending `next()` answers `null` and the core stream is dropped (the
    /// live connection closes when nothing else uses it). Later calls do nothing.
    #[napi]
    pub fn close(&self) {
        self.events.close();
    }
}

/// The core's live event types in the Node spelling (`taskCompleted`): every `type` an event
/// of `session.events()` can have, which `index.d.ts`'s `EnigmaEvent` union is tested against.
#[napi]
pub fn event_types() -> Vec<String> {
    enigma::EventKind::ALL.iter().map(|kind| Spelling::Camel.spell(kind.as_str())).collect()
}
