//! What each tool does: the same work and the same answers as the REST endpoint it stands for
//! (rate limited alike), for one MCP connection's key. Sessions it opens are recorded so the
//! connection can end them when it closes.

use std::sync::{Arc, Mutex};

use serde_json::{Map, Value, json};

use super::super::poll::poll_answer;
use super::super::session::started_answer;
use super::super::wait;
use crate::commands::MessageOutcome;
use crate::errors::ApiError;
use crate::state::AppState;
use crate::validate::task_request;

/// The sessions one MCP connection opened.
pub(crate) type Opened = Arc<Mutex<Vec<String>>>;

/// The REST endpoint a tool stands for: its rate-limit budget.
fn endpoint_of(tool: &str) -> Option<&'static str> {
    match tool {
        "browser_task" => Some("POST /start/run-task"),
        "create_session" => Some("POST /start/start-session"),
        "send_task_to_session" | "control_session" | "take_over_session" => Some("POST /start/send-message"),
        _ => None,
    }
}

/// Runs a tool whose arguments were checked; the answer or the service's error.
pub(crate) async fn run(
    state: &Arc<AppState>,
    key: &str,
    opened: &Opened,
    tool: &str,
    args: &Map<String, Value>,
) -> Result<Value, ApiError> {
    if let Some(endpoint) = endpoint_of(tool) {
        rate_limit(state, key, endpoint)?;
    }
    let text = |name: &str| args.get(name).and_then(Value::as_str).unwrap_or_default().to_string();
    match tool {
        "browser_task" | "create_session" => {
            let one_shot = tool == "browser_task";
            let req = task_request(args, one_shot)?;
            let (session_id, task_id, balance) = state.create_session(key, &req, one_shot)?;
            lock(opened).push(session_id.clone());
            match (one_shot, task_id) {
                (true, Some(task_id)) => Ok(wait::inline(state, &task_id).await),
                (_, task_id) => Ok(started_answer(state, &req, &session_id, task_id.as_deref(), balance)),
            }
        }
        "send_task_to_session" => {
            let mut message = args.clone();
            message.remove("sessionId");
            message.insert("actionType".into(), json!("newTask"));
            message.insert("newState".into(), json!("start"));
            match state.apply_message(Some(key), &text("sessionId"), &message)? {
                MessageOutcome::NewTask { task_id } => Ok(wait::inline(state, &task_id).await),
                MessageOutcome::Ack => Ok(ack()),
            }
        }
        "get_task_status" => poll_answer(state, Some(key), &text("sessionId"), &text("taskId")),
        "control_session" => {
            let message = json!({ "actionType": "state", "newState": text("action") });
            command(state, key, &text("sessionId"), message)
        }
        "take_over_session" => {
            let kind = if text("action") == "takeover" { "takeOverControl" } else { "releaseControl" };
            let message = json!({ "actionType": "interaction", "action": { "type": kind } });
            command(state, key, &text("sessionId"), message)
        }
        other => Err(ApiError::invalid_param("name", &format!("unknown tool {other:?}"))),
    }
}

fn command(state: &AppState, key: &str, session_id: &str, message: Value) -> Result<Value, ApiError> {
    let Value::Object(message) = message else { unreachable!("built as an object") };
    state.apply_message(Some(key), session_id, &message).map(|_| ack())
}

fn ack() -> Value {
    json!({ "success": true, "message": "Message sent successfully" })
}

/// The POST endpoints' rate limit, on the tool's endpoint.
fn rate_limit(state: &AppState, key: &str, endpoint: &str) -> Result<(), ApiError> {
    let mut inner = state.lock();
    match inner.rate.check(key, endpoint).and_then(|info| info.retry_after) {
        Some(retry_after) => {
            inner.stats.rate_limited += 1;
            Err(ApiError::rate_limited(retry_after))
        }
        None => Ok(()),
    }
}

pub(crate) fn lock(opened: &Opened) -> std::sync::MutexGuard<'_, Vec<String>> {
    opened.lock().unwrap_or_else(|e| e.into_inner())
}
