//! Reading the ledger: the sessions opened and never seen ending.

use std::collections::HashSet;
use std::io;
use std::path::Path;

use serde::Serialize;

use super::process;
use super::record::{Record, now};

/// A session the ledger saw opened and never saw end.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UnendedSession {
    /// The session id.
    pub session_id: String,
    /// When it was opened, Unix time in seconds.
    pub opened_at: u64,
    /// Seconds since it was opened.
    pub age_secs: u64,
    /// The last 4 characters of the key that opened it.
    pub key_last4: Option<String>,
    /// The base URL it was opened on.
    pub base_url: String,
    /// The id of the process that opened it.
    pub pid: u32,
    /// Whether a process with that id runs now (`None`: this system cannot tell). A process
    /// that died may have had its id given to another since.
    pub process_alive: Option<bool>,
    /// The command line of that process.
    pub command: String,
}

/// The sessions of the ledger at `path` never seen ending, oldest first (none when the file does
/// not exist yet).
pub(crate) fn unended(path: &Path) -> io::Result<Vec<UnendedSession>> {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let records: Vec<Record> = text.lines().filter_map(Record::from_line).collect();
    let ended: HashSet<&str> =
        records.iter().filter(|r| matches!(r, Record::Ended { .. })).map(Record::session_id).collect();
    let mut seen = HashSet::new();
    let now = now();
    Ok(records
        .iter()
        .filter_map(|record| match record {
            Record::Opened { session_id, at, key_last4, pid, command, base_url }
                if !ended.contains(session_id.as_str()) && seen.insert(session_id.as_str()) =>
            {
                Some(UnendedSession {
                    session_id: session_id.clone(),
                    opened_at: *at,
                    age_secs: now.saturating_sub(*at),
                    key_last4: key_last4.clone(),
                    base_url: base_url.clone(),
                    pid: *pid,
                    process_alive: process::is_alive(*pid),
                    command: command.clone(),
                })
            }
            _ => None,
        })
        .collect())
}
