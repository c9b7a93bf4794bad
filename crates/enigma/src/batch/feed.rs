//! A batch as a language binding reads it: one pull-based handle that owns the batch, its
//! guardrail desk and its monitor. `next()` gives what happened next (a task ended, or a task
//! asks the host's guardrail callback), values come out in the caller's spelling, and nothing
//! is lost when a caller stops waiting: a value the host could not deliver is given back and
//! comes out of the next `next()` first.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::guardrail_desk::GuardrailDesk;
use super::item::BatchItem;
use super::options::{BatchOptions, GuardrailQuestion};
use super::spec::specs_from_value;
use super::{Batch, BatchMonitor};
use crate::handle::client::Client;
use crate::model::error::Result;
use crate::model::spelling::{Spelling, to_snake};
use crate::model::view::spelled;
use crate::rest::rate_waits::{RateLimitNotices, RateLimitWait};

/// What a batch did next: a task ended, a task asks a guardrail question that
/// [`BatchFeed::answer`] answers by its token, or the batch waits for the key's rate limit.
#[derive(Debug, Clone, PartialEq)]
pub enum BatchNext {
    /// A task ended.
    Item(Box<BatchItem>),
    /// A task waits for the answer to its question.
    Question {
        /// What [`BatchFeed::answer`] takes.
        token: u32,
        /// The question.
        question: GuardrailQuestion,
    },
    /// A wait for the key's rate limit began: nothing starts before it ends. For a progress
    /// display (its `message`); [`BatchFeed::progress`] has it too while it lasts.
    RateLimitWait(RateLimitWait),
}

impl BatchNext {
    /// The form a binding hands over. An item is its record (the form the CLI's `--out` and the
    /// journal hold) with its `usage` in `spelling`; a question is `{token, question}` with the
    /// question's keys in `spelling`.
    pub fn to_value(&self, spelling: Spelling) -> Value {
        match self {
            BatchNext::Item(item) => match spelling {
                // The record's usage is already in snake_case (the `Usage` type's serde form).
                Spelling::Snake => serde_json::to_value(item).unwrap_or_default(),
                Spelling::Camel => spelled(item, spelling),
            },
            BatchNext::Question { token, question } => {
                json!({ "token": token, "question": spelled(question, spelling) })
            }
            BatchNext::RateLimitWait(wait) => {
                let mut value = Map::new();
                value.insert(spelling.spell("rate_limit_wait"), spelled(wait, spelling));
                Value::Object(value)
            }
        }
    }
}

/// A running batch for a binding: made from the caller's values in one call, read one
/// [`next`](BatchFeed::next) at a time.
pub struct BatchFeed {
    batch: tokio::sync::Mutex<Batch>,
    desk: GuardrailDesk,
    monitor: BatchMonitor,
    /// What was read for a caller that stopped waiting, returned first.
    given_back: Mutex<VecDeque<BatchNext>>,
    /// The client's waits for the rate limit, for the host's progress display.
    waits: tokio::sync::Mutex<RateLimitNotices>,
    spelling: Spelling,
    /// Every item handed out so far, for the batch's picture (`timeline`).
    ended: Mutex<Vec<BatchItem>>,
}

impl BatchFeed {
    /// Starts a batch from a binding's values: `tasks` a list of task texts or spec objects,
    /// `options` the batch options (both in `spelling`; see `TaskSpec::from_spelled` and
    /// `BatchOptions::from_value`). `guardrail`: questions come out of [`BatchFeed::next`] for
    /// the host to answer; otherwise a question ends its task. Bad tasks or options are a
    /// `validation` error naming them (`tasks[3]`) before anything is sent. Must be called
    /// inside a tokio runtime.
    pub fn start(client: &Client, tasks: &Value, options: &Value, guardrail: bool, spelling: Spelling) -> Result<Self> {
        let (options, skip_invalid) = BatchOptions::from_value(options, spelling)?;
        let inputs = specs_from_value(tasks, skip_invalid, spelling)?;
        let (desk, handler) = GuardrailDesk::new();
        let options = BatchOptions { on_guardrail: guardrail.then_some(handler), ..options };
        let waits = client.rate_limit_notices();
        let batch = client.run_many_inputs(inputs, options)?;
        Ok(BatchFeed {
            waits: tokio::sync::Mutex::new(waits),
            monitor: batch.monitor(),
            batch: tokio::sync::Mutex::new(batch),
            desk,
            given_back: Mutex::default(),
            spelling,
            ended: Mutex::default(),
        })
    }

