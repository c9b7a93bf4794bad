//! What the tools answer: JSON text in the CLI's camelCase, an error as an MCP tool error
//! (`isError: true`) carrying the SDK's error code and message. Nothing here can hold the API
//! key: answers are built from results, statuses and error payloads, which never carry it.

use enigma::{Error, ErrorPayload, TaskResult};
use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::{Value, json};

use super::guard::{Ended, Seen};
use crate::output::camel;

/// A successful answer.
pub fn ok(value: Value) -> CallToolResult {
    CallToolResult::success(vec![ContentBlock::text(text(&value))])
}

/// A tool error from the SDK's error.
pub fn error(err: &Error) -> CallToolResult {
    failure(err.payload())
}

/// A tool error from an error payload: `{"error": {"code", "message", ...}}`.
pub fn failure(payload: ErrorPayload) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(text(&json!({ "error": camel(&payload) })))])
}

/// A task's outcome, or where it stands when the call stopped waiting.
pub fn seen(seen: Seen, session_id: &str, task_id: Option<&str>, extra: Value) -> CallToolResult {
    match seen {
        Seen::Ended(ended) => outcome(*ended, extra),
        Seen::Running => ok(merge(
            json!({
                "status": "running",
                "sessionId": session_id,
                "taskId": task_id,
                "message": "The task is still running: poll it with get_task_status (or read get_recent_events).",
            }),
            extra,
        )),
        Seen::Cancelled => error(&Error::Cancelled),
    }
}

/// A guarded task's end: its result (a question is a result too), or its error.
pub fn outcome(ended: Ended, extra: Value) -> CallToolResult {
    match ended {
        Ok(result) => ok(merge(result_json(&result), extra)),
        Err(payload) => failure(*payload),
    }
}

/// A result without its raw body, plus what to do next on a question.
fn result_json(result: &TaskResult) -> Value {
    let mut value = camel(result);
    if let Some(map) = value.as_object_mut() {
        map.remove("raw");
        map.insert("status".into(), json!(result.outcome.as_str()));
        if result.outcome == enigma::Outcome::Guardrail {
            map.insert(
                "next".into(),
                json!("The agent asks a question: answer it with answer_guardrail (the task then goes on)."),
            );
        }
    }
    value
}

/// `base` with the fields of `extra` (an object) added.
pub fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(map), Value::Object(extra)) = (base.as_object_mut(), extra) {
        for (k, v) in extra {
            if !v.is_null() {
                map.insert(k, v);
            }
        }
    }
    base
}

fn text(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(answer: &CallToolResult) -> Value {
        let text = answer.content[0].as_text().map(|t| t.text.clone()).unwrap_or_default();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn an_error_is_a_tool_error_with_the_sdk_s_code_and_message() {
        let answer =
            error(&Error::Validation { field: "taskDetails".into(), reason: "missing field `taskDetails`".into() });
        assert_eq!(answer.is_error, Some(true));
        let body = body(&answer);
        assert_eq!(body["error"]["code"], "validation");
        assert_eq!(body["error"]["field"], "taskDetails");
        assert!(body["error"]["message"].as_str().unwrap().contains("taskDetails"));
    }

    #[test]
    fn a_running_task_says_how_to_go_on() {
        let answer = seen(Seen::Running, "abcdefabcdef", Some("123456123456"), json!({"liveViewUrl": "http://x/v"}));
        assert_eq!(answer.is_error, Some(false));
        let body = body(&answer);
        assert_eq!((body["status"].as_str(), body["taskId"].as_str()), (Some("running"), Some("123456123456")));
        assert_eq!(body["liveViewUrl"], "http://x/v");
    }
}
