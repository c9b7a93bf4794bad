//! Values as the bindings show them: a core value's serde form (flat where the Rust type is an
//! enum), with its keys spelled as the language spells them. The service's own JSON (`raw`, an
//! unknown event's `payload`, an error's `details`) is passed on as it came.

use serde::Serialize;
use serde_json::{Map, Value};

use super::classify::{TaskState, TaskStatus};
use super::error::Error;
use super::event::Event;
use super::missing_key;
use super::spelling::{DURATIONS, Spelling};
use super::usage::Usage;

/// One look at a task (a poll), flat: `state` is `running` (`paused` says if paused),
/// `completed`, `guardrail`, `failed`, `stopped` or `terminated`; every state's fields are there,
/// null (or `paused: false`) where the state has none.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", schemars(rename = "TaskStatus"))]
pub struct StatusView<'a> {
    /// The state's name.
    pub state: &'static str,
    /// Running, and paused (or under manual control).
    pub paused: bool,
    /// The agent's answer (completed).
    pub message: Option<&'a str>,
    /// The agent's question (guardrail).
    pub question: Option<&'a str>,
    /// The service's failure code (failed), e.g. `NAVIGATION_TIMEOUT`.
    pub error_code: Option<&'a str>,
    /// The service's failure text (failed).
    pub error: Option<&'a str>,
    /// When it completed (completed), ISO 8601.
    pub completed_at: Option<&'a str>,
    /// True for every state but `running`: the task is over (the core's `TaskState::is_final`).
    pub done: bool,
    /// Usage so far.
    pub usage: &'a Usage,
    /// The body the status was read from.
    pub raw: &'a Value,
}

impl TaskStatus {
    /// The flat form the bindings show.
    pub fn view(&self) -> StatusView<'_> {
        let mut view = StatusView {
            state: self.state.name(),
            paused: false,
            message: None,
            question: None,
            error_code: None,
            error: None,
            completed_at: None,
            done: self.state.is_final(),
            usage: &self.usage,
            raw: &self.raw,
        };
        match &self.state {
            TaskState::Running { paused } => view.paused = *paused,
            TaskState::Completed { message, completed_at } => {
                view.message = Some(message);
                view.completed_at = completed_at.as_deref();
            }
            TaskState::Guardrail { question } => view.question = Some(question),
            TaskState::Failed { code, error } => {
                view.error_code = Some(code);
                view.error = Some(error);
            }
            TaskState::Stopped | TaskState::Terminated => {}
        }
        view
    }
}

/// `value`'s serde form with object keys in `spelling` (nested objects too, but never inside a
/// `raw`, `payload` or `details` field, which is the service's JSON), durations in the
/// spelling's unit.
pub fn spelled<T: Serialize>(value: &T, spelling: Spelling) -> Value {
    respell(serde_json::to_value(value).unwrap_or(Value::Null), spelling)
}

/// A live event as the bindings show it: [`spelled`], its `type` too (`task_completed` is
/// `taskCompleted` in Node).
pub fn spelled_event(event: &Event, spelling: Spelling) -> Value {
    let mut value = spelled(event, spelling);
    if let Some(Value::String(kind)) = value.get_mut("type") {
        *kind = spelling.spell(kind);
    }
    value
}

/// An error as the bindings hand it over: its one payload ([`Error::payload`]), [`spelled`]. A
/// validation error's field is left as it is: it names the key as the caller wrote it (the
/// option reading, `parse.rs`, names it so; a key of the other spelling, `max_duration` in
/// Node, is named as written, not renamed into the one it resembles). A missing key's message
/// shows the simulator's line in the caller's language.
pub fn spelled_error(err: &Error, spelling: Spelling) -> Value {
    let mut payload = err.payload();
    if let Error::MissingApiKey = err {
        payload.message = missing_key::for_spelling(spelling);
    }
    spelled(&payload, spelling)
}

/// Whether JSON text carries every number in `value` to JavaScript exactly: `JSON.parse` rounds
/// an integer beyond 2^53 - 1 (napi's property-by-property conversion makes it a `BigInt`). The
/// Node binding hands data over as one JSON text when this holds, the faster way.
pub fn exact_as_js_numbers(value: &Value) -> bool {
    const MAX_SAFE: u64 = (1 << 53) - 1;
    match value {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u <= MAX_SAFE,
            (None, Some(i)) => i.unsigned_abs() <= MAX_SAFE,
            _ => true,
        },
        Value::Array(items) => items.iter().all(exact_as_js_numbers),
        Value::Object(fields) => fields.values().all(exact_as_js_numbers),
        _ => true,
    }
}

