//! Middleware on the documented endpoints: counts requests for stats, then applies injected faults.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
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
        ("POST", "/v1/chat/completions") => Some("POST /v1/chat/completions"),
        ("GET", "/v1/models") => Some("GET /v1/models"),
        ("GET", "/mcp/sse") => Some("GET /mcp/sse"),
        ("POST", "/mcp/message") => Some("POST /mcp/message"),
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
        return fault_response(&fault, endpoint);
    }
    let real = next.run(req).await;
    match fault.action {
        FaultAction::Delay => {
            tokio::time::sleep(std::time::Duration::from_millis(fault.delay_ms)).await;
            real
        }
        FaultAction::Error => {
            drop(real);
            fault_response(&fault, endpoint)
        }
        FaultAction::Hang => {
            drop(real);
            state.stopped().await;
            fault_response(&fault, endpoint)
        }
        FaultAction::Oversize => oversize_response(&fault, real.status()),
        FaultAction::InvalidUtf8 => invalid_utf8_response(real).await,
        FaultAction::Patch => patched_response(real, &fault).await,
        FaultAction::Drop => {
            drop(real);
            match kill {
                Some(kill) => kill.0.notify_one(),
                None => tracing::warn!("drop fault without a connection handle; hanging instead"),
            }
            state.stopped().await;
            fault_response(&fault, endpoint)
        }
    }
}

fn fault_response(fault: &Fault, endpoint: &str) -> Response {
    let status = StatusCode::from_u16(fault.error_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match &fault.body {
        // A gateway's own page instead of the service's JSON.
        Some(text) => (status, [(header::CONTENT_TYPE, "text/html")], text.clone()).into_response(),
        None => {
            let code = fault.error_code();
            let text = fault.message.clone().unwrap_or_else(|| default_text(&code).to_string());
            match endpoint.contains(" /v1/") {
                true => super::openai::fault_error(status, &code, text),
                false => ApiError::new(status, &code, text).into_response(),
            }
        }
    };
    if let Some(secs) = fault.retry_after {
        let value = match fault.retry_after_date {
            true => httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(secs)),
            false => secs.to_string(),
        };
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }
    response
}

/// `bytes` bytes of JSON (`{"success":…,"padding":"xxx…"}`), produced as they are sent: a
/// 400 MB answer costs the simulator nothing, and a client that stops reading stops it.
fn oversize_response(fault: &Fault, real_status: StatusCode) -> Response {
    const CHUNK: usize = 64 * 1024;
    static PADDING: [u8; CHUNK] = [b'x'; CHUNK];
    let status = fault.status.and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(real_status);
    let (head, tail) = (format!("{{\"success\":{},\"padding\":\"", status.is_success()), "\"}");
    let total = fault.bytes;
    let framed = total >= (head.len() + tail.len()) as u64;
    let padding = if framed { total - (head.len() + tail.len()) as u64 } else { total };
    let mut parts: Vec<Bytes> = Vec::new();
    if framed {
        parts.push(Bytes::from(head));
    }
    let head_stream = futures_util::stream::iter(parts);
    let pad_stream = futures_util::stream::unfold(padding, |left| async move {
        (left > 0).then(|| {
            let n = left.min(CHUNK as u64) as usize;
            (Bytes::from_static(&PADDING[..n]), left - n as u64)
        })
    });
    let tail_stream = futures_util::stream::iter(framed.then(|| Bytes::from_static(tail.as_bytes())));
    let stream = head_stream.chain(pad_stream).chain(tail_stream).map(Ok::<_, std::io::Error>);
    let mut response = Response::new(Body::from_stream(stream));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if !fault.chunked {
        response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(total));
    }
    response
}

/// The real JSON answer with the fault's `patch` fields put over its own.
async fn patched_response(real: Response, fault: &Fault) -> Response {
    let (mut parts, body) = real.into_parts();
    let answer = axum::body::to_bytes(body, BODY_LIMIT).await.ok();
    let Some(serde_json::Value::Object(mut answer)) = answer.and_then(|b| serde_json::from_slice(&b).ok()) else {
        return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "cannot patch the answer")
            .into_response();
    };
    answer.extend(fault.patch.clone());
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::Value::Object(answer).to_string()))
}

/// The real answer with 0xFF at the start of its first string value (or of the body).
async fn invalid_utf8_response(real: Response) -> Response {
    let (mut parts, body) = real.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "cannot read the answer")
            .into_response();
    };
    let mut bytes = bytes.to_vec();
    let at = bytes.windows(2).position(|w| w == b":\"").map_or(0, |i| i + 2);
    bytes.insert(at, 0xFF);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}
