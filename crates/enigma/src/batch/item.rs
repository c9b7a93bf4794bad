//! What a batch reports: one item per task as it ends, the progress while it runs, and the
//! summary at its end.

use serde::{Deserialize, Serialize};

use crate::model::error::Error;
use crate::model::result::{Outcome, TaskResult};
use crate::model::usage::Usage;
use crate::rest::rate_waits::RateLimitWait;

/// How one task of a batch ended.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BatchOutcome {
    /// The agent finished; `message` holds its answer.
    Completed,
    /// The agent asked a question nobody answered; `question` holds it. Its session was ended.
    Guardrail,
    /// The task was stopped (its `max_cost`, the batch budget).
    Stopped,
    /// The task failed, or waiting for it did (`error` says which).
    Failed,
    /// The create was sent but its answer was lost: the task may have run. Never resubmitted
    /// unless the batch is run again with `retry_unknown`.
    Unknown,
    /// The input was invalid and skipped (`skip_invalid`); nothing was sent.
    Skipped,
}

impl std::fmt::Display for BatchOutcome {
    /// The outcome's name, as [`BatchOutcome::as_str`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl BatchOutcome {
    /// Every outcome, in the order summaries list them.
    pub const ALL: [BatchOutcome; 6] = [
        BatchOutcome::Completed,
        BatchOutcome::Guardrail,
        BatchOutcome::Stopped,
        BatchOutcome::Failed,
        BatchOutcome::Unknown,
        BatchOutcome::Skipped,
    ];

    /// `completed`, `guardrail`, `stopped`, `failed`, `unknown` or `skipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchOutcome::Completed => "completed",
            BatchOutcome::Guardrail => "guardrail",
            BatchOutcome::Stopped => "stopped",
            BatchOutcome::Failed => "failed",
            BatchOutcome::Unknown => "unknown",
            BatchOutcome::Skipped => "skipped",
        }
    }
}

/// The error that ended a task, as data.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemError {
    /// The SDK's stable code (`task_failed`, `cost_limit`, `outcome_unknown`, `validation`...).
    pub code: String,
    /// The text.
    pub message: String,
    /// The service's own code, when it gave one (e.g. `NAVIGATION_TIMEOUT`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub server_code: Option<String>,
}

impl From<&Error> for ItemError {
    fn from(err: &Error) -> ItemError {
        ItemError {
            code: err.code().to_owned(),
            message: err.to_string(),
            server_code: err.server_code().map(str::to_owned),
        }
    }
}

/// When a task ran, in Unix milliseconds, and how long.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Timings {
    /// When its create was sent (or it was re-attached).
    pub started_at_ms: u64,
    /// When it ended.
    pub ended_at_ms: u64,
    /// `ended - started`, seconds.
    pub duration_secs: f64,
}

/// One task's end, in completion order, tagged with its place in the input.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchItem {
    /// The task's index in the input (0-based).
    pub index: usize,
    /// The caller's id, when the spec gave one.
    pub id: Option<String>,
    /// How it ended.
    pub outcome: BatchOutcome,
    /// The agent's final message (completed).
    pub message: Option<String>,
    /// The agent's question (guardrail).
    pub question: Option<String>,
    /// Usage and cost (as far as known).
    pub usage: Usage,
    /// What went wrong (failed, unknown, skipped, and stopped by a limit).
    pub error: Option<ItemError>,
    /// The session that ran it.
    pub session_id: Option<String>,
    /// The task.
    pub task_id: Option<String>,
    /// When it ran.
    pub timings: Timings,
    /// Whether it was re-attached from the journal (started by an earlier run).
    #[serde(default)]
    pub reattached: bool,
}

impl BatchItem {
    pub(crate) fn new(index: usize, id: Option<String>, outcome: BatchOutcome) -> BatchItem {
        BatchItem {
            index,
            id,
            outcome,
            message: None,
            question: None,
            usage: Usage::default(),
            error: None,
            session_id: None,
            task_id: None,
            timings: Timings::default(),
            reattached: false,
        }
    }

