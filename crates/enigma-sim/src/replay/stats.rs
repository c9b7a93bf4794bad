//! [`ReplayStats`]: the `replay` section of `GET /_sim/stats`, typed
//! ([`SimStats::replay`](crate::SimStats::replay)).

use serde::Deserialize;
use serde_json::Value;

/// How a replay went: what a test asserts to know that its program still does what it did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ReplayStats {
    /// Recordings (sessions) loaded.
    pub recordings: u64,
    /// Sessions whose replay started.
    pub sessions_started: u64,
    /// Writes (POSTs and socket commands) served as recorded.
    pub writes_served: u64,
    /// Polls answered.
    pub reads_served: u64,
    /// Every difference, in order (`sessionId`, `difference`).
    pub differences: Vec<Value>,
    /// The first difference: `expected POST /start/send-message state:terminate, got POST
    /// /start/send-message newTask`. `None` while the program does what the recording did.
    pub first_difference: Option<String>,
    /// Every recording was started, every recorded write served, and no difference.
    pub complete: bool,
    /// Per session: `sessionId`, `file`, `writesServed`, `writesExpected`, `eventsDone`.
    pub sessions: Vec<Value>,
}
