//! The simulator's own endpoints: `/_sim/faults`, `/_sim/stats` and `/_sim/sockets/drop`
//! (no auth, not counted).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::errors::ApiError;
use crate::faults::Fault;
use crate::state::AppState;
use crate::stats::ENDPOINTS;

/// Arms a fault.
pub(crate) async fn add_fault(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return ApiError::invalid_param("body", &format!("not a fault: {e}")).into_response(),
    };
    if !ENDPOINTS.contains(&fault.endpoint.as_str()) {
        let rule = format!("must be one of {}", ENDPOINTS.join(", "));
        return ApiError::invalid_param("endpoint", &rule).into_response();
    }
    let mut inner = state.lock();
    inner.faults.add(fault);
    Json(json!({ "success": true, "pending": inner.faults.pending() })).into_response()
}

/// Clears every armed fault.
pub(crate) async fn clear_faults(State(state): State<Arc<AppState>>) -> Json<Value> {
    state.lock().faults.clear();
    Json(json!({ "success": true, "pending": 0 }))
}

/// How many fault uses are still armed.
pub(crate) async fn list_faults(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "success": true, "pending": state.lock().faults.pending() }))
}

/// Cuts the transport of every socket of a session abruptly (no Socket.IO disconnect packet,
/// so clients reconnect). Body `{"sessionId": "..."}`; answers how many were dropped.
pub(crate) async fn drop_sockets(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let session_id = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => match map.get("sessionId") {
            Some(Value::String(id)) => id.clone(),
            _ => return ApiError::missing_field("Missing required field 'sessionId'").into_response(),
        },
        _ => return ApiError::invalid_param("body", "must be a JSON object").into_response(),
    };
    let dropped = state.lock().sockets.cut_session(&session_id);
    Json(json!({ "success": true, "sessionId": session_id, "dropped": dropped })).into_response()
}

/// The counters.
pub(crate) async fn stats(State(state): State<Arc<AppState>>) -> (StatusCode, Json<Value>) {
    drop(state.advance());
    (StatusCode::OK, Json(state.stats_json()))
}
