//! The sessions the ledger saw opened and never saw end, checked against the service and, on
//! request, ended: what finds a session left billing by a process that died
//! (`enigma session list [--terminate]`, Python's and Node's `unended_sessions`).

use std::path::PathBuf;

use serde::Serialize;

use super::client::Client;
use super::session::Session;
use crate::ledger::{self, Ledger, UnendedSession};
use crate::live::{Probe, probe};
use crate::model::error::{Error, Result};

/// What the service said of an unended session.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LedgerState {
    /// Open on the service: it may still bill.
    Open,
    /// Ended on the service (now recorded ended in the ledger).
    Ended,
    /// Was open, and was terminated by this call (now recorded ended).
    Terminated,
    /// The service could not be asked (unreachable, a timeout), or a terminate failed.
    Unknown,
    /// Opened with another key or on another host than this client's: not asked.
    OtherKeyOrHost,
}

impl LedgerState {
    /// The state's name as the CLI and the bindings show it (`open`, `other_key_or_host`...).
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerState::Open => "open",
            LedgerState::Ended => "ended",
            LedgerState::Terminated => "terminated",
            LedgerState::Unknown => "unknown",
            LedgerState::OtherKeyOrHost => "other_key_or_host",
        }
    }
}

/// An unended session of the ledger and what the service said of it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct CheckedSession {
    /// What the ledger knows.
    #[serde(flatten)]
    pub session: UnendedSession,
    /// What the service said.
    pub state: LedgerState,
    /// Why, in words, when there is more to say (the service's refusal, a terminate's error,
    /// an open session left alone because its process still runs).
    pub detail: Option<String>,
}

impl Client {
    /// The session ledger's file (`ENIGMA_LEDGER`, else
    /// [`default_ledger_path`](crate::default_ledger_path)); `None` when it is off.
    pub fn ledger_path(&self) -> Option<PathBuf> {
        ledger::location::resolve(&self.config().ledger)
    }

    /// The sessions the ledger saw opened and never saw end, oldest first, from the file only
    /// (no request). Any process, key or host may have opened them.
    pub fn unended_sessions(&self) -> Result<Vec<UnendedSession>> {
        let path = self.ledger_path().ok_or_else(ledger_off)?;
        ledger::unended(&path).map_err(|e| Error::validation("ledger", format!("cannot read {}: {e}", path.display())))
    }

    /// [`Client::unended_sessions`], each asked of the service: those opened with this client's
    /// key (its last 4 characters) on its base URL are probed (the live connection's handshake,
    /// which changes nothing and is not rate limited) and found `open`, `ended` or `unknown`;
    /// the others are `other_key_or_host`. Those found ended are recorded ended.
    ///
    /// With `terminate`, the open ones whose opening process no longer runs are terminated
    /// (and recorded ended); an open session whose process still runs is in use and left
    /// alone, with a `detail` saying so.
    pub async fn check_unended_sessions(&self, terminate: bool) -> Result<Vec<CheckedSession>> {
        self.check_open()?;
        let path = self.ledger_path().ok_or_else(ledger_off)?;
        let sessions = self.unended_sessions()?;
        // The client's own ledger when it writes this file (one `ended` line per session,
        // whichever path records it), else one for this call.
        let own;
        let mine = match self.ledger() {
            Some(ledger) if ledger.path() == path => ledger,
            _ => {
                let key = self.config().api_key.as_ref().map(|k| k.expose());
                own = Ledger::new(path, key, self.config().base_url.as_str());
                &own
            }
        };
        let checks = sessions.into_iter().map(|session| self.check_one(session, mine, terminate));
        Ok(futures_util::future::join_all(checks).await)
    }

    async fn check_one(&self, session: UnendedSession, mine: &Ledger, terminate: bool) -> CheckedSession {
        let checked = |state, detail: Option<String>| CheckedSession { session: session.clone(), state, detail };
        let same_key = session.key_last4.as_deref() == mine.key_last4();
        if !same_key || session.base_url != mine.base_url() {
            return checked(LedgerState::OtherKeyOrHost, None);
        }
        match probe(&session.session_id, self.config()).await {
            Probe::Refused(why) => {
                mine.ended(&session.session_id);
                checked(LedgerState::Ended, Some(why))
            }
            Probe::NoAnswer(why) => checked(LedgerState::Unknown, Some(why)),
            Probe::Open if !terminate => checked(LedgerState::Open, None),
            Probe::Open if session.process_alive == Some(true) => checked(
                LedgerState::Open,
                Some(format!("not terminated: the process that opened it (pid {}) still runs", session.pid)),
            ),
            Probe::Open => match Session::attach(self.clone(), &session.session_id).terminate().await {
                Ok(()) => {
                    mine.ended(&session.session_id);
                    checked(LedgerState::Terminated, None)
                }
                Err(err) => checked(LedgerState::Unknown, Some(format!("terminate failed: {err}"))),
            },
        }
    }
}

fn ledger_off() -> Error {
    Error::validation("ledger", "is off (ENIGMA_LEDGER=off, or no state directory): no session was recorded")
}
