//! The single classifier (contract §2.4): the one place that turns a task-bearing JSON body
//! (an inline newTask/run-task answer, a poll, or a socket event) into a [`TaskState`].

use serde::Serialize;
use serde_json::Value;

use super::error::Error;
use super::usage::Usage;

/// Where a task stands, as one body told it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum TaskState {
    /// Still running (or queued, or paused: `paused` says which).
    Running {
        /// The service reported the task as paused.
        paused: bool,
    },
    /// Finished; `message` is the agent's answer.
    Completed {
        /// The agent's final message.
        message: String,
        /// When it finished (ISO 8601), if the service said.
        completed_at: Option<String>,
    },
    /// The agent needs a human: answer with `Session::answer_guardrail`.
    Guardrail {
        /// The agent's question.
        question: String,
    },
    /// The agent failed.
    Failed {
        /// The service's code, e.g. `NAVIGATION_TIMEOUT` (`UNKNOWN` if none was given).
        code: String,
        /// The service's error text.
        error: String,
    },
    /// Ended by a `stop` command.
    Stopped,
    /// The session ended under the task.
    Terminated,
}

impl TaskState {
    /// The state's name: `running`, `completed`, `guardrail`, `failed`, `stopped` or
    /// `terminated` (the `state` field of its JSON form; what the bindings show).
    pub fn name(&self) -> &'static str {
        match self {
            TaskState::Running { .. } => "running",
            TaskState::Completed { .. } => "completed",
            TaskState::Guardrail { .. } => "guardrail",
            TaskState::Failed { .. } => "failed",
            TaskState::Stopped => "stopped",
            TaskState::Terminated => "terminated",
        }
    }

    /// True for every state but `Running`. (A guardrail is final for a wait: it needs a human.)
    pub fn is_final(&self) -> bool {
        !matches!(self, TaskState::Running { .. })
    }
}

/// One classified body: the state, the merged usage and the body itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskStatus {
    /// Where the task stands.
    pub state: TaskState,
    /// Usage so far (or in total on a final answer).
    pub usage: Usage,
    /// The body this was read from, untouched.
    pub raw: Value,
}

/// Classifies any task-bearing body, in the contract's order: guardrail, completed, failed,
/// stopped, terminated, pending. Anything else is a decode error naming the body.
pub fn classify(body: &Value) -> Result<TaskStatus, Error> {
    let state = classify_state(body).ok_or_else(|| {
        Error::decode(
            "the body is not a task answer the SDK knows (not completed, guardrail, failed, stopped, terminated or pending)",
            body,
        )
    })?;
    tracing::debug!(state = ?state, "classified the task answer");
    Ok(TaskStatus { state, usage: Usage::from_body(body), raw: body.clone() })
}

/// The status of a body that tells how a task ended (or that it asks a human), else `None`:
/// what the live pump remembers and what a wait acts on.
pub(crate) fn final_status(body: &Value) -> Option<TaskStatus> {
    classify(body).ok().filter(|status| status.state.is_final())
}

fn classify_state(body: &Value) -> Option<TaskState> {
    let result = body.get("result").filter(|r| r.is_object());
    let ty = str_at(body, "type");
    let result_ty = result.and_then(|r| str_at(r, "type"));
    let status = str_at(body, "status");
    let data = body.get("data").or_else(|| result.and_then(|r| r.get("data")));
    let is = |name: &str| ty == Some(name) || result_ty == Some(name);

    if is("guardrail_trigger") {
        let question = data.and_then(|d| str_at(d, "value").or_else(|| str_at(d, "message"))).unwrap_or_default();
        return Some(TaskState::Guardrail { question: question.to_owned() });
    }
    let result_is_untyped_data = result.is_some_and(|r| r.get("data").is_some() && r.get("type").is_none());
    if is("task_completed") || matches!(status, Some("complete" | "completed")) || result_is_untyped_data {
        let message = data.and_then(|d| str_at(d, "message")).unwrap_or_default();
        let completed_at = str_at(body, "completedAt").map(str::to_owned);
        return Some(TaskState::Completed { message: message.to_owned(), completed_at });
    }
    if body.get("success") == Some(&Value::Bool(false))
        || status == Some("failed")
        || matches!(ty, Some("failed" | "error"))
    {
        let code = str_at(body, "code").unwrap_or("UNKNOWN").to_owned();
        let error = str_at(body, "error").or_else(|| str_at(body, "message")).unwrap_or("the task failed").to_owned();
        return Some(TaskState::Failed { code, error });
    }
    match status {
        Some("stopped") => return Some(TaskState::Stopped),
        Some("terminated") => return Some(TaskState::Terminated),
        _ => {}
    }
    if body.get("pending") == Some(&Value::Bool(true)) || matches!(status, Some("pending" | "active" | "running")) {
        let paused = body.get("paused") == Some(&Value::Bool(true)) || status == Some("paused");
        return Some(TaskState::Running { paused });
    }
    None
}

fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state(body: Value) -> TaskState {
        classify(&body).expect("classifies").state
    }

    #[test]
    fn every_documented_variant_is_classified() {
        // Poll shapes (§2.4).
        assert_eq!(
            state(json!({"success":true,"status":"active","pending":true,"usage":{"cost":0.1}})),
            TaskState::Running { paused: false }
        );
        assert_eq!(
            state(json!({"success":true,"status":"active","pending":true,"paused":true})),
            TaskState::Running { paused: true }
        );
        assert_eq!(
            state(
                json!({"success":true,"type":"task_completed","data":{"message":"done"},"completedAt":"2026-01-01T00:00:00Z"})
            ),
            TaskState::Completed { message: "done".into(), completed_at: Some("2026-01-01T00:00:00Z".into()) }
        );
        assert_eq!(
            state(
                json!({"success":true,"type":"guardrail_trigger","data":{"type":"human_input_needed","value":"Login?"}})
            ),
            TaskState::Guardrail { question: "Login?".into() }
        );
        assert_eq!(
            state(json!({"success":false,"status":"failed","error":"Timed out","code":"NAVIGATION_TIMEOUT"})),
            TaskState::Failed { code: "NAVIGATION_TIMEOUT".into(), error: "Timed out".into() }
        );
        assert_eq!(state(json!({"success":true,"status":"terminated","pending":false})), TaskState::Terminated);
        assert_eq!(state(json!({"success":true,"status":"stopped","pending":false})), TaskState::Stopped);
        // Inline shapes (§2.2), with and without `status`/`type`.
        assert!(matches!(
            state(
                json!({"success":true,"status":"complete","result":{"type":"task_completed","data":{"message":"x"}}})
            ),
            TaskState::Completed { .. }
        ));
        assert!(matches!(
            state(json!({"success":true,"taskId":"t","result":{"type":"task_completed","data":{"message":"x"}}})),
            TaskState::Completed { .. }
        ));
        assert!(matches!(
            state(json!({"success":true,"result":{"data":{"message":"x"}}})),
            TaskState::Completed { .. }
        ));
        assert_eq!(state(json!({"success":true,"pending":true,"pollUrl":"u"})), TaskState::Running { paused: false });
        assert_eq!(state(json!({"success":true,"status":"pending"})), TaskState::Running { paused: false });
        // Guardrail during the inline wait: pending shape plus a guardrail result (§8.1).
        assert_eq!(
            state(
                json!({"success":true,"status":"pending","pending":true,"result":{"type":"guardrail_trigger","data":{"value":"Which size?"}}})
            ),
            TaskState::Guardrail { question: "Which size?".into() }
        );
        // Socket events (§4).
        assert!(
            matches!(state(json!({"type":"error","error":"boom","code":"PAGE_CRASH"})), TaskState::Failed { code, .. } if code == "PAGE_CRASH")
        );
        assert!(matches!(
            state(json!({"type":"task_completed","taskId":"t","data":{"message":"m"},"usage":{"cost":1.0}})),
            TaskState::Completed { .. }
        ));
    }

    #[test]
    fn unknown_shapes_are_decode_errors_naming_the_body() {
        let err = classify(&json!({"success":true,"weird":1})).unwrap_err();
        assert_eq!(err.code(), "decode");
        assert!(err.to_string().contains("weird"), "{err}");
        assert_eq!(classify(&json!("text")).unwrap_err().code(), "decode");
    }
}
