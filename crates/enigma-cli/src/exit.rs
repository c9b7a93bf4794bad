//! Exit statuses, one per kind of end, so scripts can branch on them. [`TABLE`] is the one list:
//! the README's exit-status table is tested against it row for row, and every status the CLI
//! returns comes from a function here that is tested against it.

use enigma::{BatchOutcome, BatchSummary, Error, ErrorCode, Outcome};

use crate::signal::{self, Signal};

/// Every exit status and what it means, as the README's table lists it (same order, same text).
/// An error code's row names the code in backquotes (`` `validation` ``).
pub const TABLE: &[(u8, &str)] = &[
    (0, "success: the task completed; `batch`: every task ran and none failed"),
    (1, "a failure outside this table (the async runtime could not start)"),
    (2, "usage: an unknown command or flag, a missing or malformed argument (clap's convention); nothing was sent"),
    (3, "`validation`: bad input, nothing was sent"),
    (4, "`authentication`, `permission_denied`, `insecure_transport`"),
    (5, "`insufficient_balance`"),
    (6, "`rate_limited`, `session_limit`"),
    (7, "`session_not_found`, `task_not_found`"),
    (8, "`task_failed`"),
    (9, "`wait_timeout`"),
    (10, "`cost_limit` (the task was stopped)"),
    (11, "`session_ended`"),
    (12, "`task_already_running`"),
    (13, "`connection`, `server`, `decode`"),
    (14, "`outcome_unknown` (the request may have been done: check before sending it again)"),
    (20, "guardrail: the agent asked a question"),
    (21, "stopped: the task was stopped"),
    (
        22,
        "`batch`: the budget was reached (running tasks stopped, the rest not started; rerun with the journal to go on)",
    ),
    (23, "`batch`: every task ran, some failed (outcome `failed` or `unknown`)"),
    (24, "`batch`: some tasks never started (the key refused them); rerun with the journal to go on"),
    (130, "`cancelled` by Ctrl-C (SIGINT); an open session is terminated first"),
    (143, "`cancelled` by SIGTERM (`timeout`, `docker stop`); the same cleanup"),
];

/// A command's exit status. Its number can be read back ([`ExitCode::status`]), unlike std's,
/// for a host that runs the CLI in its own process (the Python package's `enigma` script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExitCode(u8);

impl ExitCode {
    /// Success (0).
    pub const SUCCESS: ExitCode = ExitCode(SUCCESS);
    /// A failure outside the table (1).
    pub const FAILURE: ExitCode = ExitCode(1);

    /// The number.
    pub fn status(self) -> u8 {
        self.0
    }
}

impl From<u8> for ExitCode {
    fn from(status: u8) -> ExitCode {
        ExitCode(status)
    }
}

/// Success.
pub const SUCCESS: u8 = 0;
/// clap's status for a command line it refuses (it exits with it itself).
pub const USAGE: u8 = 2;
/// A batch the budget stopped.
pub const BATCH_BUDGET: u8 = 22;
/// A batch whose tasks all ran, some failing.
pub const BATCH_SOME_FAILED: u8 = 23;
/// A batch some of whose tasks never started, the budget aside.
pub const BATCH_NOT_STARTED: u8 = 24;

/// The exit code for a result.
pub fn for_outcome(outcome: Outcome) -> ExitCode {
    ExitCode::from(match outcome {
        Outcome::Completed => SUCCESS,
        Outcome::Guardrail => 20,
        Outcome::Stopped => 21,
    })
}

/// The exit code for an error: documented in the README's CLI table. `cancelled` after a signal
/// is that signal's status (130 for Ctrl-C, 143 for SIGTERM).
pub fn for_error(err: &Error) -> ExitCode {
    let code = err.error_code();
    ExitCode::from(match signal::received() {
        Some(signal) if code == ErrorCode::Cancelled => for_signal(signal),
        _ => status_for(code),
    })
}

/// The exit status of a batch's end. In order: a signal's status, the budget, tasks never
/// started, tasks failed; else success (every task ran to an end: completed, or a question or a
/// stop recorded as its outcome).
pub fn for_batch(summary: &BatchSummary, interrupted: Option<Signal>) -> u8 {
    let failed = summary.count(BatchOutcome::Failed) + summary.count(BatchOutcome::Unknown);
    match () {
        _ if summary.was_cancelled => for_signal(interrupted.unwrap_or(Signal::Interrupt)),
        _ if summary.budget_reached && (summary.not_started > 0 || stopped_by_budget(summary)) => BATCH_BUDGET,
        _ if !summary.complete() => BATCH_NOT_STARTED,
        _ if failed > 0 => BATCH_SOME_FAILED,
        _ => SUCCESS,
    }
}

