//! Minimal Socket.IO v4 client (Engine.IO 4, WebSocket transport only) for the
//! service's live events (enigma-api.md §4).
//!
//! Scope is deliberately narrow: namespace `/`, JSON events both ways,
//! handshake `auth`, heartbeats, and reconnection with backoff. No
//! long-polling, no binary attachments, no acks: the service uses none of them.
//!
//! ```ignore
//! let mut opts = SocketOptions::new(socket_url, json!({ "sessionId": id }));
//! let (client, mut events) = SocketClient::connect(opts).await?;
//! client.emit("message", json!({ "actionType": "newTask", ... }))?;
//! while let Some(event) = events.recv().await { /* SocketEvent::... */ }
//! ```
//!
//! Files: `packet` (wire codec), `websocket` (URL, TLS, dial), `handshake`
//! (open + CONNECT), `socket_client` (handle + background task), `backoff` (delays),
//! `socket_options` / `socket_error` (its types). It knows nothing of the SDK's model
//! but the one size bound it shares with the REST side.

mod backoff;
mod handshake;
mod packet;
mod socket_client;
mod socket_error;
mod socket_options;
mod websocket;

#[cfg(test)]
mod frame_limit_tests;
#[cfg(test)]
mod interop_tests;
#[cfg(test)]
mod socket_client_tests;

pub(crate) use socket_client::SocketClient;
pub(crate) use socket_error::SocketError;
pub(crate) use socket_options::{SocketEvent, SocketOptions};
