//! What a session handle saw, kept in memory for its timeline (`Session::timeline`): the
//! events of its live connection, the commands it sent, the answers to its task creates. Each
//! entry is a record of the recording format (`docs/recording.md`), so one reader serves a
//! recording and a live session alike. Bounded: the oldest records go first.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use serde_json::{Value, json};

/// A session's records, with the moment it began.
pub(crate) struct SessionLog {
    started: Instant,
    started_wall: SystemTime,
    /// How many records it keeps (the client's `timeline_records`).
    limit: usize,
    records: Mutex<VecDeque<Value>>,
}

impl SessionLog {
    /// An empty log that keeps at most `limit` records (0: none).
    pub(crate) fn new(limit: usize) -> SessionLog {
        SessionLog {
            started: Instant::now(),
            started_wall: SystemTime::now(),
            limit,
            records: Mutex::new(VecDeque::new()),
        }
    }

    /// When the log began, RFC 3339 (UTC, seconds).
    pub(crate) fn started_at(&self) -> Option<String> {
        Some(humantime::format_rfc3339_seconds(self.started_wall).to_string())
    }

    /// Seconds since the log began, at `at`.
    fn t(&self, at: Instant) -> f64 {
        (at.saturating_duration_since(self.started).as_secs_f64() * 1000.0).round() / 1000.0
    }

    fn push(&self, mut record: Value, at: Instant) {
        record["t"] = json!(self.t(at));
        if self.limit == 0 {
            return;
        }
        let mut records = self.records.lock().unwrap_or_else(|e| e.into_inner());
        if records.len() >= self.limit {
            records.pop_front();
        }
        records.push_back(record);
    }

    /// A socket event as received.
    #[cfg_attr(not(feature = "live"), allow(dead_code, reason = "only a live connection has events"))]
    pub(crate) fn event(&self, name: &str, data: &Value) {
        self.push(json!({ "type": "event", "event": name, "data": data }), Instant::now());
    }

    /// A message sent to the session (over the socket or REST) that creates nothing.
    pub(crate) fn command(&self, message: &Value) {
        self.push(json!({ "type": "command", "command": "message", "data": message }), Instant::now());
    }

    /// A `newTask` sent at `sent` and its answer (`None`: refused or lost).
    pub(crate) fn created(&self, message: &Value, sent: Instant, answer: Option<&Value>) {
        let now = Instant::now();
        let ms = now.saturating_duration_since(sent).as_secs_f64() * 1000.0;
        let record = json!({
            "type": "http", "method": "POST", "path": "/start/send-message",
            "status": answer.map(|_| 200), "request": { "message": message },
            "response": answer, "ms": ms, "error": answer.is_none().then_some("refused"),
        });
        // As a recording's: `t` is when the request went out (docs/recording.md).
        self.push(record, sent);
    }

    /// Every record so far, oldest first.
    pub(crate) fn records(&self) -> Vec<Value> {
        self.records.lock().unwrap_or_else(|e| e.into_inner()).iter().cloned().collect()
    }
}
