//! `enigma._native.Simulator`: the simulator (crate `enigma-sim`) served in-process, for
//! `enigma.testing`.

use enigma_sim::{SharedSim, SimSettings};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{json_to_py, read_options};
use crate::runtime;

#[pyclass(name = "Simulator", module = "enigma._native", frozen)]
pub(crate) struct PySimulator {
    sim: SharedSim,
}

/// The simulator's own defaults (`SimSettings::defaults()`), in the units of `Simulator(...)`:
/// `enigma.testing.Simulator` takes its keyword defaults from here, so they are written once.
#[pyfunction]
pub(crate) fn simulator_defaults(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let mut defaults = serde_json::to_value(SimSettings::defaults()).unwrap_or_default();
    // `replay` has no default value (the scripted agent serves); it is still one of
    // `Simulator(...)`'s keywords, with None.
    if let Some(fields) = defaults.as_object_mut() {
        fields.entry("replay").or_insert(serde_json::Value::Null);
    }
    json_to_py(py, &defaults)
}

/// What the test kits change from the defaults (`SimSettings::for_tests()`, the same in every
/// language): the `enigma_simulator` fixture's settings.
#[pyfunction]
pub(crate) fn simulator_test_settings(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let mut settings = serde_json::to_value(SimSettings::for_tests()).unwrap_or_default();
    if let Some(fields) = settings.as_object_mut() {
        fields.retain(|_, value| !value.is_null());
    }
    json_to_py(py, &settings)
}

#[pymethods]
impl PySimulator {
    /// `settings`: those given (keys of `enigma_sim::SimSettings`, in seconds; `rate_limit` 0
    /// is off), over the simulator's own defaults.
    #[new]
    fn new(py: Python<'_>, settings: &Bound<'_, PyDict>) -> PyResult<Self> {
        let settings: SimSettings = read_options(py, settings, enigma::binding::settings, false)?;
        let config = settings.config().map_err(PyValueError::new_err)?;
        let sim = py
            .detach(|| runtime::block_on(SharedSim::start(config)))?
            .map_err(|e| PyOSError::new_err(format!("cannot start the simulator: {e}")))?;
        Ok(PySimulator { sim })
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`.
    #[getter]
    fn url(&self) -> &str {
        self.sim.url()
    }

    /// The `/_sim/stats` counters as a dict.
    fn stats(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let stats = self.sim.stats().ok_or_else(|| PyRuntimeError::new_err("the simulator is closed"))?;
        json_to_py(py, &stats)
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.sim.is_closed()
    }

    /// Stops the server (open requests get a few seconds to finish). Idempotent.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let shutdown = self.sim.close();
        py.detach(|| runtime::block_on(shutdown))
    }

    fn __repr__(&self) -> String {
        format!("Simulator(url={:?})", self.sim.url())
    }
}
