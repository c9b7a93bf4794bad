//! The live connection in a build without the `live` feature: every session is REST-only, as
//! with `live_events = false`, and nothing can open a socket. Same items as `connection`, so the
//! handles compile unchanged.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;
use url::Url;

use crate::model::config::ClientConfig;
use crate::model::error::Error;
use crate::model::session_log::SessionLog;

/// A session's live connection that never opens.
pub(crate) struct LiveSlot {
    session_id: String,
    log: Arc<SessionLog>,
}

impl LiveSlot {
    pub(crate) fn new(
        session_id: &str,
        _socket_url: Url,
        config: &ClientConfig,
        _extra_root_ca_pem: Option<Arc<[u8]>>,
        _enabled: bool,
        _tap: Option<crate::record::SessionTap>,
    ) -> Arc<LiveSlot> {
        Arc::new(LiveSlot {
            session_id: session_id.to_owned(),
            log: Arc::new(SessionLog::new(config.timeline_records)),
        })
    }

    /// What the session's handles saw (no events in this build: commands and creates).
    pub(crate) fn log(&self) -> &Arc<SessionLog> {
        &self.log
    }

    /// Nothing watches for commands without a live connection.
    pub(crate) fn commanded(&self) {}

    /// Never told of anything (no wait watches a socket in this build).
    pub(crate) fn commands(&self) -> tokio::sync::watch::Receiver<u64> {
        tokio::sync::watch::channel(0).1
    }

    /// Never: this build has no live connection.
    pub(crate) fn enabled(&self) -> bool {
        false
    }

    pub(crate) async fn get_or_connect(&self) -> Result<Arc<Live>, Error> {
        Err(Error::Connection {
            message: format!(
                "no live connection for session {}: this build of enigma has no `live` feature (waits and commands use REST)",
                self.session_id
            ),
            never_sent: true,
            source: None,
        })
    }

    /// Why no connection: this build has none, so a stream ends with `connection`.
    pub(crate) fn failure_code(&self) -> Option<crate::model::error_code::ErrorCode> {
        Some(crate::model::error_code::ErrorCode::Connection)
    }

    pub(crate) fn connect_in_background(self: &Arc<Self>) {}

    pub(crate) async fn settle(&self, _limit: Duration) {}

    pub(crate) fn connected(&self) -> Option<Arc<Live>> {
        None
    }

    pub(crate) fn mark_ended(&self) {}
}

/// A live connection: none can exist in this build.
pub(crate) enum Live {}

impl Live {
    pub(crate) fn subscribe(&self) -> Option<super::Events> {
        match *self {}
    }

    pub(crate) fn emit(&self, _message: &Value) -> bool {
        match *self {}
    }

    pub(crate) fn is_connected(&self) -> bool {
        match *self {}
    }

    pub(crate) fn connected_since(&self) -> Option<Instant> {
        match *self {}
    }

    pub(crate) fn named_tasks(&self) -> HashSet<String> {
        match *self {}
    }

    pub(crate) fn unnamed_outcome(&self) -> Option<(u64, Value)> {
        match *self {}
    }

    pub(crate) fn first_named_task(&self) -> Option<String> {
        match *self {}
    }

    pub(crate) fn final_for(&self, _task_id: &str) -> Option<Value> {
        match *self {}
    }
}

/// What the handshake said of a session: in this build, never anything.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(dead_code, reason = "the same variants as with `live`, so the ledger's check compiles unchanged")]
pub(crate) enum Probe {
    /// Admitted: the session is open.
    Open,
    /// Refused (`connect_error`, with the service's text): the session is not open.
    Refused(String),
    /// No answer about the session.
    NoAnswer(String),
}

/// Without the `live` feature the session ledger's check cannot ask the service (the handshake
/// is its only question that changes nothing): no answer.
pub(crate) async fn probe(_session_id: &str, _config: &ClientConfig) -> Probe {
    Probe::NoAnswer("this build of enigma has no `live` feature, which the check needs".to_owned())
}
