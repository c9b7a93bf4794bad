//! The `enigma` command: run a browser-agent task, drive a session, serve the simulator. A
//! library too, so that a host can run it in its own process: the Python package's `enigma`
//! console script calls [`run`] through its extension, which already holds the core and the
//! simulator, rather than shipping a second copy of both as a binary.

mod args;
mod batch;
mod batch_args;
mod batch_input;
mod batch_output;
mod commands;
mod connect;
mod exit;
mod interrupt;
mod mcp;
mod output;
mod progress;
mod report;
mod session_list;
mod signal;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;

/// Runs the command line `args` (the program's name first, as `std::env::args_os` gives it)
/// and returns its exit status (the README's table).
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let status = execute(args).status();
    // A host process (Python) exits after this returns: what was printed must be out by then.
    let _ = std::io::stdout().flush();
    status
}

fn execute<I, T>(args: I) -> exit::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        // `--help` and `--version` print to stdout and succeed; a refused command line gets the
        // table's usage status (clap's own convention, 2).
        Err(err) => {
            let _ = err.print();
            return exit::ExitCode::from(if err.use_stderr() { exit::USAGE } else { exit::SUCCESS });
        }
    };
    // The CLI is an application: it may take the process's subscriber for `ENIGMA_LOG` (in the
    // Python package's script, the extension took it already and this does nothing).
    enigma::init_logging_from_env();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return exit::ExitCode::FAILURE;
        }
    };
    let json = cli.json;
    connect::set_record(cli.record.clone());
    match runtime.block_on(commands::dispatch(cli)) {
        Ok(code) => code,
        Err(err) => output::report_error(&err, json),
    }
}
