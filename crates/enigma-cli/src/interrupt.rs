//! Ctrl-C (SIGINT) and SIGTERM, handled alike. The first stops the command's work (dropping it,
//! which makes the core terminate every session the work opened, in tracked background tasks),
//! waits for those terminates (bounded), and ends the command with the `cancelled` error: exit
//! 130 for SIGINT, 143 for SIGTERM (`exit::for_signal`). A second signal of either kind meanwhile
//! exits at once, with its own status.
//!
//! `tokio::signal` installs its own handlers, so this works even when the process was started
//! with the signals ignored (a background job, `nohup`, some CI runners). Off unix there is only
//! Ctrl-C.

use std::future::Future;
use std::time::Duration;

use enigma::Error;

use crate::exit;
use crate::signal::{self, Signal};

/// The longest the first signal waits for terminates to finish.
const CLEANUP_LIMIT: Duration = Duration::from_secs(10);

/// The handlers of SIGINT and SIGTERM, installed when this is made (on unix): from then on each
/// signal that comes is kept until `next` takes it, even while nothing awaits it (between two
/// `select!`s). A handler that cannot be installed never fires (its signal keeps its default).
/// Off unix only Ctrl-C is handled.
pub struct Signals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    /// Installs the handlers now (on unix; elsewhere Ctrl-C's is installed on the first `next`).
    pub fn listen() -> Signals {
        #[cfg(unix)]
        use tokio::signal::unix::{SignalKind, signal};
        Signals {
            #[cfg(unix)]
            interrupt: signal(SignalKind::interrupt()).ok(),
            #[cfg(unix)]
            terminate: signal(SignalKind::terminate()).ok(),
        }
    }

    /// Waits for the next SIGINT or SIGTERM and tells which came. On unix it is cancel-safe:
    /// dropped unfinished, it loses no signal.
    pub async fn next(&mut self) -> Signal {
        let signal = self.next_signal().await;
        signal::record(signal);
        signal
    }

    #[cfg(unix)]
    async fn next_signal(&mut self) -> Signal {
        async fn recv(stream: &mut Option<tokio::signal::unix::Signal>) {
            if let Some(stream) = stream
                && stream.recv().await.is_some()
            {
                return;
            }
            std::future::pending().await
        }
        tokio::select! {
            _ = recv(&mut self.interrupt) => Signal::Interrupt,
            _ = recv(&mut self.terminate) => Signal::Terminate,
        }
    }

    #[cfg(not(unix))]
    async fn next_signal(&mut self) -> Signal {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        Signal::Interrupt
    }
}

/// Exits the process at once with the status of `signal` (a second signal during a cleanup).
pub fn exit_now(signal: Signal) -> ! {
    std::process::exit(exit::for_signal(signal).into())
}

/// Runs `work` to its end, or until a signal.
pub async fn or_signal<T>(work: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    or_signal_then(work, None).await
}

/// Like [`or_signal`], and on a signal also terminates every session `client` holds open
/// (`Client::open_session_ids`): for work that owns all of its client's sessions, such as
/// `enigma run`, whose session, once started, has no terminate-on-drop guard of its own.
pub async fn or_signal_ending<T>(
    client: &enigma::Client,
    work: impl Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    or_signal_then(work, Some(client)).await
}

async fn or_signal_then<T>(
    work: impl Future<Output = Result<T, Error>>,
    owned_by: Option<&enigma::Client>,
) -> Result<T, Error> {
    let mut signals = Signals::listen();
    let mut work = Box::pin(work);
    let first = tokio::select! {
        result = &mut work => return result,
        first = signals.next() => first,
    };
    // Dropping the work is the cancellation: `with_session`, `run_task` and a start whose
    // answer is on its way each spawn the terminate of what they opened; the sessions an
    // owning client still holds open are terminated here.
    drop(work);
    let open = owned_by.map(enigma::Client::open_session_ids).unwrap_or_default();
    if enigma::pending_cleanups() > 0 || !open.is_empty() {
        eprintln!("{}", first.first_note("terminating the session"));
    }
    let terminates = async {
        match owned_by {
            Some(client) if !open.is_empty() => client.terminate_open_sessions().await,
            _ => Vec::new(),
        }
    };
    let cleanup = async { tokio::join!(terminates, enigma::wait_for_cleanups(CLEANUP_LIMIT)) };
    tokio::select! {
        done = tokio::time::timeout(CLEANUP_LIMIT, cleanup) => {
            let (failed, left) = done.unwrap_or_else(|_| (Vec::new(), open.len().max(1)));
            for (id, err) in failed {
                eprintln!("warning: could not terminate session {id}: {err}");
            }
            if left > 0 {
                eprintln!("warning: {left} session terminate(s) did not finish within {}s", CLEANUP_LIMIT.as_secs());
            }
        }
        second = signals.next() => {
            eprintln!("interrupted again ({}): quitting without waiting", second.name());
            exit_now(second);
        }
    }
    Err(Error::Cancelled)
}
