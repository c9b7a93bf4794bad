//! Core values to Python objects (the typed classes of `enigma._models`), and Python arguments
//! to core values.

use enigma::binding::{OptionsError, OptionsKind, Spelling};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt};
use serde_json::{Map, Value};

use crate::errors::to_py_err;

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

/// A window coordinate from Python, checked by the core (`TypeError` for a non-number).
pub(crate) fn coordinate(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>, blocking: bool) -> PyResult<u32> {
    json_value(field, value)
        .and_then(|v| enigma::binding::coordinate(field, v, Spelling::Snake))
        .map_err(|err| refusal(py, err, blocking))
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
    json_of(options).and_then(|value| read(value, Spelling::Snake)).map_err(|err| refusal(py, err, blocking))
}

/// A value of a type the field never takes raises `TypeError`, as Python does; any other
/// refusal is the core's `validation` error.
fn refusal(py: Python<'_>, err: OptionsError, blocking: bool) -> PyErr {
    match err.wrong_type {
        true => PyTypeError::new_err(err.to_string()),
        false => to_py_err(py, err.into(), blocking),
    }
}

/// One Python value as JSON (through `pythonize`); one with no JSON form (an int beyond 64
/// bits) is refused naming `field`.
fn json_value(field: &str, value: &Bound<'_, PyAny>) -> Result<Value, OptionsError> {
    pythonize::depythonize::<Value>(value)
        .map_err(|e| OptionsError::new(field, format!("is out of range ({e})"), !value.is_instance_of::<PyInt>()))
}

/// The dict as JSON (through `pythonize`), key by key so that a value with no JSON form (an int
/// beyond 64 bits) is refused naming its key.
fn json_of(options: &Bound<'_, PyDict>) -> Result<Value, OptionsError> {
    let mut map = Map::new();
    for (key, value) in options.iter() {
        let key: String = key.extract().map_err(|_| OptionsError::new("options", "keys must be strings", true))?;
        map.insert(key.clone(), json_value(&key, &value)?);
    }
    Ok(Value::Object(map))
}

/// The core's option fields in Python's spelling, by kind (`session`, `task`, `wait`), for the
/// test that checks the public signatures against them.
#[pyfunction]
pub(crate) fn option_fields() -> std::collections::HashMap<&'static str, Vec<String>> {
    OptionsKind::ALL.iter().map(|k| (k.name(), k.spelled_fields(Spelling::Snake))).collect()
}
