//! `webViewURL`: a simple page with a session's state and recent events; `webRTCURL`: 501.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::errors::ApiError;
use crate::live_page::render;
use crate::state::AppState;

/// The live page of a session (refreshes itself every 2 s).
pub(crate) async fn page(State(state): State<Arc<AppState>>, Path(session_id): Path<String>) -> Response {
    let (inner, _) = state.advance();
    match inner.sessions.get(&session_id) {
        Some(session) => Html(render(session, &inner.tasks)).into_response(),
        None => (StatusCode::NOT_FOUND, Html(format!("<h1>Session {session_id} not found</h1>"))).into_response(),
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
