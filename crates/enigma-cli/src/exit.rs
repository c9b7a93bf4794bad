//! Exit codes, one per kind of failure, so scripts can branch on them.

use std::process::ExitCode;

use enigma::{Error, Outcome};

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
    ExitCode::from(match err.code() {
        "validation" => 3,
        "authentication" | "permission_denied" | "insecure_transport" => 4,
        "insufficient_balance" => 5,
        "rate_limited" | "session_limit" => 6,
        "session_not_found" | "task_not_found" => 7,
        "task_failed" => 8,
        "wait_timeout" => 9,
        "cost_limit" => 10,
        "session_ended" => 11,
        "task_already_running" => 12,
        "connection" | "server" | "decode" => 13,
        "outcome_unknown" => 14,
        "cancelled" => 130,
        _ => 1,
    })
}
