//! The core's `tracing` events reach Python's `logging` (loggers `enigma.*`) through the `log`
//! facade and `pyo3-log`. Levels are cached on the Rust side (no GIL for a disabled message);
//! the cache is refreshed whenever a client is made.

use std::sync::Mutex;

use log::LevelFilter;
use pyo3::prelude::*;

static RESET: Mutex<Option<pyo3_log::ResetHandle>> = Mutex::new(None);

pub(crate) fn init(py: Python<'_>) -> PyResult<()> {
    let logger = pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels)?
        .filter(LevelFilter::Warn)
        .filter_target("enigma".to_owned(), LevelFilter::Debug)
        .filter_target("enigma_python".to_owned(), LevelFilter::Debug)
        .filter_target("enigma_sim".to_owned(), LevelFilter::Info);
    if let Ok(handle) = logger.install() {
        *RESET.lock().unwrap_or_else(|e| e.into_inner()) = Some(handle);
    }
    Ok(())
}

/// Forgets cached logger levels (they are read again on the next message).
#[pyfunction]
pub(crate) fn refresh() {
    if let Some(handle) = RESET.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        handle.reset();
    }
}
