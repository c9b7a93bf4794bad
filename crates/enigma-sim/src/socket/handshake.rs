//! Admitting sockets: `auth: {sessionId}` must name an open session, else `connect_error`.

use std::sync::Arc;

use serde_json::Value;
use socketioxide::extract::{SocketRef, State, TryData};

use super::admission::Admission;
use super::{commands, forward};
use crate::state::{AppState, RawConn};

/// Why a socket was refused; the text is the `connect_error` message.
#[derive(Debug)]
pub(crate) struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Connect middleware: checks `auth.sessionId` against the open sessions.
pub(crate) async fn admit(
    socket: SocketRef,
    TryData(auth): TryData<Value>,
    State(state): State<Arc<AppState>>,
) -> Result<(), Refused> {
    let auth = auth.unwrap_or(Value::Null);
    let session_id = match auth.get("sessionId") {
        Some(Value::String(id)) if !id.is_empty() => id.clone(),
        _ => return Err(Refused("Missing required field 'sessionId' in auth".to_string())),
    };
    let (mut inner, _) = state.advance();
    let Some(session) = inner.sessions.get_mut(&session_id).filter(|s| s.is_open()) else {
        return Err(Refused(format!("Session {session_id} does not exist or has expired")));
    };
    let events = session.events.subscribe();
    drop(inner);
    socket.extensions.insert(Admission::new(session_id, events));
    Ok(())
}

/// Connect handler: registers the socket, its command handler and its event forwarder.
pub(crate) async fn on_connect(socket: SocketRef, State(state): State<Arc<AppState>>) {
    let Some(admission) = socket.extensions.get::<Admission>() else {
        let _ = socket.disconnect();
        return;
    };
    let Some(events) = admission.take_events() else { return };
    socket.on("message", commands::on_message);
    socket.on_disconnect(on_disconnect);
    let id = socket.id.to_string();
    let conn = socket.req_parts().extensions.get::<RawConn>().cloned();
    {
        let mut inner = state.lock();
        inner.sockets.add(id.clone(), admission.session_id.clone(), conn);
        inner.stats.sockets_total += 1;
    }
    let forwarder = tokio::spawn(forward::forward(state.clone(), socket.clone(), admission.session_id.clone(), events));
    let mut inner = state.lock();
    if !socket.connected() {
        // Gone before it was fully registered: its disconnect handler may have run already.
        inner.sockets.remove(&id);
        forwarder.abort();
    } else if !inner.sockets.set_forwarder(&id, forwarder.abort_handle()) {
        forwarder.abort();
    }
}

async fn on_disconnect(socket: SocketRef, State(state): State<Arc<AppState>>) {
    state.lock().sockets.remove(&socket.id.to_string());
}
