//! The tools' arguments: their types and descriptions (the input schemas hosts see, made by
//! schemars) and their reading, which names the argument that is missing, unknown or of the
//! wrong type before anything is sent.

use std::time::Duration;

use enigma::Error;
use rmcp::model::JsonObject;
use rmcp::schemars::{self, JsonSchema};
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// `browser_task`: one task in a session of its own, which ends with it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BrowserTask {
    /// What the agent should do, in plain language.
    pub task_details: String,
    /// The http(s) URL the browser opens first.
    pub starting_url: Option<String>,
    /// The session's time limit in milliseconds (1 to 300000; the service's default is 300000).
    pub max_duration: Option<u64>,
    /// Stop the task when its cost passes this many USD (default: the server's --max-cost).
    pub max_cost: Option<f64>,
    /// How long this call waits for the outcome, in seconds (default 50, the service's own
    /// inline wait). A task still running then is answered as running: poll it with
    /// get_task_status. It goes on either way.
    pub wait_seconds: Option<f64>,
}

/// `create_session`: a session that stays open for more tasks (until control_session
/// terminate, its time limit, or the host disconnecting).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateSession {
    /// An initial task that starts at once (none when absent or empty).
    pub task_details: Option<String>,
    /// The http(s) URL the browser opens first.
    pub starting_url: Option<String>,
    /// The session's time limit in milliseconds (1 to 300000; the service's default is 300000).
    pub max_duration: Option<u64>,
    /// Stop the initial task when its cost passes this many USD.
    pub max_cost: Option<f64>,
}

/// `send_task_to_session`: a new task in an open session.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SendTask {
    /// The session (from create_session).
    pub session_id: String,
    /// What the agent should do, in plain language.
    pub task_details: String,
    /// End the session after this task.
    pub terminate_on_completion: Option<bool>,
    /// Stop the task when its cost passes this many USD (default: the server's --max-cost).
    pub max_cost: Option<f64>,
    /// How long this call waits for the outcome, in seconds (default 50). A task still running
    /// then is answered as running; poll it with get_task_status.
    pub wait_seconds: Option<f64>,
}

/// `get_task_status`: one look at a task.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskIds {
    /// The task's session.
    pub session_id: String,
    /// The task.
    pub task_id: String,
}

/// A state command.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ControlAction {
    /// The agent stops after its current action and waits.
    Pause,
    /// A paused task goes on.
    Resume,
    /// The current task ends; the session stays open for new tasks.
    Stop,
    /// The session ends (final: it stops billing).
    Terminate,
}

/// `control_session`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Control {
    /// The session.
    pub session_id: String,
    /// pause, resume, stop or terminate.
    pub action: ControlAction,
}

/// Manual control of the browser.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TakeOverAction {
    /// A human takes the browser over (the agent pauses).
    Takeover,
    /// The human gives it back (the agent resumes).
    Release,
}

/// `take_over_session`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TakeOver {
    /// The session.
    pub session_id: String,
    /// takeover or release.
    pub action: TakeOverAction,
}

/// `answer_guardrail`: the answer to the agent's question; the same task goes on (or ends).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnswerGuardrail {
    /// The session whose task asked.
    pub session_id: String,
    /// The answer, in plain language.
    pub answer: String,
    /// Whether the task goes on with the answer (default true) or stops.
    pub resume: Option<bool>,
    /// How long this call waits for the task's next outcome, in seconds (default 50).
    pub wait_seconds: Option<f64>,
}

/// `get_recent_events`: what the agent thought and did lately, in a session this server opened.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecentEvents {
    /// The session (one this server opened).
    pub session_id: String,
    /// How many of the latest events (default 20, at most 200).
    pub limit: Option<u32>,
}

/// `get_live_view`: the page where a human watches the browser.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LiveView {
    /// The session (one this server opened).
    pub session_id: String,
}

/// The input schema a host sees for `T`.
pub fn schema<T: JsonSchema + 'static>() -> std::sync::Arc<JsonObject> {
    rmcp::handler::server::common::schema_for_input::<T>()
        .unwrap_or_else(|e| panic!("the input schema of {}: {e}", std::any::type_name::<T>()))
}