    pub(crate) fn from_result(index: usize, id: Option<String>, result: &TaskResult) -> BatchItem {
        let outcome = match result.outcome {
            Outcome::Completed => BatchOutcome::Completed,
            Outcome::Guardrail => BatchOutcome::Guardrail,
            Outcome::Stopped => BatchOutcome::Stopped,
        };
        BatchItem {
            message: result.message.clone(),
            question: result.question.clone(),
            usage: result.usage.clone(),
            session_id: Some(result.session_id.clone()),
            task_id: Some(result.task_id.clone()),
            ..BatchItem::new(index, id, outcome)
        }
    }

    pub(crate) fn from_error(index: usize, id: Option<String>, err: &Error, outcome: BatchOutcome) -> BatchItem {
        let usage = match err {
            Error::TaskFailed { usage, .. } | Error::CostLimit { usage, .. } => (**usage).clone(),
            _ => Usage::default(),
        };
        BatchItem { usage, error: Some(ItemError::from(err)), ..BatchItem::new(index, id, outcome) }
    }

    /// The cost of the task, 0 when unknown.
    pub fn cost(&self) -> f64 {
        self.usage.cost.unwrap_or(0.0)
    }
}

/// Where a running batch stands.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchProgress {
    /// Tasks in the input.
    pub total: usize,
    /// Tasks ended in this run (any outcome).
    pub done: usize,
    /// Tasks ended failed or unknown in this run.
    pub failed: usize,
    /// Tasks running now.
    pub running: usize,
    /// Tasks not started yet.
    pub queued: usize,
    /// Tasks a journal showed finished by an earlier run (not run again, not reported again).
    pub previously_done: usize,
    /// USD spent: ended tasks plus the running tasks' usage so far.
    pub spent: f64,
    /// The budget, USD.
    pub budget: Option<f64>,
    /// Sessions the runner may hold at once now (lowered on `SESSION_LIMIT_REACHED`).
    pub concurrency: usize,
    /// Seconds since the batch began.
    pub elapsed_secs: f64,
    /// The wait for the key's rate limit under way, if any: nothing starts until it ends (its
    /// `message` says so: `waiting for the rate limit: 10 creates/min, next in 5 s`).
    pub rate_limit_wait: Option<RateLimitWait>,
    /// How many waits for the rate limit began during this batch.
    pub rate_limit_waits: u64,
}

/// A batch's end: what happened to every task, and what it cost.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchSummary {
    /// Tasks in the input.
    pub total: usize,
    /// Tasks ended in this run, per outcome, every outcome listed (in [`BatchOutcome::ALL`]'s
    /// order; serialised with the outcomes' names as keys: `completed`, `guardrail`...).
    pub outcomes: std::collections::BTreeMap<BatchOutcome, usize>,
    /// Tasks finished by an earlier run (from the journal).
    pub previously_done: usize,
    /// Tasks never started (the budget was reached, or the batch was cancelled).
    pub not_started: usize,
    /// Tasks interrupted by cancelling the batch (their sessions terminated; a rerun runs them).
    pub cancelled: usize,
    /// USD spent by the tasks of this run.
    pub spent: f64,
    /// The budget, USD.
    pub budget: Option<f64>,
    /// Whether the budget was reached (running tasks were stopped, no new ones started).
    pub budget_reached: bool,
    /// Whether the batch was cancelled.
    pub was_cancelled: bool,
    /// Wall time, seconds.
    pub wall_secs: f64,
    /// The journal's torn last line (1-based) that was dropped on opening, if there was one.
    pub journal_torn_line: Option<usize>,
    /// The most sessions held at once, and the concurrency at the end.
    pub concurrency_end: usize,
}

impl BatchSummary {
    /// Tasks of this run that ended with `outcome`.
    pub fn count(&self, outcome: BatchOutcome) -> usize {
        self.outcomes.get(&outcome).copied().unwrap_or(0)
    }

    /// True when every task of the input has ended (in this run or an earlier one).
    pub fn complete(&self) -> bool {
        self.not_started == 0 && self.cancelled == 0
    }
}
