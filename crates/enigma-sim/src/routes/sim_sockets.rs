//! `POST /_sim/sockets/silence` (no auth, not counted): a socket that stays open but says
//! nothing. The session's events are withheld from its sockets; the connections stay up and
//! answer Engine.IO heartbeats, so only a client that checks over REST learns what happened.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::errors::ApiError;
use crate::state::AppState;

/// Body `{"sessionId": "...", "silent": true}` (`silent` defaults to true; false lets events
/// through again, without replaying the withheld ones). Answers how many sockets the session
/// has connected now.
pub(crate) async fn silence(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(&body) else {
        return ApiError::invalid_param("body", "must be a JSON object").into_response();
    };
    let Some(Value::String(session_id)) = map.get("sessionId") else {
        return ApiError::missing_field("Missing required field 'sessionId'").into_response();
    };
    let silent = match map.get("silent") {
        None => true,
        Some(Value::Bool(silent)) => *silent,
        Some(_) => return ApiError::invalid_param("silent", "must be a boolean").into_response(),
    };
    let sockets = {
        let mut inner = state.lock();
        let sockets = inner.sockets.set_silenced(session_id, silent);
        // Stored under the lock, so it always agrees with the set.
        state.any_silenced.store(inner.sockets.any_silenced(), Ordering::Release);
        sockets
    };
    Json(json!({ "success": true, "sessionId": session_id, "silent": silent, "sockets": sockets })).into_response()
}
