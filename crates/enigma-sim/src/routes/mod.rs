//! The HTTP routes.

mod info;
mod live;
mod mcp;
mod message;
mod observe;
mod openai;
mod poll;
mod session;
mod sim;
mod sim_sockets;
mod wait;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

use crate::auth;
use crate::errors::ApiError;
use crate::state::AppState;

pub(crate) use observe::ConnKill;

/// The simulator's router: the documented API (counted in stats, subject to faults), plus the
/// `/_sim/*` inspection endpoints and the `/live/*` pages.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/start/start-session", post(session::start_session))
        .route("/start/run-task", post(session::run_task))
        .route("/start/send-message", post(message::send_message))
        .route("/task/{session_id}/{task_id}", get(poll::poll))
        .route("/start/health", get(info::health))
        .route("/start/active-sockets", get(info::active_sockets))
        .merge(openai::routes())
        .merge(mcp::routes())
        .layer(middleware::from_fn_with_state(state.clone(), observe::observe));
    let extra = Router::new()
        .route("/_sim/faults", post(sim::add_fault).delete(sim::clear_faults).get(sim::list_faults))
        .route("/_sim/stats", get(sim::stats))
        .route("/_sim/sockets/drop", post(sim::drop_sockets))
        .route("/_sim/sockets/silence", post(sim_sockets::silence))
        .route("/live/{session_id}", get(live::page))
        .route("/live/{session_id}/state", get(live::state))
        .route("/live/{session_id}/whep", any(live::whep));
    api.merge(extra).fallback(not_found).with_state(state)
}

async fn not_found() -> Response {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Not found").into_response()
}

/// Authenticates a POST request and applies the rate limit, then runs `work` with the key;
/// adds the `X-RateLimit-*` headers to whatever comes back.
async fn limited<F, Fut>(state: &AppState, headers: &HeaderMap, endpoint: &str, work: F) -> Response
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Response>,
{
    let key = match auth::authenticate(headers) {
        Ok(key) => key,
        Err(e) => return e.into_response(),
    };
    let info = {
        let mut inner = state.lock();
        let info = inner.rate.check(&key, endpoint);
        if info.is_some_and(|i| i.retry_after.is_some()) {
            inner.stats.rate_limited += 1;
        }
        info
    };
    if let Some(info) = info
        && let Some(retry_after) = info.retry_after
    {
        let mut response = ApiError::rate_limited(retry_after).into_response();
        info.apply(response.headers_mut());
        return response;
    }
    let mut response = work(key).await;
    if let Some(info) = info {
        info.apply(response.headers_mut());
    }
    response
}

/// Turns a handler result into a response.
fn respond(result: Result<serde_json::Value, ApiError>) -> Response {
    match result {
        Ok(body) => axum::Json(body).into_response(),
        Err(e) => e.into_response(),
    }
}
