//! Exit codes, one per kind of failure, so scripts can branch on them.

use std::process::ExitCode;

use enigma::{Error, ErrorCode, Outcome};

use crate::interrupt::{self, Signal};

/// The exit code for a result.
pub fn for_outcome(outcome: Outcome) -> ExitCode {
    ExitCode::from(match outcome {
        Outcome::Completed => 0,
        Outcome::Guardrail => 20,
        Outcome::Stopped => 21,
    })
}

/// The exit code for an error: documented in the README's CLI table. `cancelled` after a signal
/// is that signal's status (130 for Ctrl-C, 143 for SIGTERM).
pub fn for_error(err: &Error) -> ExitCode {
    let code = err.error_code();
    ExitCode::from(match interrupt::received() {
        Some(signal) if code == ErrorCode::Cancelled => for_signal(signal),
        _ => status_for(code),
    })
}

/// The exit status of a command a signal ended: 128 + the signal's number, as a shell reports
/// a process the signal killed, so `timeout`, `docker stop` and CI runners see what they expect.
pub fn for_signal(signal: Signal) -> u8 {
    match signal {
        Signal::Interrupt => status_for(ErrorCode::Cancelled),
        Signal::Terminate => 143,
    }
}

/// The exit status of each code of the core's table. `ErrorCode` is `#[non_exhaustive]` (new
/// codes come in minor releases), so there is a `_` arm; the test below fails until a new code
/// has a status of its own here and a row in the README.
pub fn status_for(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::Validation => 3,
        ErrorCode::Authentication | ErrorCode::PermissionDenied | ErrorCode::InsecureTransport => 4,
        ErrorCode::InsufficientBalance => 5,
        ErrorCode::RateLimited | ErrorCode::SessionLimit => 6,
        ErrorCode::SessionNotFound | ErrorCode::TaskNotFound => 7,
        ErrorCode::TaskFailed => 8,
        ErrorCode::WaitTimeout => 9,
        ErrorCode::CostLimit => 10,
        ErrorCode::SessionEnded => 11,
        ErrorCode::TaskAlreadyRunning => 12,
        ErrorCode::Connection | ErrorCode::Server | ErrorCode::Decode => 13,
        ErrorCode::OutcomeUnknown => 14,
        ErrorCode::Cancelled => 130,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of the core's list has a status of its own kind: not 0 (success), 1 (the
    /// catch-all for failures outside the table), 2 (argument errors) nor an outcome's; and the
    /// README's exit table has the code in the row of that status.
    #[test]
    fn every_core_code_has_a_documented_exit_status() {
        let readme = include_str!("../../../README.md");
        for &code in ErrorCode::ALL {
            let status = status_for(code);
            assert!(![0, 1, 2, 20, 21].contains(&status), "{code} has exit status {status}");
            let row = readme.lines().find(|line| line.starts_with(&format!("| {status} |")));
            assert!(
                row.is_some_and(|row| row.contains(&format!("`{code}`"))),
                "README's exit table has no `{code}` in the row of exit {status}"
            );
        }
    }

    /// The README's exit table names the status a SIGTERM ends a command with.
    #[test]
    fn the_sigterm_status_is_documented() {
        let readme = include_str!("../../../README.md");
        let status = for_signal(Signal::Terminate);
        let row = readme.lines().find(|line| line.starts_with(&format!("| {status} |")));
        assert!(
            row.is_some_and(|row| row.contains("`cancelled`") && row.contains("SIGTERM")),
            "no row for exit {status}"
        );
        assert_eq!(for_signal(Signal::Interrupt), 130);
    }
}
