//! `NativeBatch`: a running batch (`enigma::Batch`) for `for await (const r of client.runMany(...))`.
//! Pulled one `next()` at a time (no JS callback stored in Rust, nothing keeps the process
//! alive). A guardrail question for the JS `onGuardrail` callback comes out of `next()` as
//! `{ token, question }`; `answer(token, text)` answers it. Tasks and options cross as serde
//! values, parsed and checked by the core (errors name the task: `tasks[3]`).

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;
use serde_json::{Value, json};

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::to_camel;

/// A running batch, pulled one item at a time.
#[napi]
pub struct NativeBatch {
    batch: Arc<tokio::sync::Mutex<enigma::Batch>>,
    desk: Arc<enigma::GuardrailDesk>,
    monitor: enigma::BatchMonitor,
}

/// Starts a batch on the current runtime (call inside napi's).
pub(crate) fn start(
    client: &enigma::Client,
    tasks: &Value,
    options: &Value,
    guardrail: bool,
) -> enigma::Result<NativeBatch> {
    let (desk, handler) = enigma::GuardrailDesk::new();
    let handler = guardrail.then_some(handler);
    let (options, skip_invalid) = enigma::BatchOptions::from_value(options)?;
    let inputs = enigma::specs_from_value(tasks, skip_invalid)?;
    let batch = client.run_many_inputs(inputs, enigma::BatchOptions { on_guardrail: handler, ..options })?;
    let monitor = batch.monitor();
    Ok(NativeBatch { batch: Arc::new(tokio::sync::Mutex::new(batch)), desk: Arc::new(desk), monitor })
}

#[napi]
impl NativeBatch {
    /// The next ended task (a plain object, camelCase) or guardrail question
    /// (`{ token, question }`), or `null` once every task has ended.
    #[napi(ts_return_type = "Promise<Record<string, unknown> | null>")]
    pub fn next<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, Option<Value>>> {
        let (batch, desk) = (self.batch.clone(), self.desk.clone());
        let work = async move {
            let mut batch = batch.lock().await;
            Ok(tokio::select! {
                item = batch.next() => item.map(|item| item_json(&item)),
                Some((token, q)) = desk.next_question() => Some(json!({
                    "token": token,
                    "question": { "index": q.index, "id": q.id, "question": q.question,
                                  "sessionId": q.session_id, "taskId": q.task_id },
                })),
            })
        };
        spawn(env, token_of(cancel), work, |v| v)
    }

    /// Answers question `token`: a text resumes the task with it; `null` ends it (`guardrail`).
    #[napi]
    pub fn answer(&self, token: u32, text: Option<String>) {
        self.desk.answer(token, text);
    }

    /// Where the batch stands (total, done, failed, running, queued, spent, budget...).
    #[napi(ts_return_type = "Record<string, unknown>")]
    pub fn progress(&self) -> Value {
        serde_json::to_value(self.monitor.progress()).unwrap_or_default()
    }

    /// The summary once the batch has ended, else `null`.
    #[napi(ts_return_type = "Record<string, unknown> | null")]
    pub fn summary(&self) -> Option<Value> {
        self.monitor.summary().map(|s| serde_json::to_value(s).unwrap_or_default())
    }

    /// Stops the batch: no new task starts and every session it opened is terminated.
    #[napi]
    pub fn cancel(&self) {
        self.monitor.cancel();
        self.desk.drop_pending();
    }

    /// Waits for the batch's end (items not read are dropped); the summary.
    #[napi(ts_return_type = "Promise<Record<string, unknown>>")]
    pub fn finished<'e>(&self, env: &'e Env) -> Result<PromiseRaw<'e, Value>> {
        let batch = self.batch.clone();
        let work = async move {
            let mut batch = batch.lock().await;
            while batch.next().await.is_some() {}
            Ok(serde_json::to_value(batch.finished().await).unwrap_or_default())
        };
        spawn(env, None, work, |v| v)
    }
}

/// An item in the Node spelling (its `usage` keys in camelCase too).
fn item_json(item: &enigma::BatchItem) -> Value {
    let mut value = serde_json::to_value(item).unwrap_or_default();
    if let Some(Value::Object(usage)) = value.get_mut("usage") {
        *usage = std::mem::take(usage).into_iter().map(|(k, v)| (to_camel(&k), v)).collect();
    }
    value
}
