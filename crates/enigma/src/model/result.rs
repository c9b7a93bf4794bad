//! What a finished wait returns.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::classify::{TaskState, TaskStatus};
use super::error::Error;
use super::usage::Usage;

/// How a task ended, from the waiter's point of view. A failure is not an outcome but an error
/// (`task_failed`: [`Error::TaskFailed`]), and so is the session ending under the task
/// (`session_ended`: [`Error::SessionEnded`]).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The agent finished; `message` holds its answer.
    Completed,
    /// The agent asks a human; `question` holds the question. Answer it on the session
    /// ([`Session::answer_guardrail`](crate::Session::answer_guardrail)) and wait again.
    Guardrail,
    /// The task was stopped.
    Stopped,
}

impl Outcome {
    /// `completed`, `guardrail` or `stopped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Guardrail => "guardrail",
            Outcome::Stopped => "stopped",
        }
    }
}

impl std::fmt::Display for Outcome {
    /// `completed`, `guardrail` or `stopped`, as [`Outcome::as_str`].
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// How a task ended, as a wait returns it: `outcome` is `completed` (see `message`), `guardrail`
/// (the agent asks `question`: answer it on the session and wait again) or `stopped`. A failure
/// is not a result but an error (`task_failed`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// How it ended.
    pub outcome: Outcome,
    /// The agent's final message (completed).
    pub message: Option<String>,
    /// The agent's question (guardrail).
    pub question: Option<String>,
    /// Usage and cost.
    pub usage: Usage,
    /// The session.
    pub session_id: String,
    /// The task.
    pub task_id: String,
    /// When it completed (ISO 8601), when the service said.
    pub completed_at: Option<String>,
    /// The body the result was read from.
    pub raw: Value,
}

impl TaskResult {
    /// Turns a final status into the wait's answer: an outcome, or the error a failure or a
    /// session end is. `None` for a running task.
    pub(crate) fn from_status(
        status: TaskStatus,
        session_id: &str,
        task_id: &str,
    ) -> Option<Result<TaskResult, Error>> {
        let make = |outcome, message, question, completed_at| TaskResult {
            outcome,
            message,
            question,
            usage: status.usage.clone(),
            session_id: session_id.to_owned(),
            task_id: task_id.to_owned(),
            completed_at,
            raw: status.raw.clone(),
        };
        Some(match &status.state {
            TaskState::Running { .. } => return None,
            TaskState::Completed { message, completed_at } => {
                Ok(make(Outcome::Completed, Some(message.clone()), None, completed_at.clone()))
            }
            TaskState::Guardrail { question } => Ok(make(Outcome::Guardrail, None, Some(question.clone()), None)),
            TaskState::Stopped => Ok(make(Outcome::Stopped, None, None, None)),
            TaskState::Failed { code, error } => Err(Error::TaskFailed {
                session_id: session_id.to_owned(),
                task_id: task_id.to_owned(),
                server_code: code.clone(),
                message: error.clone(),
                usage: Box::new(status.usage.clone()),
            }),
            TaskState::Terminated => {
                Err(Error::SessionEnded { session_id: session_id.to_owned(), task_id: Some(task_id.to_owned()) })
            }
        })
    }
}
