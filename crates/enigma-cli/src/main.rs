//! `enigma`: run a browser-agent task, drive a session, serve the simulator (see the library).

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(enigma_cli::run(std::env::args_os()))
}
