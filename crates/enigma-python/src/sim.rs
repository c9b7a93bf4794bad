//! `enigma._native.Simulator`: the simulator (crate `enigma-sim`) served in-process, for
//! `enigma.testing`.

use std::sync::Mutex;

use enigma_sim::{SimConfig, SimHandle, SimSettings};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{json_to_py, read_options};
use crate::runtime;

#[pyclass(name = "Simulator", module = "enigma._native", frozen)]
pub(crate) struct PySimulator {
    handle: Mutex<Option<SimHandle>>,
    url: String,
}

/// The simulator's own defaults (`SimConfig::default()`), in the units of `Simulator(...)`:
/// `enigma.testing.Simulator` takes its keyword defaults from here, so they are written once.
#[pyfunction]
pub(crate) fn simulator_defaults(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let c = SimConfig::default();
    let d = PyDict::new(py);
    d.set_item("time_scale", c.time_scale)?;
    d.set_item("inline_wait", c.inline_wait.as_secs_f64())?;
    d.set_item("idle_timeout", c.idle_timeout.as_secs_f64())?;
    d.set_item("instance_grace", c.instance_grace.as_secs_f64())?;
    d.set_item("rate_limit", c.rate_limit)?;
    d.set_item("rate_limit_scope", c.rate_limit_scope.as_str())?;
    d.set_item("max_sessions", c.max_sessions)?;
    d.set_item("initial_balance", c.initial_balance)?;
    d.set_item("seed", c.seed)?;
    d.set_item("host", c.bind.ip().to_string())?;
    d.set_item("port", c.bind.port())?;
    Ok(d)
}

#[pymethods]
impl PySimulator {
    /// `settings`: those given (keys of `enigma_sim::SimSettings`, in seconds; `rate_limit` 0
    /// is off), over the simulator's own defaults.
    #[new]
    fn new(py: Python<'_>, settings: &Bound<'_, PyDict>) -> PyResult<Self> {
        let settings: SimSettings = read_options(py, settings, enigma::binding::settings, false)?;
        let config = settings.config().map_err(PyValueError::new_err)?;
        let handle = py
            .detach(|| runtime::block_on(enigma_sim::Simulator::start(config)))?
            .map_err(|e| PyOSError::new_err(format!("cannot start the simulator: {e}")))?;
        let url = handle.url();
        Ok(PySimulator { handle: Mutex::new(Some(handle)), url })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The `/_sim/stats` counters as a dict.
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let guard = self.handle.lock().unwrap_or_else(|e| e.into_inner());
        let handle = guard.as_ref().ok_or_else(|| PyRuntimeError::new_err("the simulator is closed"))?;
        json_to_py(py, &handle.stats())
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.handle.lock().unwrap_or_else(|e| e.into_inner()).is_none()
    }

    /// Stops the server (open requests get a few seconds to finish). Idempotent.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let handle = self.handle.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(handle) = handle {
            py.detach(|| runtime::block_on(handle.shutdown()))?;
        }
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!("Simulator(url={:?})", self.url)
    }
}
