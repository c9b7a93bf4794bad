//! Which signal asked the command to stop: SIGINT or SIGTERM, and the first one received, which
//! decides the exit status (`exit::for_signal`). Listening for them is `interrupt`'s job.

use std::sync::OnceLock;

/// A signal that asks the command to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT: Ctrl-C at a terminal.
    Interrupt,
    /// SIGTERM: `kill`, `timeout`, `docker stop`, a CI runner cancelling the job.
    Terminate,
}

impl Signal {
    /// How the signal is named to the user.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "Ctrl-C",
            Signal::Terminate => "SIGTERM",
        }
    }

    /// What the user is told on the first signal, after `doing` (e.g. "terminating the session").
    pub fn first_note(self, doing: &str) -> String {
        match self {
            Signal::Interrupt => format!("interrupted: {doing} (press Ctrl-C again to quit at once)"),
            Signal::Terminate => format!("SIGTERM: {doing} (a second signal quits at once)"),
        }
    }
}

/// The first signal this process received, once `Signals` has seen one.
static RECEIVED: OnceLock<Signal> = OnceLock::new();

/// The first signal the process received, if any: it decides the exit status of `cancelled`.
pub fn received() -> Option<Signal> {
    RECEIVED.get().copied()
}

/// Keeps `signal` as the one [`received`] tells, if it is the first.
pub fn record(signal: Signal) {
    let _ = RECEIVED.set(signal);
}