    /// The next task to end or question to answer; `None` once every task has ended.
    /// Cancellation-safe: a call dropped before it returns loses nothing.
    pub async fn next(&self) -> Option<BatchNext> {
        if let Some(next) = self.given_back.lock().unwrap_or_else(|e| e.into_inner()).pop_front() {
            return Some(next);
        }
        let mut batch = self.batch.lock().await;
        let mut waits = self.waits.lock().await;
        tokio::select! {
            item = batch.next() => item.map(|item| {
                self.ended.lock().unwrap_or_else(|e| e.into_inner()).push(item.clone());
                BatchNext::Item(Box::new(item))
            }),
            Some((token, question)) = self.desk.next_question() => Some(BatchNext::Question { token, question }),
            Some(wait) = waits.next() => Some(BatchNext::RateLimitWait(wait)),
        }
    }

    /// Returns what [`BatchFeed::next`] gave to a caller that stopped waiting before the host
    /// could hand it over (an asyncio cancel, a Ctrl-C): the next `next()` returns it first.
    pub fn give_back(&self, next: BatchNext) {
        self.given_back.lock().unwrap_or_else(|e| e.into_inner()).push_front(next);
    }

    /// `next` in the caller's spelling (see [`BatchNext::to_value`]).
    pub fn view(&self, next: &BatchNext) -> Value {
        next.to_value(self.spelling)
    }

    /// Answers question `token`: a text resumes its task with it, `None` ends the task with
    /// outcome `guardrail`. False when no such question waits.
    pub fn answer(&self, token: u32, text: Option<String>) -> bool {
        self.desk.answer(token, text)
    }

    /// Where the batch stands, in the caller's spelling.
    pub fn progress(&self) -> Value {
        self.respell(&self.monitor.progress())
    }

    /// The summary in the caller's spelling, once the batch has ended.
    pub fn summary(&self) -> Option<Value> {
        self.monitor.summary().map(|summary| self.respell(&summary))
    }

    /// The items handed out so far, and the budget.
    pub(crate) fn ended_items(&self) -> (Vec<BatchItem>, Option<f64>) {
        (self.ended.lock().unwrap_or_else(|e| e.into_inner()).clone(), self.monitor.progress().budget)
    }

    /// Whether the batch has ended (its summary is set).
    pub fn ended(&self) -> bool {
        self.monitor.summary().is_some()
    }

    /// Stops the batch: no new task starts, every session it opened is terminated, and the
    /// questions waiting for an answer end their tasks.
    pub fn cancel(&self) {
        self.monitor.cancel();
        self.desk.drop_pending();
    }

    /// Waits until the batch has ended (every session it opened ended); the summary in the
    /// caller's spelling. Items not read yet are dropped (the batch cannot end with them queued).
    pub async fn finished(&self) -> Value {
        let mut batch = self.batch.lock().await;
        while batch.next().await.is_some() {}
        self.respell(&batch.finished().await)
    }

    /// A progress or summary (flat camelCase records; the names inside `outcomes` are spelled
    /// the same in every language) with its keys in the caller's spelling.
    fn respell<T: Serialize>(&self, value: &T) -> Value {
        let value = serde_json::to_value(value).unwrap_or_default();
        match (self.spelling, value) {
            (Spelling::Snake, Value::Object(map)) => {
                Value::Object(map.into_iter().map(|(k, v)| (to_snake(&k), v)).collect::<Map<_, _>>())
            }
            // Nested records (a rate-limit wait) come in their snake_case serde form.
            (Spelling::Camel, value) => spelled(&value, Spelling::Camel),
            (Spelling::Snake, value) => value,
        }
    }
}

impl std::fmt::Debug for BatchFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchFeed")
            .field("progress", &self.monitor.progress())
            .field("spelling", &self.spelling)
            .finish()
    }
}
