//! `enigma`: run a browser-agent task, drive a session, serve the simulator.

mod args;
mod batch;
mod batch_args;
mod batch_input;
mod batch_output;
mod commands;
mod connect;
mod exit;
mod interrupt;
mod output;
mod progress;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        // `--help` and `--version` print to stdout and succeed; a refused command line gets the
        // table's usage status (clap's own convention, 2).
        Err(err) => {
            let _ = err.print();
            return std::process::ExitCode::from(if err.use_stderr() { exit::USAGE } else { exit::SUCCESS });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let json = cli.json;
    match runtime.block_on(commands::dispatch(cli)) {
        Ok(code) => code,
        Err(err) => output::report_error(&err, json),
    }
}