/// Reads a call's arguments as `T`: a `validation` error naming the argument that is missing,
/// unknown or of the wrong type.
pub fn read<T: DeserializeOwned>(arguments: JsonObject) -> Result<T, Error> {
    let value = serde_json::Value::Object(arguments);
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner().to_string();
        // A missing or unknown field is named by serde's text; a wrong type by the path.
        let field = match path.as_str() {
            "." => quoted(&inner).unwrap_or_default(),
            _ => path.clone(),
        };
        let reason = match path.as_str() {
            "." => inner,
            _ => format!("{path}: {inner}"),
        };
        Error::Validation { field, reason }
    })
}

/// The first backquoted name in serde's text (``missing field `taskDetails` ``).
fn quoted(text: &str) -> Option<String> {
    let start = text.find('`')? + 1;
    let len = text[start..].find('`')?;
    Some(text[start..start + len].to_owned())
}

/// A core validation error, its field named as the tool's argument (`max_duration` is
/// `maxDuration`).
pub fn as_argument(err: Error) -> Error {
    match err {
        Error::Validation { field, reason } => {
            let argument = enigma::binding::to_camel(&field);
            let reason = reason.replace(&field, &argument);
            Error::Validation { field: argument, reason }
        }
        other => other,
    }
}

/// The session time limit, from milliseconds.
pub fn millis(ms: Option<u64>) -> Option<Duration> {
    ms.map(Duration::from_millis)
}

/// How long a call waits for an outcome: `seconds`, else the service's inline wait (50 s).
pub fn wait_for(seconds: Option<f64>) -> Result<Duration, Error> {
    match seconds {
        None => Ok(DEFAULT_WAIT),
        Some(s) if s.is_finite() && s >= 0.0 => Ok(Duration::from_secs_f64(s.min(MAX_WAIT.as_secs_f64()))),
        Some(s) => Err(Error::Validation {
            field: "waitSeconds".into(),
            reason: format!("waitSeconds must be a number of seconds, 0 or more, got {s}"),
        }),
    }
}

/// A cost ceiling given in a call.
pub fn cost(max_cost: Option<f64>) -> Result<Option<f64>, Error> {
    match max_cost {
        Some(c) if !(c.is_finite() && c > 0.0) => Err(Error::Validation {
            field: "maxCost".into(),
            reason: format!("maxCost must be a positive number of USD, got {c}"),
        }),
        other => Ok(other),
    }
}

/// The service's inline wait: how long a call waits by default.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(50);
/// The longest a call may ask to wait (a host's own timeout usually comes first).
pub const MAX_WAIT: Duration = Duration::from_secs(600);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn args(value: serde_json::Value) -> JsonObject {
        value.as_object().cloned().unwrap_or_default()
    }

    fn field(err: Error) -> String {
        match err {
            Error::Validation { field, .. } => field,
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn a_missing_unknown_or_mistyped_argument_is_named() {
        let missing = read::<BrowserTask>(args(json!({"startingUrl": "https://a.example"}))).unwrap_err();
        assert_eq!(field(missing), "taskDetails");
        let mistyped = read::<BrowserTask>(args(json!({"taskDetails": "x", "maxDuration": "soon"}))).unwrap_err();
        assert_eq!(field(mistyped), "maxDuration");
        let unknown = read::<SendTask>(args(json!({"sessionId": "a", "taskDetails": "x", "task_details": "y"})));
        assert_eq!(field(unknown.unwrap_err()), "task_details");
        let action = read::<Control>(args(json!({"sessionId": "a", "action": "explode"}))).unwrap_err();
        assert_eq!(field(action), "action");
        let ok = read::<Control>(args(json!({"sessionId": "a", "action": "pause"}))).unwrap();
        assert!(matches!(ok.action, ControlAction::Pause));
    }

    #[test]
    fn the_core_s_field_names_become_the_arguments() {
        let err =
            Error::Validation { field: "max_duration".into(), reason: "max_duration must be at most 300000 ms".into() };
        match as_argument(err) {
            Error::Validation { field, reason } => {
                assert_eq!(field, "maxDuration");
                assert!(reason.starts_with("maxDuration "), "{reason}");
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn schemas_carry_types_descriptions_and_required_arguments() {
        let send = serde_json::Value::Object((*schema::<SendTask>()).clone());
        assert_eq!(send["required"], json!(["sessionId", "taskDetails"]));
        assert_eq!(send["properties"]["terminateOnCompletion"]["type"], json!(["boolean", "null"]));
        assert!(send["properties"]["taskDetails"]["description"].as_str().is_some_and(|d| !d.is_empty()));
        let control = serde_json::Value::Object((*schema::<Control>()).clone());
        assert!(control.to_string().contains("terminate"), "{control}");
    }
}
