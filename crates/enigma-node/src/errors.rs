//! Core errors across the boundary. napi rejections carry only a message, so the whole
//! structured error travels as JSON in it (prefixed with [`MARKER`]); the JS layer
//! (`node/lib/errors.js`) parses it back and throws the subclass of `EnigmaError` for its code.

use enigma::Error;
use serde_json::{Map, Value, json};

use crate::convert::{to_camel, usage_json};

/// Starts the message of every error made here.
pub const MARKER: &str = "@@enigma-error@@";

/// The napi error carrying `err` for the JS layer.
pub(crate) fn to_napi(err: Error) -> napi::Error {
    napi::Error::new(napi::Status::GenericFailure, format!("{MARKER}{}", payload(&err)))
}

/// A validation error made while converting a JS argument (field in the Node spelling).
pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> napi::Error {
    to_napi(Error::Validation { field: field.to_owned(), reason: reason.into() })
}

fn payload(err: &Error) -> Value {
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        if !value.is_null() {
            out.insert(key.to_owned(), value);
        }
    };
    put("code", json!(err.code()));
    put("message", json!(message(err)));
    put("status", json!(err.status()));
    put("serverCode", json!(err.server_code()));
    put("serverMessage", json!(err.server_message()));
    put("retryAfter", json!(err.retry_after().map(|d| d.as_secs_f64())));
    put("balance", json!(err.balance()));
    put("retryable", json!(err.is_retryable()));
    put("sessionId", json!(err.session_id()));
    put("taskId", json!(err.task_id()));
    if let Some(usage) = err.usage() {
        put("usage", usage_json(usage));
    }
    if let Some(rl) = err.rate_limit() {
        put("rateLimit", json!({ "limit": rl.limit, "remaining": rl.remaining, "reset": rl.reset }));
    }
    if let Some(details) = err.api_details() {
        put("details", details.details.clone().unwrap_or(Value::Null));
        put("body", json!(details.body));
    }
    match err {
        Error::Validation { field, .. } => put("field", json!(to_camel(field))),
        Error::WaitTimeout { waited, .. } => put("waitedMs", json!(waited.as_millis() as u64)),
        Error::CostLimit { limit, .. } => put("limit", json!(limit)),
        Error::OutcomeUnknown { operation, .. } => put("operation", json!(operation)),
        Error::Connection { never_sent, .. } => put("neverSent", json!(never_sent)),
        Error::Decode { body, .. } => put("body", json!(body)),
        Error::InsecureTransport { url } => put("url", json!(url)),
        _ => {}
    }
    Value::Object(out)
}

/// The core's text, with a validation field in the Node spelling (`maxDuration`, not
/// `max_duration`).
fn message(err: &Error) -> String {
    match err {
        Error::Validation { field, reason } => format!("invalid {}: {reason}", to_camel(field)),
        other => other.to_string(),
    }
}
