//! Forwarding a session's events to one of its sockets.

use std::sync::Arc;

use serde_json::Value;
use socketioxide::extract::SocketRef;
use tokio::sync::broadcast::{self, error::RecvError};

use crate::state::AppState;

/// Emits every event of the session (`{"event": name, "data": payload}` on the channel) to the
/// socket under its own name, until the socket goes away, the simulator stops, or the session
/// ends: after `end_session` the server disconnects the socket.
pub(crate) async fn forward(state: Arc<AppState>, socket: SocketRef, mut events: broadcast::Receiver<Value>) {
    loop {
        let envelope = tokio::select! {
            received = events.recv() => match received {
                Ok(envelope) => envelope,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(socket = %socket.id, missed, "socket fell behind its session's events");
                    continue;
                }
                Err(RecvError::Closed) => break,
            },
            _ = state.stopped() => break,
        };
        let name = envelope.get("event").and_then(Value::as_str).unwrap_or("message");
        if socket.emit(name, &envelope["data"]).is_err() {
            break;
        }
        if name == "end_session" {
            let _ = socket.disconnect();
            break;
        }
    }
}
