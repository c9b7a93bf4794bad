//! The REST side of a replay: a middleware over the simulator's router that answers the
//! documented requests from the recording and adds a `replay` section to `/_sim/stats`.

use std::sync::Arc;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::difference::Write;
use super::recording::Http;
use super::session::Taken;
use super::{REPLAY_MISMATCH, Replay, rewritten};

/// What the recorder writes in place of the key (`enigma::REDACTED`).
const REDACTED: &str = "[redacted]";
/// The most bytes of a request body read.
const MAX_BODY: usize = 1024 * 1024;

/// The middleware, layered over the simulator's router in replay mode.
pub(crate) async fn intercept(State(replay): State<Arc<Replay>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    match (method, path.as_str()) {
        (Method::GET, "/_sim/stats") => with_replay_stats(next.run(request).await, &replay).await,
        (Method::POST, "/start/start-session" | "/start/run-task" | "/start/send-message") => {
            let key = bearer(request.headers());
            let Ok(bytes) = to_bytes(request.into_body(), MAX_BODY).await else {
                return mismatch("the request body could not be read".into());
            };
            post(&replay, path, redacted(&bytes, key.as_deref())).await
        }
        (Method::GET, _) if path.starts_with("/task/") => poll(&replay, &path),
        _ => next.run(request).await,
    }
}

/// The key of an `Authorization: Bearer` header.
fn bearer(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|k| k.trim().to_owned()).filter(|k| !k.is_empty())
}

/// The body as the recorder would have written it: the key blanked wherever the program put it
/// (a task's text...), so that it matches the recording, and no difference shows the key.
fn redacted(bytes: &[u8], key: Option<&str>) -> Value {
    let text = String::from_utf8_lossy(bytes);
    let text = match key {
        Some(key) if text.contains(key) => text.replace(key, REDACTED),
        _ => text.into_owned(),
    };
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn post(replay: &Arc<Replay>, path: String, body: Value) -> Response {
    let session_id = match path.as_str() {
        "/start/send-message" => body["sessionId"].as_str().map(str::to_owned),
        _ => None,
    };
    match replay.write(session_id.as_deref(), &Write::Post { path, body }) {
        Ok((id, Taken::Answer { index, http, at })) => {
            replay.wait_for_answer(&id, index, at).await;
            let from = replay.lock().sessions.get(&id).map(|s| s.recording.base_url.clone()).unwrap_or_default();
            answer(&http, &from, &replay.base_url)
        }
        // Recorded as a socket command: the service's acknowledgement of a REST message.
        Ok((_, Taken::Command)) => {
            axum::Json(json!({ "success": true, "message": "Message sent successfully" })).into_response()
        }
        Err(why) => mismatch(why),
    }
}

fn poll(replay: &Arc<Replay>, path: &str) -> Response {
    let mut segments = path.trim_start_matches("/task/").split('/');
    let (Some(session_id), Some(task_id)) = (segments.next(), segments.next()) else {
        return mismatch(format!("not a poll path: {path}"));
    };
    match replay.read(session_id, task_id, path) {
        Some((status, body, from)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            (status, axum::Json(rewritten(body, &from, &replay.base_url))).into_response()
        }
        None => {
            let text = format!("Session {session_id} does not exist or has expired");
            let body = json!({ "success": false, "message": text, "error": text, "code": "SESSION_NOT_FOUND" });
            (StatusCode::NOT_FOUND, axum::Json(body)).into_response()
        }
    }
}

/// The recorded answer: its status, its headers, its body (URLs pointed at the replay).
fn answer(http: &Http, from: &str, to: &str) -> Response {
    let Some(status) = http.status.and_then(|s| StatusCode::from_u16(s).ok()) else {
        // The run got no answer: the replay cannot give one either.
        return (StatusCode::BAD_GATEWAY, "the recorded request got no answer").into_response();
    };
    let body = rewritten(http.response.clone(), from, to);
    let mut response = match body {
        Value::String(text) => (status, text).into_response(),
        other => (status, axum::Json(other)).into_response(),
    };
    for (name, value) in &http.headers {
        if name == "content-type" {
            continue;
        }
        if let (Ok(name), Some(Ok(value))) =
            (HeaderName::try_from(name.as_str()), value.as_str().map(HeaderValue::from_str))
        {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// 400 `REPLAY_MISMATCH`, naming the first difference.
fn mismatch(why: String) -> Response {
    let body = json!({ "success": false, "message": why, "error": why, "code": REPLAY_MISMATCH });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

async fn with_replay_stats(response: Response, replay: &Replay) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let mut stats: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    stats["replay"] = replay.stats_json();
    let bytes = stats.to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}
