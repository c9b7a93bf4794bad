//! Errors surfaced by the Socket.IO client.

use std::time::Duration;

use serde_json::Value;

use super::packet::PacketError;

/// Everything that can go wrong when connecting or emitting.
///
/// Messages are meant to be shown to SDK users, so they say what failed and,
/// where it helps, what to check.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SocketError {
    /// `socketURL` is not an `http(s)://` (or `ws(s)://`) URL.
    #[error("invalid Socket.IO URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// TLS setup failed (bad extra root CA PEM, no platform roots, ...).
    #[error("TLS configuration error: {0}")]
    #[cfg_attr(not(any(feature = "_rustls", feature = "native-tls")), allow(dead_code))]
    Tls(#[source] crate::tls::TlsSetupError),
    /// A `wss` URL in a build without a TLS backend (features `rustls-ring`, `rustls-aws-lc`,
    /// `native-tls`).
    #[error(
        "TLS configuration error: this build of enigma has no TLS backend (enable the feature rustls-ring, rustls-aws-lc or native-tls)"
    )]
    NoTls,
    /// TCP / TLS / WebSocket-level failure (includes HTTP errors during the upgrade).
    #[error("Socket.IO transport error: {0}")]
    Transport(String),
    /// The server spoke something that is not Engine.IO 4 / Socket.IO 5.
    #[error("Socket.IO protocol error: {0}")]
    Protocol(String),
    /// Handshake did not complete within `connect_timeout`.
    #[error("Socket.IO connection timed out after {0:?}")]
    Timeout(Duration),
    /// The server refused the namespace connection (e.g. unknown session id).
    #[error("Socket.IO connection refused by server: {message}")]
    ConnectError { message: String, data: Option<Value> },
    /// The connection closed before the handshake finished.
    #[error("Socket.IO connection closed during handshake: {0}")]
    Closed(String),
    /// `emit` while disconnected / reconnecting / after `close`; fall back to REST.
    #[error("Socket.IO is not connected")]
    NotConnected,
}

impl From<PacketError> for SocketError {
    fn from(e: PacketError) -> Self {
        SocketError::Protocol(e.to_string())
    }
}

impl From<tokio_tungstenite::tungstenite::Error> for SocketError {
    fn from(e: tokio_tungstenite::tungstenite::Error) -> Self {
        use tokio_tungstenite::tungstenite::Error as WsError;
        match e {
            // Show the HTTP status and body: socket.io explains rejections there
            // (e.g. `{"code":3,"message":"Bad request"}`).
            WsError::Http(resp) => {
                let status = resp.status();
                let body = resp.body().as_deref().map(String::from_utf8_lossy).unwrap_or_default().into_owned();
                SocketError::Transport(format!("HTTP {status} during WebSocket upgrade {body}"))
            }
            other => SocketError::Transport(other.to_string()),
        }
    }
}
