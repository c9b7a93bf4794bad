//! Forwarding a session's events to one of its sockets.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::Value;
use socketioxide::extract::SocketRef;
use socketioxide::{SendError, SocketError};
use tokio::sync::mpsc;

use crate::state::AppState;

/// How long to wait before trying again when a socket's send buffer is full.
const FULL_BUFFER_RETRY: Duration = Duration::from_millis(1);

/// Emits every event of the session (`{"event": name, "data": payload}` on the channel) to the
/// socket under its own name, until the socket goes away, the simulator stops, or the session
/// ends: after `end_session` the server disconnects the socket. While the session is silenced
/// (`POST /_sim/sockets/silence`) its events are withheld (counted, not sent).
pub(crate) async fn forward(
    state: Arc<AppState>,
    socket: SocketRef,
    session_id: String,
    mut events: mpsc::UnboundedReceiver<Value>,
) {
    loop {
        let envelope = tokio::select! {
            received = events.recv() => match received {
                Some(envelope) => envelope,
                None => break,
            },
            _ = state.stopped() => break,
        };
        let name = envelope.get("event").and_then(Value::as_str).unwrap_or("message");
        if !withheld(&state, &session_id) && !emit(&socket, name, &envelope["data"]).await {
            break;
        }
        if name == "end_session" {
            let _ = socket.disconnect();
            break;
        }
    }
}

/// Whether the session is silenced; counts the withheld event if so. Takes the state's lock only
/// while some session is silenced (`AppState::any_silenced`).
fn withheld(state: &AppState, session_id: &str) -> bool {
    if !state.any_silenced.load(Ordering::Acquire) {
        return false;
    }
    let mut inner = state.lock();
    let silent = inner.sockets.is_silenced(session_id);
    if silent {
        inner.stats.socket_events_withheld += 1;
    }
    silent
}

/// Emits one event; false once the socket is gone. A full send buffer (a flood of events
/// faster than the client reads) is waited out, as a real server buffers rather than drops.
async fn emit(socket: &SocketRef, name: &str, data: &Value) -> bool {
    loop {
        match socket.emit(name, data) {
            Ok(()) => return true,
            Err(SendError::Socket(SocketError::InternalChannelFull)) => tokio::time::sleep(FULL_BUFFER_RETRY).await,
            Err(_) => return false,
        }
    }
}
