//! JS values in and out: option objects to the core (which reads and checks them in Node's
//! spelling), core values to plain data objects (their serde form, in camelCase). The client's
//! and the simulator's settings arrive as `f64` and are checked here, so a negative or
//! fractional count is a validation error rather than a silent wrap-around.

use std::time::Duration;

use enigma::binding::{OptionsKind, Spelling, spelled};
use napi_derive::napi;
use serde_json::Value;

use crate::errors::{invalid, to_napi};

pub(crate) use enigma::binding::to_camel;

/// A whole number >= 0 from a JS number.
pub(crate) fn whole(field: &str, value: Option<f64>) -> napi::Result<Option<u64>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9.0e15 => Ok(Some(v as u64)),
        Some(v) => Err(invalid(field, format!("must be a whole number >= 0, got {v}"))),
    }
}

/// A duration from a JS number of milliseconds (> 0).
pub(crate) fn millis(field: &str, value: Option<f64>) -> napi::Result<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 => Ok(Some(Duration::from_secs_f64(v / 1000.0))),
        Some(v) => Err(invalid(field, format!("must be a positive number of milliseconds, got {v}"))),
    }
}

/// A window coordinate, checked by the core.
pub(crate) fn coordinate(field: &str, value: Value) -> napi::Result<u32> {
    enigma::binding::coordinate(field, value, Spelling::Camel).map_err(|err| to_napi(err.into()))
}

/// Options as JS passed them (one object per call, read and checked by the core in Node's
/// spelling: `maxDuration`, `timeoutMs`).
pub(crate) fn read_options<T>(
    value: Option<Value>,
    read: fn(Value, Spelling) -> Result<T, enigma::binding::OptionsError>,
) -> napi::Result<T> {
    read(value.unwrap_or(Value::Null), Spelling::Camel).map_err(|err| to_napi(err.into()))
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

pub(crate) fn usage_json(u: &enigma::Usage) -> Value {
    spelled(u, Spelling::Camel)
}
