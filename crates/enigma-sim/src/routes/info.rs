//! `GET /start/health` and `GET /start/active-sockets`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::state::AppState;
use crate::time_fmt::now_iso;

/// Service health.
pub(crate) async fn health(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "success": true,
        "status": "healthy",
        "instancesAvailable": true,
        "instanceCount": state.config.max_sessions,
        "timestamp": now_iso(),
    }))
}

/// The ids of the connected Socket.IO sockets (sorted).
pub(crate) async fn active_sockets(State(state): State<Arc<AppState>>) -> Json<Value> {
    let sockets = state.lock().sockets.ids();
    Json(json!({
        "success": true,
        "sockets": sockets,
        "count": sockets.len(),
        "timestamp": now_iso(),
    }))
}
