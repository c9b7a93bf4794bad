//! JS values in and out: option and settings objects to the core (which reads and checks them
//! in Node's spelling: camelCase, durations in `...Ms`), core values to plain data objects
//! (their serde form, in camelCase).

use enigma::binding::{OptionsError, OptionsKind, Spelling, spelled};
use napi::bindgen_prelude::{Env, Function, JsObjectValue, JsValue, Object, ToNapiValue, Unknown, ValueType};
use napi::sys;
use napi_derive::napi;
use serde_json::{Map, Value};

/// A window coordinate, checked by the core: a BigInt, NaN or ±Infinity is refused as any
/// number is (see [`json`]), then the core checks that it is a whole number in the window.
pub(crate) fn coordinate(field: &str, value: Unknown<'_>) -> enigma::Result<u32> {
    let value = json(Some(value), field)?;
    enigma::binding::coordinate(field, value, Spelling::Camel).map_err(Into::into)
}

/// Options as JS passed them (one object per call, read and checked by the core in Node's
/// spelling: `maxDuration`, `timeoutMs`).
pub(crate) fn read_options<T>(
    value: Option<Unknown<'_>>,
    read: fn(Value, Spelling) -> Result<T, enigma::binding::OptionsError>,
) -> enigma::Result<T> {
    read(json(value, "")?, Spelling::Camel).map_err(Into::into)
}

/// Deepest nesting read from JS: a cyclic object must end in a refusal, not a stack overflow.
const MAX_DEPTH: usize = 32;

/// A JS value as JSON for the core. napi's own conversion refuses NaN and ±Infinity without
/// naming the field, and reads `5n` as `5`; here each number goes through the core's rule
/// (`enigma::binding::number`) and a BigInt is refused (`enigma::binding::big_int`), naming
/// the value's path as the caller wrote it (`maxCost`, `tasks[3].maxCost`; `path` is the
/// value's own name, empty for an options object). `undefined` is `null`: not given.
pub(crate) fn json(value: Option<Unknown<'_>>, path: &str) -> enigma::Result<Value> {
    value.map_or(Ok(Value::Null), |value| walk(value, path, 0)).map_err(Into::into)
}

fn walk(value: Unknown<'_>, path: &str, depth: usize) -> Result<Value, OptionsError> {
    let field = if path.is_empty() { "options" } else { path };
    let failed = |e: napi::Error| OptionsError::new(field, e.reason.clone(), true);
    // SAFETY (each `cast`): the value's type was just read, and the cast is to that type.
    match value.get_type().map_err(failed)? {
        ValueType::Null | ValueType::Undefined => Ok(Value::Null),
        ValueType::Boolean => unsafe { value.cast::<bool>() }.map(Value::Bool).map_err(failed),
        ValueType::String => unsafe { value.cast::<String>() }.map(Value::String).map_err(failed),
        ValueType::Number => enigma::binding::number(field, unsafe { value.cast::<f64>() }.map_err(failed)?),
        ValueType::BigInt => Err(enigma::binding::big_int(field)),
        ValueType::Object if depth < MAX_DEPTH => {
            let object = unsafe { value.cast::<Object>() }.map_err(failed)?;
            if object.is_array().map_err(failed)? {
                let items = (0..object.get_array_length().map_err(failed)?).map(|i| {
                    walk(object.get_element::<Unknown>(i).map_err(failed)?, &format!("{field}[{i}]"), depth + 1)
                });
                return items.collect::<Result<_, _>>().map(Value::Array);
            }
            let mut map = Map::new();
            for key in Object::keys(&object).map_err(failed)? {
                let item = object.get_named_property::<Unknown>(&key).map_err(failed)?;
                let name = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                map.insert(key, walk(item, &name, depth + 1)?);
            }
            Ok(Value::Object(map))
        }
        ValueType::Object => Err(OptionsError::new(field, format!("is nested deeper than {MAX_DEPTH} levels"), true)),
        other => Err(OptionsError::new(field, format!("has no JSON form (a {other:?})"), true)),
    }
}

/// The core's option fields in Node's spelling, by kind (`session`, `task`, `wait`), for the
/// test that checks `index.d.ts` against them.
#[napi]
pub fn option_fields() -> std::collections::HashMap<String, Vec<String>> {
    OptionsKind::ALL.iter().map(|k| (k.name().to_owned(), k.spelled_fields(Spelling::Camel))).collect()
}

/// The fields that take a number in Node's spelling, by kind (`session`, `task`, `wait`,
/// `client`), for the test that gives each one NaN, ±Infinity, a BigInt and a negative value.
#[napi]
pub fn numeric_fields() -> std::collections::HashMap<String, Vec<String>> {
    let spell = |fields: Vec<&str>| fields.into_iter().map(|f| Spelling::Camel.spell(f)).collect();
    enigma::binding::numeric_fields().into_iter().map(|(kind, fields)| (kind.to_owned(), spell(fields))).collect()
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
