//! Ctrl-C. The first one stops the command's work (dropping it, which makes the core terminate
//! every session the work opened, in tracked background tasks), waits for those terminates
//! (bounded), and ends the command with the `cancelled` error (exit 130). A second Ctrl-C
//! meanwhile exits at once, with 130 too.
//!
//! `tokio::signal` installs its own SIGINT handler, so this works even when the process was
//! started with SIGINT ignored (a background job, `nohup`, some CI runners).

use std::future::Future;
use std::time::Duration;

use enigma::Error;

/// The longest the first Ctrl-C waits for terminates to finish.
const CLEANUP_LIMIT: Duration = Duration::from_secs(10);

/// Runs `work` to its end, or until Ctrl-C.
pub async fn or_ctrl_c<T>(work: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    let mut work = Box::pin(work);
    tokio::select! {
        result = &mut work => return result,
        _ = tokio::signal::ctrl_c() => {}
    }
    // Dropping the work is the cancellation: `with_session`, `run_task` and a start whose
    // answer is on its way each spawn the terminate of what they opened.
    drop(work);
    if enigma::pending_cleanups() > 0 {
        eprintln!("interrupted: terminating the session (press Ctrl-C again to quit at once)");
    }
    tokio::select! {
        left = enigma::wait_for_cleanups(CLEANUP_LIMIT) => {
            if left > 0 {
                eprintln!("warning: {left} session terminate(s) did not finish within {}s", CLEANUP_LIMIT.as_secs());
            }
        }
        _ = tokio::signal::ctrl_c() => {
            eprintln!("interrupted again: quitting without waiting");
            std::process::exit(130);
        }
    }
    Err(Error::Cancelled)
}
