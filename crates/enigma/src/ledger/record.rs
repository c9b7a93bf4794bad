//! One ledger line: `{"event":"opened",...}` when the SDK opened a session, `{"event":"ended",...}`
//! when it saw one end. JSON, camelCase like the API, one object per line.
//!
//! Every field is bounded so that a whole line stays far under `PIPE_BUF` (4096 bytes): one
//! `write` of it is never split by another process's.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Longest command line kept (characters); longer ones are cut with `…`.
const MAX_COMMAND_CHARS: usize = 400;
/// Longest session id or base URL kept; longer ones are not the service's.
const MAX_FIELD_CHARS: usize = 512;

/// A ledger event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "camelCase")]
pub(crate) enum Record {
    /// The SDK opened a session (the create's answer named it).
    #[serde(rename_all = "camelCase")]
    Opened {
        session_id: String,
        /// Unix time, seconds.
        at: u64,
        /// The key's last 4 characters, never more.
        key_last4: Option<String>,
        pid: u32,
        /// The command line of the process (with any API key in it masked).
        command: String,
        base_url: String,
    },
    /// The SDK saw the session end (terminated, ended with its task, refused as unknown).
    #[serde(rename_all = "camelCase")]
    Ended { session_id: String, at: u64 },
}

impl Record {
    pub(crate) fn session_id(&self) -> &str {
        match self {
            Record::Opened { session_id, .. } | Record::Ended { session_id, .. } => session_id,
        }
    }

    /// The record as one line, newline included, its fields cut to their bounds.
    pub(crate) fn to_line(&self) -> String {
        let mut record = self.clone();
        match &mut record {
            Record::Opened { session_id, command, base_url, key_last4, .. } => {
                cut(session_id, MAX_FIELD_CHARS);
                cut(base_url, MAX_FIELD_CHARS);
                cut(command, MAX_COMMAND_CHARS);
                if let Some(k) = key_last4 {
                    cut(k, 4);
                }
            }
            Record::Ended { session_id, .. } => cut(session_id, MAX_FIELD_CHARS),
        }
        let mut line = serde_json::to_string(&record).unwrap_or_default();
        line.push('\n');
        line
    }

    /// A line read back; `None` for a line that is not a record (torn, or from a newer SDK).
    pub(crate) fn from_line(line: &str) -> Option<Record> {
        serde_json::from_str(line.trim()).ok()
    }
}

/// The current Unix time in seconds.
pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn cut(text: &mut String, max_chars: usize) {
    if let Some((at, _)) = text.char_indices().nth(max_chars) {
        text.truncate(at);
        text.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_stay_short() {
        let opened = Record::Opened {
            session_id: "a1b2c3d4e5f6".into(),
            at: 1_800_000_000,
            key_last4: Some("wxyz".into()),
            pid: 42,
            command: "x".repeat(10_000),
            base_url: "https://connect.enigma.click/".into(),
        };
        let line = opened.to_line();
        assert!(line.ends_with('\n') && line.len() < 1024, "{}", line.len());
        assert!(line.starts_with(r#"{"event":"opened","sessionId":"a1b2c3d4e5f6","at":1800000000,"keyLast4":"wxyz""#));
        let Some(Record::Opened { command, .. }) = Record::from_line(&line) else { panic!("{line}") };
        assert_eq!(command.chars().count(), MAX_COMMAND_CHARS + 1);
        let ended = Record::Ended { session_id: "a1b2c3d4e5f6".into(), at: 7 };
        assert_eq!(ended.to_line(), "{\"event\":\"ended\",\"sessionId\":\"a1b2c3d4e5f6\",\"at\":7}\n");
        assert_eq!(Record::from_line(&ended.to_line()), Some(ended));
        assert_eq!(Record::from_line("{\"event\":\"ope"), None);
    }
}
