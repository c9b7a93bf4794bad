//! How a batch runs: its limits, budget, journal and guardrail handler.

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde_json::Value;

use crate::model::error::{Error, Result};

/// A guardrail question of a batch task, for the handler to answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GuardrailQuestion {
    /// The task's index in the input.
    pub index: usize,
    /// The caller's id of the task.
    pub id: Option<String>,
    /// The agent's question.
    pub question: String,
    /// The session.
    pub session_id: String,
    /// The task.
    pub task_id: String,
}

/// Answers a guardrail question: `Some(text)` resumes the task with that answer; `None` ends it
/// with outcome `guardrail` (the default without a handler).
pub type GuardrailHandler = Arc<dyn Fn(GuardrailQuestion) -> BoxFuture<'static, Option<String>> + Send + Sync>;

/// How [`Client::run_many`](crate::Client::run_many) runs.
#[derive(Clone)]
pub struct BatchOptions {
    /// Sessions at once. Default 5, the service's limit per key; lowered by itself on
    /// `SESSION_LIMIT_REACHED`.
    pub concurrency: usize,
    /// Total USD ceiling: when what ended plus what runs reaches it, running tasks are
    /// stopped and no new ones start.
    pub budget: Option<f64>,
    /// An append-only JSONL journal: a rerun with it skips what finished and re-attaches to what
    /// was running.
    pub journal: Option<PathBuf>,
    /// Tasks run one after another in one session (1: each in its own, like `run_task`).
    pub tasks_per_session: usize,
    /// Resubmit the tasks a journal shows as `unknown` (their create's answer was lost).
    pub retry_unknown: bool,
    /// Answers guardrail questions; without it a question ends its task (`guardrail`).
    pub on_guardrail: Option<GuardrailHandler>,
    /// The length of the key's sliding rate-limit window: 60 s on the service (contract §5.1).
    /// Only a simulator with a shortened window needs another value.
    pub rate_window: std::time::Duration,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            concurrency: 5,
            budget: None,
            journal: None,
            tasks_per_session: 1,
            retry_unknown: false,
            on_guardrail: None,
            rate_window: std::time::Duration::from_secs(60),
        }
    }
}

impl std::fmt::Debug for BatchOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchOptions")
            .field("concurrency", &self.concurrency)
            .field("budget", &self.budget)
            .field("journal", &self.journal)
            .field("tasks_per_session", &self.tasks_per_session)
            .field("retry_unknown", &self.retry_unknown)
            .field("on_guardrail", &self.on_guardrail.is_some())
            .finish()
    }
}

/// The keys an options object may hold (camelCase; snake_case is read as the same key).
const OPTION_KEYS: &[&str] = &["concurrency", "budget", "journal", "tasksPerSession", "retryUnknown", "skipInvalid"];

impl BatchOptions {
    /// Checks the options; the error names the option.
    pub fn check(&self) -> Result<()> {
        if self.concurrency == 0 {
            return Err(Error::validation("concurrency", "must be at least 1"));
        }
        if self.rate_window.is_zero() {
            return Err(Error::validation("rate_window", "must be positive"));
        }
        if self.tasks_per_session == 0 {
            return Err(Error::validation("tasks_per_session", "must be at least 1"));
        }
        if let Some(budget) = self.budget
            && !(budget.is_finite() && budget > 0.0)
        {
            return Err(Error::validation("budget", format!("must be a positive number of USD, got {budget}")));
        }
        Ok(())
    }

    /// Reads options from one object (the bindings' keyword arguments), with `skipInvalid`
    /// returned beside them (it concerns reading the tasks, not running them). `null` values
    /// keep the default.
    pub fn from_value(value: &Value) -> Result<(BatchOptions, bool)> {
        let mut options = BatchOptions::default();
        let mut skip_invalid = false;
        let Some(object) = value.as_object() else {
            return match value {
                Value::Null => Ok((options, false)),
                _ => Err(Error::validation("options", "must be an object")),
            };
        };
        for (key, v) in object {
            if v.is_null() {
                continue;
            }
            let camel: String = key
                .split('_')
                .enumerate()
                .map(
                    |(i, p)| {
                        if i == 0 { p.to_owned() } else { p[..1.min(p.len())].to_uppercase() + &p[1.min(p.len())..] }
                    },
                )
                .collect();
            let count = |v: &Value| {
                v.as_u64()
                    .filter(|n| *n >= 1)
                    .map(|n| n as usize)
                    .ok_or_else(|| Error::validation(key, "must be a whole number, at least 1"))
            };
            let flag = |v: &Value| v.as_bool().ok_or_else(|| Error::validation(key, "must be true or false"));
            match camel.as_str() {
                "concurrency" => options.concurrency = count(v)?,
                "tasksPerSession" => options.tasks_per_session = count(v)?,
                "budget" => {
                    options.budget = Some(v.as_f64().ok_or_else(|| Error::validation(key, "must be a number of USD"))?)
                }
                "journal" => {
                    options.journal =
                        Some(PathBuf::from(v.as_str().ok_or_else(|| Error::validation(key, "must be a path"))?))
                }
                "retryUnknown" => options.retry_unknown = flag(v)?,
                "skipInvalid" => skip_invalid = flag(v)?,
                _ => {
                    return Err(Error::validation(
                        key,
                        format!("is not a batch option (known: {})", OPTION_KEYS.join(", ")),
                    ));
                }
            }
        }
        options.check()?;
        Ok((options, skip_invalid))
    }
}
