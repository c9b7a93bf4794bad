//! Exit codes, one per kind of failure, so scripts can branch on them.

use std::process::ExitCode;

use enigma::{Error, ErrorCode, Outcome};

/// The exit code for a result.
pub fn for_outcome(outcome: Outcome) -> ExitCode {
    ExitCode::from(match outcome {
        Outcome::Completed => 0,
        Outcome::Guardrail => 20,
        Outcome::Stopped => 21,
    })
}

/// The exit code for an error: documented in the README's CLI table.
pub fn for_error(err: &Error) -> ExitCode {
    ExitCode::from(status_for(err.error_code()))
}

/// The exit status of each code of the core's table. Exhaustive on purpose (no `_` arm): a new
/// code in the core does not compile here until it has a status.
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
}
