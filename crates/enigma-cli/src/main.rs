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
    let cli = args::Cli::parse();
    // The CLI is an application: it may take the process's subscriber for `ENIGMA_LOG`.
    enigma::init_logging_from_env();
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
