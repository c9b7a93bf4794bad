//! Establishing one connection: dial, Engine.IO open, Socket.IO namespace CONNECT.
//!
//! Used for the first connection and for every reconnection, so a reconnect
//! re-sends the same `auth` (the server authenticates each namespace connection).

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;
use url::Url;

use super::packet::{EnginePacket, ROOT_NSP, SioPacket, connect_error_parts};
use super::socket_error::SocketError;
use super::websocket::{self, WsStream};

/// A live, acknowledged namespace connection.
pub(crate) struct Connection {
    pub ws: WsStream,
    /// Socket.IO session id from the CONNECT ack (differs from the Engine.IO sid).
    pub sid: String,
    /// Without any frame from the server for this long, the connection is dead:
    /// the server pings every `pingInterval` and allows `pingTimeout` for delivery.
    pub heartbeat_timeout: Duration,
}

/// What is needed to (re)connect; cheap to clone so each attempt owns its copy.
#[derive(Clone)]
pub(crate) struct Target {
    pub url: Url,
    pub tls: Option<websocket::Tls>,
    pub auth: Value,
    pub timeout: Duration,
    /// The largest WebSocket message read (see `SocketOptions::max_frame_bytes`).
    pub max_frame_bytes: usize,
    /// The WebSocket read buffer (see `SocketOptions::read_buffer_bytes`).
    pub read_buffer_bytes: usize,
}

/// Runs a whole handshake within `target.timeout`.
pub(crate) async fn establish(target: Target) -> Result<Connection, SocketError> {
    let timeout = target.timeout;
    match tokio::time::timeout(timeout, establish_inner(target)).await {
        Ok(result) => result,
        Err(_) => Err(SocketError::Timeout(timeout)),
    }
}

async fn establish_inner(target: Target) -> Result<Connection, SocketError> {
    let mut ws =
        websocket::dial(&target.url, target.tls.as_ref(), target.max_frame_bytes, target.read_buffer_bytes).await?;

    // 1. Engine.IO open packet: always the first frame.
    let open = match EnginePacket::parse(&next_text(&mut ws).await?)? {
        EnginePacket::Open(open) => open,
        other => {
            return Err(SocketError::Protocol(format!("expected Engine.IO open packet, got {other:?}")));
        }
    };
    tracing::debug!(
        eio_sid = %open.sid,
        ping_interval = ?open.ping_interval,
        ping_timeout = ?open.ping_timeout,
        max_payload = open.max_payload,
        "socket.io: engine.io open"
    );
    let heartbeat_timeout = open.ping_interval + open.ping_timeout;

    // 2. Namespace CONNECT with auth.
    let data = if target.auth.is_null() { None } else { Some(target.auth) };
    let connect = SioPacket::Connect { nsp: ROOT_NSP.to_owned(), data };
    send_engine(&mut ws, EnginePacket::Message(connect.encode())).await?;

    // 3. Wait for the ack (or refusal), answering heartbeats meanwhile.
    loop {
        let text = next_text(&mut ws).await?;
        let sio = match EnginePacket::parse(&text)? {
            EnginePacket::Ping(data) => {
                send_engine(&mut ws, EnginePacket::Pong(data)).await?;
                continue;
            }
            EnginePacket::Close => return Err(SocketError::Closed("engine.io close".into())),
            EnginePacket::Message(sio) => sio,
            other => {
                tracing::debug!(?other, "socket.io: ignoring engine.io packet during handshake");
                continue;
            }
        };
        match SioPacket::parse(&sio)? {
            SioPacket::Connect { nsp, data } if nsp == ROOT_NSP => {
                let sid = data
                    .as_ref()
                    .and_then(|d| d.get("sid"))
                    .and_then(Value::as_str)
                    .ok_or_else(|| SocketError::Protocol("CONNECT ack without sid".into()))?
                    .to_owned();
                tracing::debug!(%sid, "socket.io: connected");
                return Ok(Connection { ws, sid, heartbeat_timeout });
            }
            SioPacket::ConnectError { nsp, data } if nsp == ROOT_NSP => {
                let (message, data) = connect_error_parts(data);
                tracing::debug!(%message, "socket.io: connect_error");
                // Best effort: tell the server we are leaving; errors are moot.
                let _ = ws.close(None).await;
                return Err(SocketError::ConnectError { message, data });
            }
            other => {
                tracing::debug!(?other, "socket.io: ignoring packet before CONNECT ack");
            }
        }
    }
}

/// Next text frame, skipping control and binary frames.
async fn next_text(ws: &mut WsStream) -> Result<String, SocketError> {
    loop {
        match ws.next().await {
            None => return Err(SocketError::Closed("connection closed".into())),
            Some(Err(e)) => return Err(e.into()),
            Some(Ok(Message::Text(text))) => return Ok(text.as_str().to_owned()),
            Some(Ok(Message::Close(frame))) => {
                return Err(SocketError::Closed(format!("websocket close {frame:?}")));
            }
            Some(Ok(Message::Binary(_))) => {
                tracing::debug!("socket.io: skipping binary frame during handshake");
            }
            Some(Ok(_)) => {} // WS ping/pong: answered by tungstenite itself.
        }
    }
}

/// Sends one Engine.IO packet as one text frame.
pub(crate) async fn send_engine(ws: &mut WsStream, packet: EnginePacket) -> Result<(), SocketError> {
    ws.send(Message::text(packet.encode())).await?;
    Ok(())
}
