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
//! Files: `packet` (wire codec), `transport` (URL, TLS, dial), `handshake`
//! (open + CONNECT), `client` (handle + background task), `backoff` (delays),
//! `options` / `error` (public types).

mod backoff;
mod client;
mod error;
mod handshake;
mod options;
mod packet;
mod transport;

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod frame_limit_tests;
#[cfg(test)]
mod interop_tests;

pub(crate) use client::SocketClient;
#[cfg(test)]
pub(crate) use error::SocketError;
pub(crate) use options::{SocketEvent, SocketOptions};
