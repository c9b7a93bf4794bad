//! `webViewURL`: a session's live page (and the JSON state it polls); `webRTCURL`: 501.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::errors::ApiError;
use crate::live_page::{render, snapshot};
use crate::state::AppState;

/// The live page of a session (it keeps itself current from `state` below).
pub(crate) async fn page(State(state): State<Arc<AppState>>, Path(session_id): Path<String>) -> Response {
    let (inner, _) = state.advance();
    match inner.sessions.get(&session_id) {
        Some(session) => Html(render(session, &inner.tasks)).into_response(),
        // Plain text: the id comes from the path and is not markup.
        None => (StatusCode::NOT_FOUND, format!("Session {session_id} not found")).into_response(),
    }
}

/// The session's state as the live page shows it (JSON; the page polls it).
pub(crate) async fn state(State(state): State<Arc<AppState>>, Path(session_id): Path<String>) -> Response {
    let (inner, _) = state.advance();
    match inner.sessions.get(&session_id) {
        Some(session) => axum::Json(snapshot(session, &inner.tasks)).into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "SESSION_NOT_FOUND", format!("Session {session_id} not found"))
            .into_response(),
    }
}

/// The simulator has no video.
pub(crate) async fn whep() -> Response {
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "NOT_IMPLEMENTED",
        "The simulator has no video stream; open the webViewURL page instead",
    )
    .into_response()
}
