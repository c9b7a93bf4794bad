//! The timeline's data: tasks as bars over time, events as marks on them, the session's
//! commands as lines, the spend as a curve. Times are seconds from the start of what was read.

use serde::Serialize;

/// A picture of a run: one session (a recording, a live session, a result) or a batch (its
/// journal, its items). Build it with [`Timeline::from_file`], [`Timeline::from_recording`],
/// [`Timeline::from_journal`], `Session::timeline`, [`Timeline::from_result`] or
/// [`Timeline::from_batch_items`]; show it with [`Timeline::to_html_page`] or
/// [`Timeline::to_html`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Timeline {
    /// What the picture shows, e.g. `Session a1b2c3d4e5f6` or `Batch journal`.
    pub title: String,
    /// Where it came from: `recording`, `session`, `result`, `journal` or `batch`.
    pub source: String,
    /// Wall-clock time of its start (RFC 3339), when known.
    pub started_at: Option<String>,
    /// Seconds from the start to the last thing seen.
    pub duration: f64,
    /// The tasks, in the order they started.
    pub tasks: Vec<TaskBar>,
    /// What happened to the session rather than a task: its end, an instance lost, an HTTP
    /// error, a truncated recording.
    pub marks: Vec<Mark>,
    /// The commands sent to the session (pause, resume, stop, terminate, guardrail answers,
    /// interactions).
    pub commands: Vec<CommandLine>,
    /// USD spent so far, at each moment it changed (the sum of every task's latest cost).
    pub spend: Vec<SpendPoint>,
    /// The batch's budget, USD.
    pub budget: Option<f64>,
}

/// One task: a bar from its start to its end.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskBar {
    /// The task id, once known.
    pub id: Option<String>,
    /// The session that ran it.
    pub session_id: Option<String>,
    /// What the agent was asked (or, from a journal, the caller's id or the input's index).
    pub text: String,
    /// Seconds from the start.
    pub start: f64,
    /// Seconds from the start; `None` while it runs.
    pub end: Option<f64>,
    /// `running`, `completed`, `guardrail`, `failed`, `stopped`, `terminated`, `unknown` or
    /// `skipped`.
    pub outcome: String,
    /// Its latest known cost, USD.
    pub cost: Option<f64>,
    /// Its events.
    pub marks: Vec<Mark>,
}

/// One event at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mark {
    /// Seconds from the start.
    pub t: f64,
    /// What kind of event it was.
    pub kind: MarkKind,
    /// What it said.
    pub text: String,
}

/// The kinds of [`Mark`]s; guardrails and errors are the ones a picture highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MarkKind {
    /// The agent's reasoning.
    Agent,
    /// A browser action.
    Action,
    /// A progress message.
    Update,
    /// A question for a human.
    Guardrail,
    /// A failure, an HTTP error.
    Error,
    /// How a task ended.
    Outcome,
    /// Something of the session: its end, its instance, a truncated recording.
    Session,
}

impl MarkKind {
    /// The kind's name, as serialised (`agent`, `action`, `update`, `guardrail`, `error`,
    /// `outcome`, `session`).
    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Agent => "agent",
            MarkKind::Action => "action",
            MarkKind::Update => "update",
            MarkKind::Guardrail => "guardrail",
            MarkKind::Error => "error",
            MarkKind::Outcome => "outcome",
            MarkKind::Session => "session",
        }
    }
}

/// A command sent to the session.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandLine {
    /// Seconds from the start.
    pub t: f64,
    /// `pause`, `resume`, `stop`, `terminate`, `guardrail` or `interaction`.
    pub name: String,
    /// The answer of a guardrail, the kind of an interaction.
    pub detail: Option<String>,
}

/// The spend at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpendPoint {
    /// Seconds from the start.
    pub t: f64,
    /// USD spent so far.
    pub usd: f64,
}

impl Timeline {
    /// Total USD spent (the curve's last point).
    pub fn spent(&self) -> f64 {
        self.spend.last().map_or(0.0, |p| p.usd)
    }

    /// The model as JSON (camelCase keys), for a program that draws its own picture.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}
