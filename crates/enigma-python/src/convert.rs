//! Core values to Python objects (the typed classes of `enigma._models`), and Python arguments
//! to core values.

use enigma::binding::{OptionsError, OptionsKind, Spelling};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyInt};
use serde_json::{Map, Value};

use crate::errors::to_py_err;

/// Any JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(pythonize::pythonize(py, value)?.unbind())
}

/// A class of `enigma._models`, with its dataclass fields (for [`instance_of`]).
struct Model {
    class: Py<PyAny>,
    fields: Py<PyDict>,
}

fn model<'py>(py: Python<'py>, cell: &'static PyOnceLock<Model>, name: &str) -> PyResult<&'py Model> {
    cell.get_or_try_init(py, || {
        let class = py.import("enigma._models")?.getattr(name)?;
        let fields = class.getattr(intern!(py, "__dataclass_fields__"))?.cast_into::<PyDict>()?.unbind();
        Ok(Model { class: class.unbind(), fields })
    })
}

/// `model(**kw)`, without running the frozen dataclass's `__init__` when `kw` names every field
/// and nothing else: that `__init__` sets each field through `object.__setattr__` (about 6 µs
/// for a status and its usage, a tenth of a poll), where filling the instance's `__dict__` at
/// once gives the same object (no field has a `__post_init__` or a converter). Anything else
/// goes through the class as before, with its errors.
fn instance_of<'py>(py: Python<'py>, model: &Model, kw: Bound<'py, PyDict>) -> PyResult<Bound<'py, PyAny>> {
    static OBJECT_NEW: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let class = model.class.bind(py);
    let fields = model.fields.bind(py);
    let complete = kw.len() == fields.len() && kw.iter().all(|(k, _)| fields.contains(k).unwrap_or(false));
    if !complete {
        return class.call((), Some(&kw));
    }
    let new = OBJECT_NEW
        .get_or_try_init(py, || PyResult::Ok(py.import("builtins")?.getattr("object")?.getattr("__new__")?.unbind()))?;
    let instance = new.bind(py).call1((class,))?;
    instance.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?.update(kw.as_mapping())?;
    Ok(instance)
}

/// A core value as the `enigma._models` class with the same fields, from the value's serde
/// form (its `usage`, if any, as a `Usage` too).
fn model_of<T: serde::Serialize>(
    py: Python<'_>,
    cell: &'static PyOnceLock<Model>,
    name: &str,
    value: &T,
) -> PyResult<Py<PyAny>> {
    let kw = pythonize::pythonize(py, value)?.cast_into::<PyDict>()?;
    if let Some(usage) = kw.get_item(intern!(py, "usage"))? {
        static USAGE: PyOnceLock<Model> = PyOnceLock::new();
        kw.set_item(intern!(py, "usage"), instance_of(py, model(py, &USAGE, "Usage")?, usage.cast_into::<PyDict>()?)?)?;
    }
    Ok(instance_of(py, model(py, cell, name)?, kw)?.unbind())
}

pub(crate) fn result_to_py(py: Python<'_>, result: enigma::TaskResult) -> PyResult<Py<PyAny>> {
    static RESULT: PyOnceLock<Model> = PyOnceLock::new();
    model_of(py, &RESULT, "TaskResult", &result)
}

pub(crate) fn status_to_py(py: Python<'_>, status: &enigma::TaskStatus) -> PyResult<Py<PyAny>> {
    static STATUS: PyOnceLock<Model> = PyOnceLock::new();
    model_of(py, &STATUS, "TaskStatus", &status.view())
}

pub(crate) fn health_to_py(py: Python<'_>, health: enigma::Health) -> PyResult<Py<PyAny>> {
    static HEALTH: PyOnceLock<Model> = PyOnceLock::new();
    model_of(py, &HEALTH, "Health", &health)
}

pub(crate) fn sockets_to_py(py: Python<'_>, sockets: enigma::ActiveSockets) -> PyResult<Py<PyAny>> {
    static SOCKETS: PyOnceLock<Model> = PyOnceLock::new();
    model_of(py, &SOCKETS, "ActiveSockets", &sockets)
}

/// The ledger's unended sessions, checked (the core's `Client::check_unended_sessions`), as a
/// list of `enigma.UnendedSession`.
pub(crate) fn unended_to_py(py: Python<'_>, checked: Vec<enigma::CheckedSession>) -> PyResult<Py<PyAny>> {
    static UNENDED: PyOnceLock<Model> = PyOnceLock::new();
    let list = pyo3::types::PyList::empty(py);
    for session in &checked {
        list.append(model_of(py, &UNENDED, "UnendedSession", session)?)?;
    }
    Ok(list.into_any().unbind())
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

/// One Python value as JSON, read by the core (`enigma::binding::json`, which refuses NaN and
/// infinity naming `field`: serde_json's own conversion would make them `null`, an option not
/// given). An int that pythonize cannot read at all (beyond 128 bits) is out of range, not a
/// wrong type.
fn json_value(field: &str, value: &Bound<'_, PyAny>) -> Result<Value, OptionsError> {
    let source = &mut pythonize::Depythonizer::from_object(value);
    enigma::binding::json(field, source).map_err(|err| match value.is_instance_of::<PyInt>() {
        true if err.wrong_type => OptionsError::new(field, "is out of range", false),
        _ => err,
    })
}

/// The dict as JSON, key by key so that a value with no JSON form (NaN, an int beyond 64 bits)
/// is refused naming its key.
fn json_of(options: &Bound<'_, PyDict>) -> Result<Value, OptionsError> {
    let mut map = Map::new();
    for (key, value) in options.iter() {
        let key: String = key.extract().map_err(|_| OptionsError::new("options", "keys must be strings", true))?;
        map.insert(key.clone(), json_value(&key, &value)?);
    }
    Ok(Value::Object(map))
}

/// The core's option fields in Python's spelling, by kind (`session`, `task`, `wait`, and
/// `client`: the client's settings), for the tests that check the public signatures against them.
#[pyfunction]
pub(crate) fn option_fields() -> std::collections::HashMap<&'static str, Vec<String>> {
    OptionsKind::ALL.iter().map(|k| (k.name(), k.spelled_fields(Spelling::Snake))).collect()
}

/// The fields that take a number in Python's spelling, by kind (`session`, `task`, `wait`,
/// `client`), for the test that gives each one NaN, infinity and a negative value.
#[pyfunction]
pub(crate) fn numeric_fields() -> std::collections::HashMap<&'static str, Vec<String>> {
    let spell = |fields: Vec<&str>| fields.into_iter().map(|f| Spelling::Snake.spell(f)).collect();
    enigma::binding::numeric_fields().into_iter().map(|(kind, fields)| (kind, spell(fields))).collect()
}
