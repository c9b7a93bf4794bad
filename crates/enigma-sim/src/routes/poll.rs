//! `GET /task/:sessionId/:taskId`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;

use super::respond;
use crate::auth;
use crate::errors::ApiError;
use crate::responses::poll_body;
use crate::state::AppState;

/// Answers a task's current state. No key needed; with a valid key, another key's session is 404.
pub(crate) async fn poll(
    State(state): State<Arc<AppState>>,
    Path((session_id, task_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let key = auth::bearer(&headers).filter(|k| auth::check_key(k).is_ok());
    respond(poll_answer(&state, key.as_deref(), &session_id, &task_id))
}

/// A poll's answer (also the MCP `get_task_status` tool's).
pub(super) fn poll_answer(
    state: &AppState,
    key: Option<&str>,
    session_id: &str,
    task_id: &str,
) -> Result<Value, ApiError> {
    let (inner, now) = state.advance();
    let session = inner
        .sessions
        .get(session_id)
        .filter(|s| key.is_none_or(|k| k == s.key))
        .ok_or_else(|| ApiError::session_not_found(session_id))?;
    let task = inner
        .tasks
        .get(task_id)
        .filter(|t| t.session_id == session_id)
        .ok_or_else(|| ApiError::task_not_found(task_id))?;
    let mut body = poll_body(task, now, inner.extras, inner.variants);
    if session.manual_control && task.is_running() && body.get("pending").is_some() {
        inner.extras.paused(&mut body);
    }
    Ok(body)
}
