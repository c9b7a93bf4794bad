//! Connection options and the events the client reports.

use std::time::Duration;

use serde_json::Value;

/// The largest WebSocket message (and frame) the client reads by default: 16 MiB, the same
/// bound as an HTTP answer's. The service's events are a few KB.
pub(crate) const DEFAULT_MAX_FRAME_BYTES: usize = crate::model::config::DEFAULT_MAX_RESPONSE_BYTES;

/// How to reach and authenticate with a Socket.IO server.
///
/// Defaults follow the official JS client (`reconnectionDelay: 1000`,
/// `reconnectionDelayMax: 5000`, `timeout: 20000`, unlimited attempts).
#[derive(Debug, Clone)]
pub(crate) struct SocketOptions {
    /// `http(s)://` base URL (the service's `socketURL`). Its path is replaced
    /// by [`path`](Self::path); its query string is kept. `ws(s)://` also works.
    pub url: url::Url,
    /// Engine.IO endpoint path, `"/socket.io/"` by default.
    pub path: String,
    /// Handshake `auth` payload, e.g. `{"sessionId": "..."}`; `Null` sends none.
    pub auth: Value,
    /// Reconnect automatically after an unexpected transport loss.
    pub reconnect: bool,
    /// First reconnection delay (and lower bound of every delay).
    pub reconnect_delay: Duration,
    /// Upper bound of the exponential backoff.
    pub reconnect_delay_max: Duration,
    /// Give up after this many failed attempts in a row; `None` = never.
    pub max_reconnect_attempts: Option<u32>,
    /// Budget for one whole handshake (TCP + TLS + WebSocket + Engine.IO open +
    /// Socket.IO CONNECT ack), for the first connection and every reconnection.
    pub connect_timeout: Duration,
    /// Extra trusted root certificate(s), PEM, on top of the platform roots
    /// (TLS-intercepting corporate proxies). Only used for `https`/`wss`. Shared: every
    /// session of a client points at the client's one copy.
    pub extra_root_ca_pem: Option<std::sync::Arc<[u8]>>,
    /// The largest WebSocket message the client accepts, in bytes (one frame, or the fragments
    /// of one message together; an Engine.IO / Socket.IO packet is one message). A larger one
    /// is refused as soon as its header (or the fragment that crosses the bound) arrives,
    /// without reading it whole; the connection is then treated as broken and reconnects.
    pub max_frame_bytes: usize,
    /// The WebSocket read buffer's first size, in bytes (it grows for a larger message).
    pub read_buffer_bytes: usize,
}

impl SocketOptions {
    /// Options with the official client's defaults.
    pub(crate) fn new(url: url::Url, auth: Value) -> Self {
        SocketOptions {
            url,
            path: "/socket.io/".to_owned(),
            auth,
            reconnect: true,
            reconnect_delay: Duration::from_secs(1),
            reconnect_delay_max: Duration::from_secs(5),
            max_reconnect_attempts: None,
            connect_timeout: Duration::from_secs(20),
            extra_root_ca_pem: None,
            max_frame_bytes: DEFAULT_MAX_FRAME_BYTES,
            read_buffer_bytes: crate::model::config::DEFAULT_SOCKET_READ_BUFFER_BYTES,
        }
    }
}

/// What the background task reports, in order, on the receiver returned by
/// [`SocketClient::connect`](super::SocketClient::connect).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum SocketEvent {
    /// A namespace connection was acknowledged. Sent for the first connection
    /// too (right after `connect` resolves) and after every reconnection.
    /// Events missed while disconnected are NOT replayed by the server.
    Connected { sid: String },
    /// The server refused a (re)connection, e.g. the session no longer exists.
    /// Always followed by `Disconnected { will_reconnect: false }`.
    ConnectError { message: String, data: Option<Value> },
    /// A server event; `payload` is its first argument (`Null` if none).
    Event { name: String, payload: Value },
    /// The connection is gone. `reason` uses the official client's wording
    /// (`"transport close"`, `"transport error"`, `"ping timeout"`,
    /// `"io server disconnect"`, `"io client disconnect"`, ...). When
    /// `will_reconnect` is false this is the last event and the channel closes.
    Disconnected { reason: String, will_reconnect: bool },
    /// Reconnection attempt `attempt` (1-based) is starting now.
    Reconnecting { attempt: u32 },
}
