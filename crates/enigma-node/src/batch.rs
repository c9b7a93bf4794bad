//! `NativeBatch`: a running batch (the core's `enigma::binding::BatchFeed`) for
//! `for await (const r of client.runMany(...))`. Pulled one `next()` at a time (no JS callback
//! stored in Rust, nothing keeps the process alive). A guardrail question for the JS
//! `onGuardrail` callback comes out of `next()` as `{ token, question }`; `answer(token, text)`
//! answers it. Tasks and options cross as serde values, read and checked by the core (errors
//! name the task: `tasks[3]`).

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::Value;

use crate::cancel::{CancelToken, spawn, token_of};

/// A running batch, pulled one item at a time.
#[napi]
pub struct NativeBatch {
    feed: Arc<enigma::binding::BatchFeed>,
}

impl From<enigma::binding::BatchFeed> for NativeBatch {
    fn from(feed: enigma::binding::BatchFeed) -> Self {
        NativeBatch { feed: Arc::new(feed) }
    }
}

#[napi]
impl NativeBatch {
    /// The next ended task (a plain object, camelCase) or guardrail question
    /// (`{ token, question }`), or `null` once every task has ended. A cancelled call loses
    /// nothing (the core's `next()` is cancellation-safe).
    #[napi(ts_return_type = "Promise<Record<string, unknown> | null>")]
    pub fn next<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, Option<Value>>> {
        let feed = self.feed.clone();
        let work = async move { Ok(feed.next().await.map(|next| feed.view(&next))) };
        spawn(env, token_of(cancel), work, |v| v)
    }

    /// Answers question `token`: a text resumes the task with it; `null` ends it (`guardrail`).
    #[napi]
    pub fn answer(&self, token: u32, text: Option<String>) {
        self.feed.answer(token, text);
    }

    /// Where the batch stands (total, done, failed, running, queued, spent, budget...).
    #[napi(ts_return_type = "Record<string, unknown>")]
    pub fn progress(&self) -> Value {
        self.feed.progress()
    }

    /// The summary once the batch has ended, else `null`.
    #[napi(ts_return_type = "Record<string, unknown> | null")]
    pub fn summary(&self) -> Option<Value> {
        self.feed.summary()
    }

    /// Stops the batch: no new task starts and every session it opened is terminated.
    #[napi]
    pub fn cancel(&self) {
        self.feed.cancel();
    }

    /// Waits for the batch's end (items not read are dropped); the summary.
    #[napi(ts_return_type = "Promise<Record<string, unknown>>")]
    pub fn finished<'e>(&self, env: &'e Env) -> Result<PromiseRaw<'e, Value>> {
        let feed = self.feed.clone();
        spawn(env, None, async move { Ok(feed.finished().await) }, |v| v)
    }
}
