//! Core errors across the boundary, as structured data: the core serialises an error into its
//! one payload (`enigma::ErrorPayload`), and this makes a JS `Error` carrying that payload (keys
//! in camelCase) in its [`PAYLOAD_PROPERTY`] property. It is made on the JS thread (a promise's
//! settle callback, or the sync call itself) and thrown or rejected as that very object, so no
//! JSON travels inside a message. `node/lib/errors.js` turns it into the subclass of
//! `EnigmaError` for its `code`.

use enigma::Error;
use napi::bindgen_prelude::*;
use serde_json::{Map, Value};

use crate::convert::to_camel;

/// The property of a native error that holds the core's payload.
pub const PAYLOAD_PROPERTY: &str = "enigmaPayload";

/// The JS error for a core error (on the JS thread: it needs `env`).
pub(crate) fn to_js(env: &Env, err: &Error) -> napi::Error {
    let payload = payload(err);
    let message = payload.get("message").and_then(Value::as_str).unwrap_or_default().to_owned();
    let made = env.create_error(napi::Error::new(Status::GenericFailure, message.clone())).and_then(|mut object| {
        object.set(PAYLOAD_PROPERTY, payload)?;
        Ok(napi::Error::from(object.to_unknown()))
    });
    // Making an object fails only while the environment shuts down: the text is all there is.
    made.unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, message))
}

/// A core result, thrown as the JS error of its error.
pub(crate) trait OrThrow<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrThrow<T> for enigma::Result<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|err| to_js(env, &err))
    }
}

/// A validation error made while converting a JS argument (field in the Node spelling).
pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::Validation { field: field.to_owned(), reason: reason.into() }
}

/// The core's payload in the Node spelling: keys in camelCase (`retryAfter`, `sessionId`),
/// those of `usage` and `rateLimit` too; `details` as the service sent it. A validation
/// error's field (and so its text) in camelCase as well: `maxDuration`, not `max_duration`.
fn payload(err: &Error) -> Value {
    let mut payload = err.payload();
    if let (Some(field), Some(reason)) = (&payload.field, &payload.reason) {
        let field = to_camel(field);
        payload.message = format!("invalid {field}: {reason}");
        payload.field = Some(field);
    }
    match serde_json::to_value(payload) {
        Ok(value) => camel_keys(value, &["usage", "rate_limit"]),
        Err(e) => serde_json::json!({ "code": err.code(), "message": format!("{err} ({e})") }),
    }
}

/// `value`'s keys in camelCase, and those of its objects named in `nested`; other values as
/// they are (raw payloads keep the service's spelling).
pub(crate) fn camel_keys(value: Value, nested: &[&str]) -> Value {
    let Value::Object(fields) = value else { return value };
    let mut out = Map::with_capacity(fields.len());
    for (key, value) in fields {
        let value = match value {
            Value::Object(inner) if nested.contains(&key.as_str()) => {
                Value::Object(inner.into_iter().map(|(k, v)| (to_camel(&k), v)).collect())
            }
            other => other,
        };
        out.insert(to_camel(&key), value);
    }
    Value::Object(out)
}

/// The core's list of error codes (`enigma::ErrorCode::ALL`), which `lib/errors.js` is tested
/// against.
#[napi_derive::napi]
pub fn error_codes() -> Vec<&'static str> {
    enigma::ErrorCode::ALL.iter().map(|code| code.as_str()).collect()
}
