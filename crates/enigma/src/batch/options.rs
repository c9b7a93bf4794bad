//! How a batch runs: its limits, budget, journal and guardrail handler.

use std::path::PathBuf;
use std::sync::Arc;

use futures_util::future::BoxFuture;
#[cfg(feature = "binding")]
use serde::Deserialize;
#[cfg(feature = "binding")]
use serde_json::Value;

use crate::model::error::{Error, Result};
#[cfg(feature = "binding")]
use crate::model::parse;
#[cfg(feature = "binding")]
use crate::model::spelling::Spelling;

/// A guardrail question of a batch task, for the handler to answer (serialised as the
/// bindings show it, inside `{token, question}`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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

/// The batch options a binding passes, as one object in the caller's spelling (read by the
/// core's option parser, `model/parse.rs`). What is not given (or `null`) keeps its default.
#[cfg(feature = "binding")]
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GivenOptions {
    concurrency: Option<usize>,
    budget: Option<f64>,
    journal: Option<PathBuf>,
    tasks_per_session: Option<usize>,
    retry_unknown: Option<bool>,
    /// Run the valid tasks and report the bad ones as `skipped` (how the tasks are read).
    skip_invalid: Option<bool>,
}

impl BatchOptions {
    /// The defaults (see each field).
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets [`concurrency`](Self::concurrency): sessions at once.
    pub fn concurrency(mut self, sessions: usize) -> Self {
        self.concurrency = sessions;
        self
    }
    /// Sets [`budget`](Self::budget): the total USD ceiling.
    pub fn budget(mut self, usd: f64) -> Self {
        self.budget = Some(usd);
        self
    }
    /// Sets [`journal`](Self::journal): the JSONL file a rerun resumes from.
    pub fn journal(mut self, path: impl Into<PathBuf>) -> Self {
        self.journal = Some(path.into());
        self
    }
    /// Sets [`tasks_per_session`](Self::tasks_per_session).
    pub fn tasks_per_session(mut self, tasks: usize) -> Self {
        self.tasks_per_session = tasks;
        self
    }
    /// Sets [`retry_unknown`](Self::retry_unknown): resubmit the tasks a journal shows as
    /// `unknown`.
    pub fn retry_unknown(mut self, yes: bool) -> Self {
        self.retry_unknown = yes;
        self
    }
    /// Sets [`on_guardrail`](Self::on_guardrail) from an async closure: `Some(text)` resumes
    /// the task with that answer, `None` ends it with outcome `guardrail`.
    pub fn on_guardrail<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(GuardrailQuestion) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Option<String>> + Send + 'static,
    {
        self.on_guardrail = Some(Arc::new(move |question| Box::pin(handler(question))));
        self
    }
    /// Sets [`rate_window`](Self::rate_window) (only a simulator with a shortened window needs
    /// it).
    pub fn rate_window(mut self, window: std::time::Duration) -> Self {
        self.rate_window = window;
        self
    }

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

    /// Reads options from one object (the bindings' keyword arguments) in `spelling`, with
    /// `skip_invalid` returned beside them (it concerns reading the tasks, not running them).
    /// Errors name the field as the caller spells it (`tasks_per_session`, `tasksPerSession`).
    #[cfg(feature = "binding")]
    pub(crate) fn from_value(value: &Value, spelling: Spelling) -> Result<(BatchOptions, bool)> {
        let given: GivenOptions = parse::settings(value.clone(), spelling)?;
        let default = BatchOptions::default();
        let options = BatchOptions {
            concurrency: given.concurrency.unwrap_or(default.concurrency),
            budget: given.budget,
            journal: given.journal,
            tasks_per_session: given.tasks_per_session.unwrap_or(default.tasks_per_session),
            retry_unknown: given.retry_unknown.unwrap_or(default.retry_unknown),
            ..default
        };
        options.check().map_err(|e| spelling.error(e))?;
        Ok((options, given.skip_invalid.unwrap_or(false)))
    }
}
