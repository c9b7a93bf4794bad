//! The `enigma` command inside the Python package: the `enigma` console script
//! (`enigma._cli:main`) runs the CLI's own code here, so `pip install enigma-click` gives the
//! command without a second copy of the core in the wheel.

use pyo3::prelude::*;

/// Runs the `enigma` command line `argv` (program name first) and returns its exit status.
/// The GIL is released meanwhile: the command runs its own runtime and handles Ctrl-C and
/// SIGTERM itself, as the binary does.
#[pyfunction]
pub fn cli_main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| enigma_cli::run(argv))
}
