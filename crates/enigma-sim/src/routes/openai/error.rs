//! Errors of the OpenAI-compatible endpoints in OpenAI's shape,
//! `{"error": {"message", "type", "code", "param"}}`, which the OpenAI SDKs read into their
//! `APIStatusError` (`.code`, `.type`, `.message`). The statuses and texts are the service's
//! (§5 of the contract); the codes are the service's codes in lower case, as OpenAI spells
//! its own (`rate_limit_exceeded`, `invalid_api_key`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::errors::ApiError;

/// One error answer of `/v1/*`.
#[derive(Clone, Debug)]
pub(crate) struct OpenAiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub code: String,
    pub message: String,
    pub param: Option<&'static str>,
    pub retry_after: Option<u64>,
    /// The work had begun (a session was opened): the OpenAI SDKs must not repeat the request
    /// on their own (`x-should-retry: false`), since a repeat opens and bills another session.
    pub began: bool,
    /// The `enigma` block of the session the request opened, when it opened one.
    pub enigma: Option<Box<Value>>,
}

impl OpenAiError {
    pub(crate) fn new(status: StatusCode, kind: &'static str, code: &str, message: impl Into<String>) -> Self {
        OpenAiError {
            status,
            kind,
            code: code.to_string(),
            message: message.into(),
            param: None,
            retry_after: None,
            began: false,
            enigma: None,
        }
    }

    /// 400 `invalid_request_error` about one field of the request.
    pub(crate) fn invalid(param: &'static str, message: impl Into<String>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "invalid_request_error", "invalid_parameter", message);
        e.param = Some(param);
        e
    }

    /// The guardrail that fails a completion: the agent asked a question nobody can answer
    /// over this endpoint.
    pub(crate) fn guardrail(question: &str, enigma: Value) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            "guardrail_error",
            "guardrail_triggered",
            format!("Guardrail triggered: {question}"),
        );
        e.began = true;
        e.enigma = Some(Box::new(enigma));
        e
    }

    /// The task ended without an answer (failed, stopped, or its session ended under it).
    pub(crate) fn task_ended(status: StatusCode, code: &str, message: impl Into<String>, enigma: Value) -> Self {
        let mut e = Self::new(status, "task_error", &code.to_ascii_lowercase(), message);
        e.began = true;
        e.enigma = Some(Box::new(enigma));
        e
    }

    /// The `error` object (also what a stream sends when the task fails after its first chunk).
    pub(crate) fn body(&self) -> Value {
        let mut error = json!({
            "message": self.message,
            "type": self.kind,
            "code": self.code,
            "param": self.param,
        });
        if let Some(enigma) = &self.enigma {
            error["enigma"] = (**enigma).clone();
        }
        json!({ "error": error })
    }
}

/// The OpenAI error `type` of a service status.
fn kind_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 | 403 => "authentication_error",
        402 => "insufficient_quota",
        404 => "not_found_error",
        409 => "conflict_error",
        429 => "rate_limit_error",
        400..=499 => "invalid_request_error",
        _ => "server_error",
    }
}

impl From<ApiError> for OpenAiError {
    fn from(e: ApiError) -> Self {
        let mut out = Self::new(e.status, kind_of(e.status), &e.code.to_ascii_lowercase(), e.message);
        out.retry_after = e.retry_after;
        out
    }
}

impl IntoResponse for OpenAiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if self.began {
            response.headers_mut().insert("x-should-retry", HeaderValue::from_static("false"));
        }
        response
    }
}

/// An injected fault's error answer on a `/v1` endpoint (the fault's status, code and text).
pub(crate) fn fault_error(status: StatusCode, code: &str, message: String) -> Response {
    OpenAiError::new(status, kind_of(status), &code.to_ascii_lowercase(), message).into_response()
}
