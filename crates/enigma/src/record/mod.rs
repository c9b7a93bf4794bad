//! The flight recorder (off by default; `ENIGMA_RECORD=DIR`, [`ClientBuilder::record`](crate::ClientBuilder::record)):
//! one JSONL file per session with every REST exchange, every Socket.IO event and every command
//! sent over the socket (`docs/recording.md` has the format).
//!
//! Beside the wire layers and below them: `rest/http` and `live/` hand it what they saw with one
//! call each. Recording never blocks a call: the caller only timestamps the record and pushes it
//! down a channel (`tap`); a thread of the recorder's own serialises and appends (`writer`), so a
//! slow or full disk costs the caller nothing. A recorder that cannot write logs one warning and
//! turns itself off; the run goes on. The API key never reaches a file: no request header is
//! recorded but `content-type`, and the writer blanks the key wherever a user put it (a task's
//! text, a URL).

mod line;
mod tap;
mod writer;

pub(crate) use line::Seen;
pub(crate) use tap::{HttpExchange, Recorder, SessionTap};

/// What stands for the API key wherever it would have been written.
pub const REDACTED: &str = "[redacted]";