fn respell(value: Value, spelling: Spelling) -> Value {
    match value {
        Value::Object(map) if spelling != Spelling::Snake => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v.as_f64()) {
                        ("raw" | "payload" | "details", _) => v,
                        // A duration: seconds here, milliseconds in Node (`...Ms`).
                        (name, Some(secs)) if DURATIONS.contains(&name) => Value::from(secs * 1000.0),
                        _ => respell(v, spelling),
                    };
                    (spelling.spell(&k), v)
                })
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| respell(v, spelling)).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::error::{ApiErrorDetails, ApiErrorKind, RateLimitInfo};

    #[test]
    fn numbers_past_2_pow_53_are_not_exact_in_javascript() {
        let max_safe = (1u64 << 53) - 1;
        assert!(exact_as_js_numbers(&json!({"a": [1, -2.5, max_safe, -(max_safe as i64)], "b": "x"})));
        assert!(!exact_as_js_numbers(&json!({"a": {"deep": [max_safe + 1]}})));
        assert!(!exact_as_js_numbers(&json!([-(max_safe as i64) - 1])));
    }

    #[test]
    fn a_status_is_flat_and_spelled_per_language_with_raw_untouched() {
        let raw = json!({"status": "failed", "error_code": "X", "some_key": 1});
        let status = TaskStatus {
            state: TaskState::Failed { code: "X".into(), error: "broke".into() },
            usage: Usage { input_tokens: Some(3), ..Usage::default() },
            raw: raw.clone(),
        };
        let node = spelled(&status.view(), Spelling::Camel);
        assert_eq!(node["state"], "failed");
        assert_eq!(node["errorCode"], "X");
        assert_eq!(node["paused"], false);
        assert_eq!(node["usage"]["inputTokens"], 3);
        assert_eq!(node["raw"], raw);
        let settings = super::super::settings::ClientSettings {
            request_timeout: Some(std::time::Duration::from_millis(200)),
            ..Default::default()
        };
        assert_eq!(spelled(&settings, Spelling::Camel)["requestTimeoutMs"], 200.0);
        assert_eq!(spelled(&settings, Spelling::Snake)["request_timeout"], 0.2);
        let python = spelled(&status.view(), Spelling::Snake);
        assert_eq!(python["error_code"], "X");
        assert_eq!(python["message"], Value::Null);
    }

    #[test]
    fn an_event_is_spelled_per_language_with_the_service_json_untouched() {
        let done = Event::from_socket(
            "message",
            json!({"type": "task_completed", "taskId": "t1", "snake_key": 1, "data": {"usage": {"inputTokens": 2}}}),
        );
        let node = spelled_event(&done, Spelling::Camel);
        assert_eq!(node["type"], "taskCompleted");
        assert_eq!(node["taskId"], "t1");
        assert_eq!(node["usage"]["inputTokens"], 2);
        assert_eq!(node["raw"]["snake_key"], 1);
        let python = spelled_event(&done, Spelling::Snake);
        assert_eq!(python, done.to_json());
        assert_eq!(python["type"], "task_completed");

        let unknown = Event::from_socket("sim:custom_thing", json!({"some_key": {"inner_key": 1}}));
        let node = spelled_event(&unknown, Spelling::Camel);
        assert_eq!(node["type"], "raw");
        assert_eq!(node["payload"], json!({"some_key": {"inner_key": 1}}));
        let lost = Event::from_socket("instance:disconnected", json!({"gracePeriod": 5}));
        assert_eq!(spelled_event(&lost, Spelling::Camel)["gracePeriodMs"], 5);
    }

    #[test]
    fn an_error_is_spelled_per_language_with_the_service_details_untouched() {
        // A validation error's field is the key as the caller wrote it: never renamed on the way.
        let invalid = Error::Validation { field: "max_duration".into(), reason: "is not an option here".into() };
        let node = spelled_error(&invalid, Spelling::Camel);
        assert_eq!(node["code"], "validation");
        assert_eq!(node["field"], "max_duration");
        assert_eq!(node["message"], "invalid max_duration: is not an option here");
        let python = spelled_error(&invalid, Spelling::Snake);
        assert_eq!(python, serde_json::to_value(invalid.payload()).unwrap());
        let env = Error::validation("ENIGMA_MAX_RETRIES", "must be a whole number");
        assert_eq!(spelled_error(&env, Spelling::Camel)["field"], "ENIGMA_MAX_RETRIES");

        let limited = Error::Api {
            kind: ApiErrorKind::RateLimited,
            details: Box::new(ApiErrorDetails {
                status: 429,
                server_code: None,
                message: "slow down".into(),
                details: Some(json!({"snake_key": 1})),
                balance: None,
                retry_after: None,
                rate_limit: Some(RateLimitInfo { remaining: Some(0), ..RateLimitInfo::default() }),
                body: String::new(),
            }),
        };
        let node = spelled_error(&limited, Spelling::Camel);
        assert_eq!(node["rateLimit"]["remaining"], 0);
        assert_eq!(node["details"], json!({"snake_key": 1}));
    }

    #[test]
    fn a_missing_key_says_how_to_get_going_in_the_callers_language() {
        let rust = Error::MissingApiKey.to_string();
        let python = spelled_error(&Error::MissingApiKey, Spelling::Snake)["message"].as_str().unwrap().to_owned();
        let node = spelled_error(&Error::MissingApiKey, Spelling::Camel)["message"].as_str().unwrap().to_owned();
        for message in [&rust, &python, &node] {
            assert!(message.starts_with("no API key: set ENIGMA_API_KEY"), "{message}");
            assert!(message.contains("offline on the built-in simulator"), "{message}");
        }
        assert!(rust.contains("enigma_sim::Simulator::start") && rust.contains("enigma run"), "{rust}");
        assert!(python.contains("from enigma.testing import Simulator") && !python.contains("enigma_sim"), "{python}");
        assert!(node.contains("startSimulator") && !node.contains("enigma.testing"), "{node}");
        assert_eq!(spelled_error(&Error::MissingApiKey, Spelling::Camel)["code"], "authentication");
    }
}
