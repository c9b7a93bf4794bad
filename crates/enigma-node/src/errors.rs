//! Core errors across the boundary, as structured data: the core serialises an error into its
//! one payload (`enigma::ErrorPayload`) in Node's spelling (keys in camelCase; a validation
//! error's field as the caller wrote it; `details` as the service sent it), and this makes a JS
//! `Error` carrying that payload in its [`PAYLOAD_PROPERTY`] property. It is made on the JS
//! thread (a promise's settle callback, or the sync call itself) and thrown or rejected as that
//! very object, so no JSON travels inside a message. `node/lib/errors.js` turns it into the subclass of
//! `EnigmaError` for its `code`.

use enigma::Error;
use enigma::binding::{Spelling, spelled_error};
use napi::bindgen_prelude::*;
use serde_json::Value;

/// The property of a native error that holds the core's payload.
pub const PAYLOAD_PROPERTY: &str = "enigmaPayload";

/// The JS error for a core error (on the JS thread: it needs `env`).
pub(crate) fn to_js(env: &Env, err: &Error) -> napi::Error {
    let payload = spelled_error(err, Spelling::Camel);
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

/// The core's list of error codes (`enigma::ErrorCode::ALL`), which `lib/errors.js` is tested
/// against.
#[napi_derive::napi]
pub fn error_codes() -> Vec<&'static str> {
    enigma::ErrorCode::ALL.iter().map(|code| code.as_str()).collect()
}

/// The codes whose errors hand their task back as `err.task` (`enigma::ErrorCode::carries_task`),
/// which `lib/errors.js` is tested against.
#[napi_derive::napi]
pub fn task_carrier_codes() -> Vec<&'static str> {
    enigma::ErrorCode::ALL.iter().filter(|code| code.carries_task()).map(|code| code.as_str()).collect()
}
