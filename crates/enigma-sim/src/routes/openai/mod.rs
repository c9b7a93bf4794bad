//! The OpenAI-compatible endpoints: `POST /v1/chat/completions` (model `enigma-browser-1`;
//! one new session per request, ended after it; JSON or an SSE stream) and `GET /v1/models`.
//! Authenticated like the rest (`Authorization: Bearer KEY`, which is how the OpenAI SDKs send
//! their `api_key`) and rate limited with the POST endpoints.

mod answer;
mod error;
mod request;
mod stream;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};

use self::answer::Ids;
use self::error::OpenAiError;
pub(crate) use self::error::fault_error;
pub(crate) use self::stream::KEEP_ALIVE;
use crate::auth;
use crate::errors::ApiError;
use crate::owned::{OwnedSession, settled};
use crate::state::{AppState, TaskPhase};
use crate::validate::task_request;

/// The stats and rate-limit name of the completions endpoint.
const COMPLETIONS: &str = "POST /v1/chat/completions";

/// The `/v1` routes.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/v1/chat/completions", post(chat_completions)).route("/v1/models", get(models))
}

/// `GET /v1/models`: the one model.
async fn models(headers: HeaderMap) -> Response {
    if let Err(e) = auth::authenticate(&headers) {
        return OpenAiError::from(e).into_response();
    }
    axum::Json(json!({
        "object": "list",
        "data": [{ "id": request::MODEL, "object": "model", "created": 1_735_689_600, "owned_by": "enigma" }],
    }))
    .into_response()
}

/// `POST /v1/chat/completions`.
async fn chat_completions(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let key = match auth::authenticate(&headers) {
        Ok(key) => key,
        Err(e) => return OpenAiError::from(e).into_response(),
    };
    let rate = {
        let mut inner = state.lock();
        let info = inner.rate.check(&key, COMPLETIONS);
        if info.is_some_and(|i| i.retry_after.is_some()) {
            inner.stats.rate_limited += 1;
        }
        info
    };
    let mut response = match rate.and_then(|i| i.retry_after) {
        Some(retry_after) => OpenAiError::from(ApiError::rate_limited(retry_after)).into_response(),
        None => match start(&state, &key, &body) {
            Ok((owned, ids, true)) => stream::respond(state.clone(), owned, ids),
            Ok((owned, ids, false)) => match finish(&state, &ids).await {
                Ok(completion) => {
                    drop(owned);
                    axum::Json(completion).into_response()
                }
                Err(e) => e.into_response(),
            },
            Err(e) => e.into_response(),
        },
    };
    if let Some(info) = rate {
        info.apply(response.headers_mut());
    }
    response
}

/// Opens the request's session with its task; the session is owned by what is returned.
fn start(state: &Arc<AppState>, key: &str, body: &[u8]) -> Result<(OwnedSession, Ids, bool), OpenAiError> {
    let chat = request::parse(body)?;
    let mut task_body = serde_json::Map::new();
    task_body.insert("taskDetails".into(), Value::String(chat.task_details));
    let task = task_request(&task_body, true).map_err(|e| {
        let mut e = OpenAiError::from(e);
        e.param = Some("messages");
        e
    })?;
    let (session_id, task_id, _) = state.create_session(key, &task, true)?;
    let task_id = task_id.expect("a completion always has a task");
    let owned = OwnedSession::new(state.clone(), session_id.clone());
    Ok((owned, Ids::new(session_id, task_id), chat.stream))
}

/// Waits for the task and turns its outcome into a completion or an error.
async fn finish(state: &AppState, ids: &Ids) -> Result<Value, OpenAiError> {
    let phase = settled(state, &ids.task_id).await;
    let (inner, _) = state.advance();
    let task = &inner.tasks[&ids.task_id];
    let usage = task.usage();
    let enigma = ids.enigma(Some(usage.cost));
    match phase {
        TaskPhase::Completed => Ok(answer::completion(ids, &task.script.final_message(), &usage)),
        TaskPhase::Guardrail(question) => Err(OpenAiError::guardrail(&question, enigma)),
        TaskPhase::Failed { code, error } => {
            Err(OpenAiError::task_ended(StatusCode::INTERNAL_SERVER_ERROR, &code, error, enigma))
        }
        TaskPhase::Stopped => {
            Err(OpenAiError::task_ended(StatusCode::CONFLICT, "task_stopped", "The task was stopped", enigma))
        }
        _ => Err(OpenAiError::task_ended(
            StatusCode::CONFLICT,
            "session_terminated",
            "The session ended before the task finished",
            enigma,
        )),
    }
}
