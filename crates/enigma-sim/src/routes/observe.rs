//! Middleware on the documented endpoints: counts requests for stats, then applies injected faults.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Notify;

use crate::errors::{ApiError, default_text};
use crate::faults::{Fault, FaultAction};
use crate::state::AppState;

/// Largest request body read.
const BODY_LIMIT: usize = 10 * 1024 * 1024;

/// Put in every request's extensions by the server: notifying it closes the connection
/// without an answer (the `drop` fault).
#[derive(Clone, Debug, Default)]
pub(crate) struct ConnKill(pub Arc<Notify>);

/// The stats name of a documented endpoint.
fn endpoint_of(method: &Method, path: &str) -> Option<&'static str> {
    let path = path.trim_end_matches('/');
    match (method.as_str(), path) {
        ("POST", "/start/start-session") => Some("POST /start/start-session"),
        ("POST", "/start/send-message") => Some("POST /start/send-message"),
        ("POST", "/start/run-task") => Some("POST /start/run-task"),
        ("GET", "/start/health") => Some("GET /start/health"),
        ("GET", "/start/active-sockets") => Some("GET /start/active-sockets"),
        ("GET", p) if p.starts_with("/task/") => Some("GET /task"),
        _ => None,
    }
}

/// Counts the request, then answers with an armed fault or passes it on.
pub(crate) async fn observe(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(endpoint) = endpoint_of(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let kill = req.extensions().get::<ConnKill>().cloned();
    let (req, message) = if endpoint == "POST /start/send-message" {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
            state.lock().stats.count_request(endpoint);
            return ApiError::invalid_param("body", "could not be read").into_response();
        };
        let parsed = serde_json::from_slice::<serde_json::Value>(&bytes).ok();
        (Request::from_parts(parts, Body::from(bytes)), parsed)
    } else {
        (req, None)
    };
    let fault = {
        let mut inner = state.lock();
        inner.stats.count_request(endpoint);
        if let Some(message) = &message {
            inner.stats.count_message(message);
        }
        inner.faults.take(endpoint)
    };
    let Some(fault) = fault else {
        return next.run(req).await;
    };
    if fault.action == FaultAction::Error && !fault.after_processing {
        return fault_response(&fault);
    }
    let real = next.run(req).await;
    match fault.action {
        FaultAction::Delay => {
            tokio::time::sleep(std::time::Duration::from_millis(fault.delay_ms)).await;
            real
        }
        FaultAction::Error => {
            drop(real);
            fault_response(&fault)
        }
        FaultAction::Hang => {
            drop(real);
            state.stopped().await;
            fault_response(&fault)
        }
        FaultAction::Drop => {
            drop(real);
            match kill {
                Some(kill) => kill.0.notify_one(),
                None => tracing::warn!("drop fault without a connection handle; hanging instead"),
            }
            state.stopped().await;
            fault_response(&fault)
        }
    }
}

fn fault_response(fault: &Fault) -> Response {
    let status = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let code = fault.code();
    let text = fault.message.clone().unwrap_or_else(|| default_text(&code).to_string());
    let mut error = ApiError::new(status, &code, text);
    error.retry_after = fault.retry_after;
    error.into_response()
}
