//! Asking the service whether a session is open without touching it: the Socket.IO handshake
//! (contract §4) admits a socket to an open session only and answers `connect_error` for one
//! that ended or never existed. It needs no key, is not rate limited, and changes nothing:
//! the socket is closed at once. (The service has no "session status" request: every REST
//! call on a session is a command.)

use serde_json::json;

use super::socketio::{SocketClient, SocketError, SocketOptions};
use crate::model::config::ClientConfig;

/// What the handshake said of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Probe {
    /// Admitted: the session is open.
    Open,
    /// Refused (`connect_error`, with the service's text): the session is not open.
    Refused(String),
    /// No answer about the session (the host unreachable, a timeout, a protocol fault).
    NoAnswer(String),
}

/// Probes `session_id` on the client's base URL (where re-attached sessions connect too).
pub(crate) async fn probe(session_id: &str, config: &ClientConfig) -> Probe {
    let mut options = SocketOptions::new(config.base_url.clone(), json!({ "sessionId": session_id }));
    options.connect_timeout = config.connect_timeout;
    options.extra_root_ca_pem = config.extra_root_ca_pem.as_deref().map(std::sync::Arc::from);
    options.max_frame_bytes = config.max_response_bytes;
    options.reconnect = false;
    match SocketClient::connect(options).await {
        Ok((socket, _events)) => {
            socket.close();
            Probe::Open
        }
        Err(SocketError::ConnectError { message, .. }) => Probe::Refused(message),
        Err(err) => Probe::NoAnswer(err.to_string()),
    }
}
