//! JS values in and out: option and settings objects to the core (which reads and checks them
//! in Node's spelling: camelCase, durations in `...Ms`), core values to plain data objects
//! (their serde form, in camelCase).

use enigma::binding::{OptionsKind, Spelling, spelled};
use napi_derive::napi;
use serde_json::Value;

pub(crate) use enigma::binding::to_camel;

/// A window coordinate, checked by the core.
pub(crate) fn coordinate(field: &str, value: Value) -> enigma::Result<u32> {
    enigma::binding::coordinate(field, value, Spelling::Camel).map_err(Into::into)
}

/// Options as JS passed them (one object per call, read and checked by the core in Node's
/// spelling: `maxDuration`, `timeoutMs`).
pub(crate) fn read_options<T>(
    value: Option<Value>,
    read: fn(Value, Spelling) -> Result<T, enigma::binding::OptionsError>,
) -> enigma::Result<T> {
    read(value.unwrap_or(Value::Null), Spelling::Camel).map_err(Into::into)
}

/// The core's option fields in Node's spelling, by kind (`session`, `task`, `wait`), for the
/// test that checks `index.d.ts` against them.
#[napi]
pub fn option_fields() -> std::collections::HashMap<String, Vec<String>> {
    OptionsKind::ALL.iter().map(|k| (k.name().to_owned(), k.spelled_fields(Spelling::Camel))).collect()
}

/// A core value as JS data (its serde form, keys in camelCase; `raw` as the service sent it).
/// The public shapes are declared in `index.d.ts`.
pub(crate) fn data<T: serde::Serialize>(value: T) -> Value {
    spelled(&value, Spelling::Camel)
}
