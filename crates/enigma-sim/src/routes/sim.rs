//! The simulator's own endpoints: `/_sim/faults` and `/_sim/stats` (no auth, not counted).

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

/// The counters.
pub(crate) async fn stats(State(state): State<Arc<AppState>>) -> (StatusCode, Json<Value>) {
    drop(state.advance());
    (StatusCode::OK, Json(state.stats_json()))
}
