//! Core values to Python objects (the typed classes of `enigma._models`), and Python arguments
//! to core values.

use std::time::Duration;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;

use crate::errors::invalid;

/// Any JSON value as plain Python objects (dict, list, str, int, float, bool, None).
pub(crate) fn json_to_py(py: Python<'_>, value: &Value) -> PyResult<Py<PyAny>> {
    Ok(match value {
        Value::Null => py.None(),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any().unbind(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any().unbind(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any().unbind(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any().unbind(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any().unbind(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any().unbind()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any().unbind()
        }
    })
}

fn model<'py>(py: Python<'py>, cell: &'static PyOnceLock<Py<PyAny>>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    Ok(cell.import(py, "enigma._models", name)?.clone())
}

pub(crate) fn usage_to_py(py: Python<'_>, usage: &enigma::Usage) -> PyResult<Py<PyAny>> {
    static USAGE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let kw = PyDict::new(py);
    kw.set_item("input_tokens", usage.input_tokens)?;
    kw.set_item("output_tokens", usage.output_tokens)?;
    kw.set_item("total_tokens", usage.total_tokens)?;
    kw.set_item("compute_time", usage.compute_time)?;
    kw.set_item("completion_time", usage.completion_time)?;
    kw.set_item("cost", usage.cost)?;
    Ok(model(py, &USAGE, "Usage")?.call((), Some(&kw))?.unbind())
}

pub(crate) fn result_to_py(py: Python<'_>, result: enigma::TaskResult) -> PyResult<Py<PyAny>> {
    static RESULT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let kw = PyDict::new(py);
    kw.set_item("outcome", result.outcome.as_str())?;
    kw.set_item("message", result.message)?;
    kw.set_item("question", result.question)?;
    kw.set_item("usage", usage_to_py(py, &result.usage)?)?;
    kw.set_item("task_id", result.task_id)?;
    kw.set_item("session_id", result.session_id)?;
    kw.set_item("completed_at", result.completed_at)?;
    kw.set_item("raw", json_to_py(py, &result.raw)?)?;
    Ok(model(py, &RESULT, "TaskResult")?.call((), Some(&kw))?.unbind())
}

pub(crate) fn status_to_py(py: Python<'_>, status: &enigma::TaskStatus) -> PyResult<Py<PyAny>> {
    static STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    use enigma::TaskState;
    let kw = PyDict::new(py);
    match &status.state {
        TaskState::Running { paused } => kw.set_item("paused", *paused)?,
        TaskState::Completed { message, completed_at } => {
            kw.set_item("message", message)?;
            kw.set_item("completed_at", completed_at)?;
        }
        TaskState::Guardrail { question } => kw.set_item("question", question)?,
        TaskState::Failed { code, error } => {
            kw.set_item("error_code", code)?;
            kw.set_item("error", error)?;
        }
        TaskState::Stopped | TaskState::Terminated => {}
    }
    kw.set_item("state", status.state.name())?;
    kw.set_item("usage", usage_to_py(py, &status.usage)?)?;
    kw.set_item("raw", json_to_py(py, &status.raw)?)?;
    Ok(model(py, &STATUS, "TaskStatus")?.call((), Some(&kw))?.unbind())
}

pub(crate) fn health_to_py(py: Python<'_>, health: enigma::Health) -> PyResult<Py<PyAny>> {
    static HEALTH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let kw = PyDict::new(py);
    kw.set_item("status", health.status)?;
    kw.set_item("instances_available", health.instances_available)?;
    kw.set_item("instance_count", health.instance_count)?;
    kw.set_item("timestamp", health.timestamp)?;
    kw.set_item("raw", json_to_py(py, &health.raw)?)?;
    Ok(model(py, &HEALTH, "Health")?.call((), Some(&kw))?.unbind())
}

pub(crate) fn sockets_to_py(py: Python<'_>, sockets: enigma::ActiveSockets) -> PyResult<Py<PyAny>> {
    static SOCKETS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let kw = PyDict::new(py);
    kw.set_item("sockets", sockets.sockets)?;
    kw.set_item("count", sockets.count)?;
    kw.set_item("raw", json_to_py(py, &sockets.raw)?)?;
    Ok(model(py, &SOCKETS, "ActiveSockets")?.call((), Some(&kw))?.unbind())
}

/// A count from Python (`max_duration`, token limits, coordinates): negative values are a
/// validation error naming the field.
pub(crate) fn count(field: &str, value: Option<i64>) -> enigma::Result<Option<u64>> {
    match value {
        Some(v) if v < 0 => Err(invalid(field, format!("must not be negative, got {v}"))),
        Some(v) => Ok(Some(v as u64)),
        None => Ok(None),
    }
}

/// A coordinate (`x`, `y`): out-of-range values are left to the core's check; negative ones
/// (which no `u32` holds) are refused here, naming the core's range.
pub(crate) fn coordinate(field: &str, value: i64) -> enigma::Result<u32> {
    u32::try_from(value).map_err(|_| {
        let range = if field == "x" { enigma::X_RANGE } else { enigma::Y_RANGE };
        invalid(field, format!("must be within {}..={} (window coordinates), got {value}", range.start(), range.end()))
    })
}

/// Seconds from Python to a duration.
pub(crate) fn seconds(field: &str, value: Option<f64>) -> enigma::Result<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(s) => Duration::try_from_secs_f64(s)
            .map(Some)
            .map_err(|_| invalid(field, format!("must be a non-negative number of seconds, got {s}"))),
    }
}
