//! A caller's values on their way to the option reading (`parse.rs`): the bindings turn them
//! into JSON here, so that the one rule every number obeys is kept once. JSON has no NaN and no
//! infinity: serde_json's own conversion turns them into `null` (the option silently not given:
//! `max_cost=nan` turned the ceiling off) and napi's fails without naming the field. Here they
//! are refused, naming the field as the caller spells it, as is a JavaScript `BigInt` where a
//! number goes (napi would read `5n` as `5`).

use std::cell::RefCell;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::parse::OptionsError;

/// Largest whole number a JavaScript number holds exactly (2^53).
const EXACT_JS_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A number from the caller as JSON, or a `validation` refusal naming `field` when it is not
/// finite. A whole number becomes a JSON integer, as napi's own conversion does, so that counts
/// (`concurrency: 5`) read as integers.
pub fn number(field: &str, n: f64) -> Result<Value, OptionsError> {
    if !n.is_finite() {
        let shown = match n {
            n if n.is_nan() => "NaN",
            n if n > 0.0 => "infinity",
            _ => "-infinity",
        };
        return Err(OptionsError::new(field, format!("must be a finite number, got {shown}"), false));
    }
    if n.fract() == 0.0 && n.abs() <= EXACT_JS_INTEGER {
        return Ok(Value::from(n as i64));
    }
    Ok(Value::from(n))
}

/// A JavaScript `BigInt` where the caller's value must be a number (or hold only numbers).
pub fn big_int(field: &str) -> OptionsError {
    OptionsError::new(field, "must be a number, got a BigInt", true)
}

/// A value from any serde source (pythonize's `Depythonizer`) as JSON, numbers checked by
/// [`number`]; `field` (the caller's spelling) names any refusal. An error of the source itself
/// (a type with no JSON form) is a wrong type.
pub fn json<'de, D: Deserializer<'de>>(field: &str, source: D) -> Result<Value, OptionsError> {
    let refused = RefCell::new(None);
    (Json { field, refused: &refused }).deserialize(source).map_err(|err: D::Error| {
        refused.into_inner().unwrap_or_else(|| OptionsError::new(field, format!("has no JSON form ({err})"), true))
    })
}

/// Builds the JSON value; a refusal is kept in `refused` (serde's error type can only carry a
/// message), for [`json`] to return with its field.
#[derive(Clone, Copy)]
struct Json<'a> {
    field: &'a str,
    refused: &'a RefCell<Option<OptionsError>>,
}

impl Json<'_> {
    fn refuse<E: de::Error>(self, err: OptionsError) -> E {
        let message = err.reason.clone();
        *self.refused.borrow_mut() = Some(err);
        E::custom(message)
    }

    fn out_of_range<E: de::Error>(self, v: impl std::fmt::Display) -> E {
        self.refuse(OptionsError::new(self.field, format!("is out of range, got {v}"), false))
    }
}

impl<'de> DeserializeSeed<'de> for Json<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Json<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a value with a JSON form")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        i64::try_from(v).map(Value::from).map_err(|_| self.out_of_range(v))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        u64::try_from(v).map(Value::from).map_err(|_| self.out_of_range(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        number(self.field, v).map_err(|err| self.refuse(err))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_number_must_be_finite() {
        for (n, shown) in [(f64::NAN, "NaN"), (f64::INFINITY, "infinity"), (f64::NEG_INFINITY, "-infinity")] {
            let err = number("max_cost", n).expect_err("refused");
            assert_eq!((err.field.as_str(), err.wrong_type), ("max_cost", false));
            assert_eq!(err.reason, format!("must be a finite number, got {shown}"));
        }
        assert_eq!(number("x", 5.0).unwrap(), json!(5), "a whole number is an integer");
        assert!(number("x", 5.0).unwrap().is_i64());
        assert_eq!(number("x", -0.5).unwrap(), json!(-0.5), "the sign is the field's rule, not this one");
        assert_eq!(big_int("x").field, "x");
    }

    /// A serde source that holds a non-finite float, as pythonize's does for `float("nan")`:
    /// serde_json's own `Value` would read it as `null`.
    #[test]
    fn a_serde_source_keeps_its_numbers_checked_at_any_depth() {
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error as PlainError, MapDeserializer, SeqDeserializer};

        let err = json("retry_backoff", IntoDeserializer::<PlainError>::into_deserializer(f64::NAN)).unwrap_err();
        assert_eq!((err.field.as_str(), err.wrong_type), ("retry_backoff", false));
        let seq = SeqDeserializer::<_, PlainError>::new([1.0, f64::INFINITY].into_iter());
        assert_eq!(json("avoid", seq).unwrap_err().reason, "must be a finite number, got infinity");
        let map = MapDeserializer::<_, PlainError>::new([("a", 1.5), ("b", 2.0)].into_iter());
        assert_eq!(json("opts", map).unwrap(), json!({"a": 1.5, "b": 2}));
        let big = IntoDeserializer::<PlainError>::into_deserializer(u128::MAX);
        assert_eq!(json("max_retries", big).unwrap_err().reason, format!("is out of range, got {}", u128::MAX));
    }
}