/// Whether the budget stopped a task (a budget reached by the last task's own end stopped none).
fn stopped_by_budget(summary: &BatchSummary) -> bool {
    summary.count(BatchOutcome::Stopped) > 0
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

/// The exit statuses of `enigma batch`, for its `--help`: the table's rows for a batch.
pub fn batch_help() -> String {
    let rows = TABLE.iter().filter(|(status, text)| {
        text.contains("`batch`")
            || [USAGE, 3, for_signal(Signal::Interrupt), for_signal(Signal::Terminate)].contains(status)
    });
    let mut help = "Exit statuses (the README's table has every one):\n".to_owned();
    for (status, text) in rows {
        help.push_str(&format!("  {status:<4} {}\n", text.replace('`', "")));
    }
    help
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// The row of `status` in [`TABLE`].
    fn meaning(status: u8) -> Option<&'static str> {
        TABLE.iter().find(|(s, _)| *s == status).map(|(_, text)| *text)
    }

    /// The README's exit-status table, row for row: `| status | meaning |`.
    fn readme_rows() -> Vec<(u8, String)> {
        let readme = include_str!("../../../README.md");
        let table = readme.split("| exit | meaning |").nth(1).expect("the README has the exit-status table");
        table
            .lines()
            .skip(2) // the rest of the header line, and `| --- | --- |`
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
                (cells[0].parse().unwrap_or_else(|_| panic!("not a status: {line}")), cells[1..].join(" | "))
            })
            .collect()
    }

    #[test]
    fn the_readme_table_is_this_table() {
        let ours: Vec<(u8, String)> = TABLE.iter().map(|(s, t)| (*s, (*t).to_owned())).collect();
        assert_eq!(readme_rows(), ours);
    }

    #[test]
    fn statuses_are_distinct_and_each_code_sits_in_its_row() {
        let mut seen = BTreeMap::new();
        for (status, text) in TABLE {
            assert!(seen.insert(*status, *text).is_none(), "status {status} twice");
        }
        for &code in ErrorCode::ALL {
            let status = status_for(code);
            assert!(![SUCCESS, 1, USAGE, 20, 21, BATCH_BUDGET, BATCH_SOME_FAILED, BATCH_NOT_STARTED].contains(&status));
            assert!(meaning(status).is_some_and(|t| t.contains(&format!("`{code}`"))), "{code}: {status}");
        }
        for outcome in [Outcome::Completed, Outcome::Guardrail, Outcome::Stopped] {
            let status = match outcome {
                Outcome::Completed => SUCCESS,
                Outcome::Guardrail => 20,
                Outcome::Stopped => 21,
            };
            assert_eq!(for_outcome(outcome), ExitCode::from(status));
            assert!(meaning(status).is_some_and(|t| t.contains(outcome.as_str()) || status == SUCCESS));
        }
        assert!(meaning(USAGE).is_some_and(|t| t.starts_with("usage")));
        assert!(meaning(for_signal(Signal::Interrupt)).is_some_and(|t| t.contains("Ctrl-C")));
        assert!(meaning(for_signal(Signal::Terminate)).is_some_and(|t| t.contains("SIGTERM")));
    }

    fn summary(outcomes: &[(&str, usize)], not_started: usize, budget_reached: bool) -> BatchSummary {
        let outcome = |name: &str| *BatchOutcome::ALL.iter().find(|o| o.as_str() == name).expect(name);
        BatchSummary {
            outcomes: outcomes.iter().map(|(o, n)| (outcome(o), *n)).collect(),
            not_started,
            budget_reached,
            ..BatchSummary::default()
        }
    }

    #[test]
    fn each_batch_end_has_its_own_status() {
        let all_done = summary(&[("completed", 3), ("guardrail", 1)], 0, false);
        assert_eq!(for_batch(&all_done, None), SUCCESS);
        assert_eq!(for_batch(&summary(&[("completed", 3), ("failed", 1)], 0, false), None), BATCH_SOME_FAILED);
        assert_eq!(for_batch(&summary(&[("unknown", 1)], 0, false), None), BATCH_SOME_FAILED);
        assert_eq!(for_batch(&summary(&[("completed", 1)], 2, false), None), BATCH_NOT_STARTED);
        assert_eq!(for_batch(&summary(&[("stopped", 2)], 0, true), None), BATCH_BUDGET);
        assert_eq!(for_batch(&summary(&[("completed", 1), ("failed", 1)], 3, true), None), BATCH_BUDGET);
        // The last task's own end reached the budget: nothing was stopped or kept from starting.
        assert_eq!(for_batch(&summary(&[("completed", 2)], 0, true), None), SUCCESS);
        let cancelled = BatchSummary { was_cancelled: true, ..summary(&[], 4, false) };
        assert_eq!(for_batch(&cancelled, Some(Signal::Terminate)), 143);
        assert_eq!(for_batch(&cancelled, None), 130);
    }
}
