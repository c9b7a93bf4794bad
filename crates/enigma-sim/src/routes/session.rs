//! `POST /start/start-session` and `POST /start/run-task`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{limited, respond, wait};
use crate::errors::ApiError;
use crate::state::AppState;
use crate::validate::{TaskRequest, parse_body, task_request};

/// Default session lifetime, ms, echoed as `expiresIn`.
const DEFAULT_EXPIRES_MS: f64 = 300_000.0;

/// Creates a session, with an initial task when `taskDetails` is non-empty.
pub(crate) async fn start_session(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let st = state.clone();
    limited(&state, &headers, "POST /start/start-session", |key| async move {
        respond((|| {
            let map = parse_body(&body)?;
            let req = task_request(&map, false)?;
            let (session_id, task_id, balance) = st.create_session(&key, &req, false)?;
            Ok::<_, ApiError>(started_answer(&st, &req, &session_id, task_id.as_deref(), balance))
        })())
    })
    .await
}

/// One-shot: creates a session with the task, waits inline like `newTask`; the session ends
/// after the task.
pub(crate) async fn run_task(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let st = state.clone();
    limited(&state, &headers, "POST /start/run-task", |key| async move {
        let created = (|| {
            let map = parse_body(&body)?;
            let req = task_request(&map, true)?;
            st.create_session(&key, &req, true)
        })();
        match created {
            Ok((_, Some(task_id), _)) => axum::Json(wait::inline(&st, &task_id).await).into_response(),
            Ok((_, None, _)) => unreachable!("run-task always has a task"),
            Err(e) => e.into_response(),
        }
    })
    .await
}

/// The answer of start-session (also the MCP `create_session` tool's).
pub(super) fn started_answer(
    st: &AppState,
    req: &TaskRequest,
    session_id: &str,
    task_id: Option<&str>,
    balance: f64,
) -> serde_json::Value {
    let base = &st.base_url;
    let mut answer = json!({
        "success": true,
        "sessionId": session_id,
        "socketURL": base,
        "streaming": {
            "webRTCURL": format!("{base}/live/{session_id}/whep"),
            "webViewURL": format!("{base}/live/{session_id}"),
            "dimensions": { "width": 1024, "height": 600 },
        },
        "initialPrompt": req.task_details,
        "expiresIn": req.max_duration_ms.unwrap_or(DEFAULT_EXPIRES_MS) as u64,
        "balance": balance,
        "message": "Connect to instance using sessionId in auth",
    });
    st.lock().extras.initial_task_id(&mut answer, task_id);
    answer
}
