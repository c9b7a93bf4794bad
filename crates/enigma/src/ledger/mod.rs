//! The session ledger: a small local append-only file that remembers every session the SDK
//! opened and whether it saw it end, so that sessions left billing by a process that died
//! (SIGKILL, out of memory, a closed laptop) can be found and ended later
//! ([`Client::unended_sessions`](crate::Client::unended_sessions), `enigma session list`).
//!
//! The service has no "list my sessions" endpoint: this file is the only memory of them.
//!
//! - `location`: where the file lives (`ENIGMA_LEDGER`, the user's state directory);
//! - `record`: one JSON line per event, `opened` or `ended`;
//! - `append`: writing a line, safe across processes, never failing a user's call;
//! - `compact`: keeping the file bounded;
//! - `read`: the sessions opened and never seen ending;
//! - `process`: the opening process (its command line, whether it still runs).
//!
//! This layer knows files, not the service: asking the service about a session, and ending
//! it, is `handle/unended.rs`.

mod append;
mod compact;
pub(crate) mod location;
pub(crate) mod process;
mod read;
pub(crate) mod record;

pub(crate) use append::Ledger;
pub use location::default_ledger_path;
pub use read::UnendedSession;
pub(crate) use read::unended;

/// Past this size the file is compacted (the sessions seen ending are dropped) by the next
/// writer: about 5,000 records.
pub const LEDGER_COMPACT_BYTES: u64 = 1024 * 1024;
