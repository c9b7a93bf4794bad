//! JS values in and out: option and settings objects to the core (which reads and checks them
//! in Node's spelling: camelCase, durations in `...Ms`), core values to plain data objects
//! (their serde form, in camelCase).

use enigma::binding::{OptionsKind, Spelling, spelled};
use napi::bindgen_prelude::{Env, Function, JsObjectValue, JsValue, Object, ToNapiValue, Unknown};
use napi::sys;
use napi_derive::napi;
use serde_json::Value;

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

/// A core value on its way to JS as data (see [`data`]): what the promise-returning calls
/// resolve to. It crosses as one JSON text that V8's `JSON.parse` turns into the object, which
/// costs a fraction of building it property by property through napi (one key string and one
/// `napi_set_property` per field): the conversion was the largest share of a `task.poll()`'s
/// JS-thread time. The result is the same plain object, with the same keys in the same order.
/// A value holding an integer beyond 2^53 takes napi's own path, so it still arrives as a
/// `BigInt` rather than a rounded number.
pub struct JsData(Value);

/// A core value as JS data, made on the JS thread by `JSON.parse` (see [`JsData`]).
pub(crate) fn js_data<T: serde::Serialize>(value: T) -> JsData {
    JsData(data(value))
}

impl ToNapiValue for JsData {
    unsafe fn to_napi_value(env: sys::napi_env, value: Self) -> napi::Result<sys::napi_value> {
        if !enigma::binding::exact_as_js_numbers(&value.0) {
            // SAFETY: called by napi on the JS thread with its live `env`, as this function is.
            return unsafe { Value::to_napi_value(env, value.0) };
        }
        let text = serde_json::to_string(&value.0).map_err(|e| napi::Error::from_reason(e.to_string()))?;
        let json: Object = Env::from_raw(env).get_global()?.get_named_property("JSON")?;
        let parse: Function<String, Unknown> = json.get_named_property("parse")?;
        Ok(parse.call(text)?.raw())
    }
}
