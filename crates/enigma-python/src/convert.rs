//! Core values to Python objects (the typed classes of `enigma._models`), and Python arguments
//! to core values.

use enigma::binding::{OptionsError, OptionsKind, Spelling};
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt};
use serde_json::{Map, Value};

use crate::errors::{invalid, to_py_err};

/// Any JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, value)?.unbind())
}

fn model<'py>(py: Python<'py>, cell: &'static PyOnceLock<Py<PyAny>>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    Ok(cell.import(py, "enigma._models", name)?.clone())
}

/// A core value as the `enigma._models` class with the same fields, from the value's serde
/// form (its `usage`, if any, as a `Usage` too).
fn model_of<T: serde::Serialize>(
    py: Python<'_>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
    value: &T,
) -> PyResult<Py<PyAny>> {
    let kw = pythonize::pythonize(py, value)?.cast_into::<PyDict>()?;
    if let Some(usage) = kw.get_item("usage")? {
        static USAGE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        kw.set_item("usage", model(py, &USAGE, "Usage")?.call((), Some(&usage.cast_into::<PyDict>()?))?)?;
    }
    Ok(model(py, cell, name)?.call((), Some(&kw))?.unbind())
}

pub(crate) fn usage_to_py(py: Python<'_>, usage: &enigma::Usage) -> PyResult<Py<PyAny>> {
    static USAGE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    model_of(py, &USAGE, "Usage", usage)
}

pub(crate) fn result_to_py(py: Python<'_>, result: enigma::TaskResult) -> PyResult<Py<PyAny>> {
    static RESULT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    model_of(py, &RESULT, "TaskResult", &result)
}

pub(crate) fn status_to_py(py: Python<'_>, status: &enigma::TaskStatus) -> PyResult<Py<PyAny>> {
    static STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    model_of(py, &STATUS, "TaskStatus", &status.view())
}

pub(crate) fn health_to_py(py: Python<'_>, health: enigma::Health) -> PyResult<Py<PyAny>> {
    static HEALTH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    model_of(py, &HEALTH, "Health", &health)
}

pub(crate) fn sockets_to_py(py: Python<'_>, sockets: enigma::ActiveSockets) -> PyResult<Py<PyAny>> {
    static SOCKETS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    model_of(py, &SOCKETS, "ActiveSockets", &sockets)
}

/// A Python `int` argument of any size. Every int argument of the binding takes this instead
/// of a Rust integer: pyo3 would refuse an int beyond 64 bits while extracting it, with a bare
/// `OverflowError` naming no field. Taken whole, the value reaches the field's own check and
/// becomes a `ValidationError` naming the field, as a negative value does. Non-ints are still
/// refused by pyo3 (`TypeError` naming the argument).
#[derive(Debug, Clone)]
pub(crate) enum Int {
    /// Fits in an `i64`.
    Small(i64),
    /// Beyond 64 bits: its decimal text, for the error.
    Huge(String),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Int {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Int> {
        match obj.extract::<i64>() {
            Ok(value) => Ok(Int::Small(value)),
            Err(err) if err.is_instance_of::<PyOverflowError>(obj.py()) => Ok(Int::Huge(obj.str()?.to_string())),
            Err(err) => Err(err),
        }
    }
}

impl Int {
    /// The value as `T` (an unsigned Rust integer), or a validation error naming `field` and
    /// the range `T` holds.
    pub(crate) fn to<T: TryFrom<i64> + Unsigned>(&self, field: &str) -> enigma::Result<T> {
        let refuse = |text: &dyn std::fmt::Display| {
            invalid(field, format!("must be a whole number from 0 to {}, got {text}", T::MAX))
        };
        match self {
            Int::Small(value) => T::try_from(*value).map_err(|_| refuse(value)),
            Int::Huge(text) => Err(refuse(text)),
        }
    }
}

/// The unsigned integers arguments convert to, with their largest value for error messages.
pub(crate) trait Unsigned {
    const MAX: u64;
}

impl Unsigned for u32 {
    const MAX: u64 = u32::MAX as u64;
}

impl Unsigned for u64 {
    const MAX: u64 = u64::MAX;
}

/// A coordinate (`x`, `y`): out-of-range values are left to the core's check; those no `u32`
/// holds (negative, huge) are refused here, naming the core's range.
pub(crate) fn coordinate(field: &str, value: Int) -> enigma::Result<u32> {
    value.to::<u32>(field).map_err(|_| {
        let range = if field == "x" { enigma::X_RANGE } else { enigma::Y_RANGE };
        let got = match value {
            Int::Small(v) => v.to_string(),
            Int::Huge(text) => text,
        };
        invalid(field, format!("must be within {}..={} (window coordinates), got {got}", range.start(), range.end()))
    })
}

/// A call's options, as Python passed them (one dict), read and checked by the core in Python's
/// spelling. A value of a type the field never takes raises `TypeError`, as Python does; any
/// other refusal is the core's `validation` error.
pub(crate) fn read_options<T>(
    py: Python<'_>,
    options: &Bound<'_, PyDict>,
    read: fn(Value, Spelling) -> Result<T, OptionsError>,
    blocking: bool,
) -> PyResult<T> {
    json_of(options).and_then(|value| read(value, Spelling::Snake)).map_err(|err| match err.wrong_type {
        true => PyTypeError::new_err(err.to_string()),
        false => to_py_err(py, err.into(), blocking),
    })
}

/// The dict as JSON (through `pythonize`), key by key so that a value with no JSON form (an int
/// beyond 64 bits) is refused naming its key.
fn json_of(options: &Bound<'_, PyDict>) -> Result<Value, OptionsError> {
    let mut map = Map::new();
    for (key, value) in options.iter() {
        let key: String = key.extract().map_err(|_| OptionsError::new("options", "keys must be strings", true))?;
        let json = pythonize::depythonize::<Value>(&value)
            .map_err(|e| OptionsError::new(&key, format!("is out of range ({e})"), !value.is_instance_of::<PyInt>()))?;
        map.insert(key, json);
    }
    Ok(Value::Object(map))
}

/// The core's option fields in Python's spelling, by kind (`session`, `task`, `wait`), for the
/// test that checks the public signatures against them.
#[pyfunction]
pub(crate) fn option_fields() -> std::collections::HashMap<&'static str, Vec<String>> {
    OptionsKind::ALL.iter().map(|k| (k.name(), k.spelled_fields(Spelling::Snake))).collect()
}
