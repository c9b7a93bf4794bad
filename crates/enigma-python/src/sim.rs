//! `enigma._native.Simulator`: the simulator (crate `enigma-sim`) served in-process, for
//! `enigma.testing`.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use enigma_sim::{RateLimitScope, SimConfig, SimHandle};
use pyo3::exceptions::{PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use crate::convert::json_to_py;
use crate::runtime;

#[pyclass(name = "Simulator", module = "enigma._native", frozen)]
pub(crate) struct PySimulator {
    handle: Mutex<Option<SimHandle>>,
    url: String,
}

fn sim_seconds(field: &str, secs: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(secs)
        .map_err(|_| PyValueError::new_err(format!("{field} must be a non-negative number of seconds, got {secs}")))
}

#[pymethods]
impl PySimulator {
    #[new]
    #[pyo3(signature = (*, time_scale=1.0, inline_wait=50.0, idle_timeout=300.0, instance_grace=300.0,
        rate_limit=Some(10), rate_limit_scope="shared", max_sessions=5, initial_balance=100.0, seed=0,
        host="127.0.0.1", port=0))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        time_scale: f64,
        inline_wait: f64,
        idle_timeout: f64,
        instance_grace: f64,
        rate_limit: Option<u32>,
        rate_limit_scope: &str,
        max_sessions: u32,
        initial_balance: f64,
        seed: u64,
        host: &str,
        port: u16,
    ) -> PyResult<Self> {
        let bind: SocketAddr = format!("{host}:{port}")
            .parse()
            .or_else(|_| format!("[{host}]:{port}").parse())
            .map_err(|_| PyValueError::new_err(format!("host must be an IP address, got {host:?}")))?;
        let config = SimConfig {
            bind,
            time_scale,
            inline_wait: sim_seconds("inline_wait", inline_wait)?,
            idle_timeout: sim_seconds("idle_timeout", idle_timeout)?,
            instance_grace: sim_seconds("instance_grace", instance_grace)?,
            rate_limit,
            rate_limit_scope: rate_limit_scope.parse::<RateLimitScope>().map_err(PyValueError::new_err)?,
            max_sessions,
            initial_balance,
            seed,
            ..SimConfig::default()
        };
        config.validate().map_err(PyValueError::new_err)?;
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
