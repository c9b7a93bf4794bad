//! `enigma._native`: the Python binding of the Enigma SDK core. Thin: each method converts its
//! arguments, calls the core (`enigma`), and maps the result or error. The typed Python layer is
//! `python/src/enigma/`; the exception classes are defined there (`enigma.errors`).
//!
//! Imports run one way, down: the handles' methods (`client.rs`, `session.rs`, `task.rs`, ...),
//! `bridge/` (sync wait and asyncio), `convert.rs`, `errors.rs`, and the handle types
//! (`handles.rs`) with the runtime; docs/architecture.md has the picture.

mod batch;
mod bridge;
mod cli;
mod client;
mod convert;
mod errors;
mod events;
mod handles;
mod logging;
mod look;
mod runtime;
mod session;
mod sim;
mod task;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    logging::init(m.py())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The core's tables, which `enigma.errors`, `enigma.events` and the session methods are
    // tested against.
    m.add("ERROR_CODES", errors::error_codes())?;
    m.add("EVENT_TYPES", events::event_types())?;
    m.add("SESSION_COMMANDS", enigma::SessionCommand::ALL.map(|c| c.name()).to_vec())?;
    m.add_class::<handles::PyClient>()?;
    m.add_class::<handles::PySession>()?;
    m.add_class::<handles::PyTask>()?;
    m.add_class::<events::PyEventStream>()?;
    m.add_class::<sim::PySimulator>()?;
    m.add_class::<batch::PyBatch>()?;
    m.add_function(wrap_pyfunction!(runtime::drain, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::shutdown, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::pending_cleanups, m)?)?;
    m.add_function(wrap_pyfunction!(runtime::runtime_alive, m)?)?;
    m.add_function(wrap_pyfunction!(logging::refresh, m)?)?;
    m.add_function(wrap_pyfunction!(convert::option_fields, m)?)?;
    m.add_function(wrap_pyfunction!(convert::numeric_fields, m)?)?;
    m.add_function(wrap_pyfunction!(sim::simulator_defaults, m)?)?;
    m.add_function(wrap_pyfunction!(cli::cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(sim::simulator_test_settings, m)?)?;
    m.add_function(wrap_pyfunction!(look::session_timeline, m)?)?;
    m.add_function(wrap_pyfunction!(look::session_live_view, m)?)?;
    m.add_function(wrap_pyfunction!(look::result_timeline, m)?)?;
    m.add_function(wrap_pyfunction!(look::batch_timeline, m)?)?;
    m.add_function(wrap_pyfunction!(look::file_timeline, m)?)?;
    Ok(())
}
