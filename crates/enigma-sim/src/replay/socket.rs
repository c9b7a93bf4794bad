//! The Socket.IO side of a replay: a socket names a recorded session (`auth: {sessionId}`), gets
//! its recorded events as the replay's clock reaches them, and its commands are taken like the
//! recorded ones (in the socket's order: taken while the message is extracted, as socketioxide
//! runs each handler as a task of its own).

use std::convert::Infallible;
use std::sync::Arc;

use serde_json::Value;
use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{SocketRef, State, TryData};
use socketioxide::handler::{ConnectHandler, FromMessageParts, Value as WireValue};
use socketioxide::layer::SocketIoLayer;
use socketioxide::socket::Socket;
use tokio::time::Instant;

use super::Replay;
use super::difference::Write;

/// The session a socket was admitted for.
#[derive(Clone, Debug)]
struct Admitted(String);

/// Builds the replay's Socket.IO layer and its handle.
pub(crate) fn layer(replay: Arc<Replay>) -> (SocketIoLayer, SocketIo) {
    let (layer, io) = SocketIo::builder().with_state(replay).build_layer();
    io.ns("/", on_connect.with(admit));
    (layer, io)
}

/// Why a socket was refused (the `connect_error` message).
#[derive(Debug)]
struct Refused(String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

async fn admit(
    socket: SocketRef,
    TryData(auth): TryData<Value>,
    State(replay): State<Arc<Replay>>,
) -> Result<(), Refused> {
    let id = auth.ok().and_then(|a| a["sessionId"].as_str().map(str::to_owned)).unwrap_or_default();
    let mut state = replay.lock();
    if replay.session(&mut state, &id).is_none() {
        return Err(Refused(format!("Session {id} does not exist or has expired")));
    }
    socket.extensions.insert(Admitted(id));
    Ok(())
}

async fn on_connect(socket: SocketRef, State(replay): State<Arc<Replay>>) {
    let Some(Admitted(id)) = socket.extensions.get::<Admitted>() else { return };
    socket.on("message", on_message);
    let held = {
        let mut state = replay.lock();
        let Some(session) = state.sessions.get_mut(&id) else { return };
        session.sockets.push(socket.clone());
        std::mem::take(&mut session.held)
    };
    for (name, data) in held {
        emit(&socket, &name, &data);
    }
}

/// A command, taken in the socket's order.
struct Taken;

impl<A: Adapter> FromMessageParts<A> for Taken {
    type Error = Infallible;

    fn from_message_parts(
        socket: &Arc<Socket<A>>,
        data: &mut WireValue,
        ack: &Option<i64>,
    ) -> Result<Self, Infallible> {
        let Ok(TryData(message)) = TryData::<Value>::from_message_parts(socket, data, ack);
        let Ok(State(replay)) = State::<Arc<Replay>>::from_message_parts(socket, data, ack) else { return Ok(Taken) };
        if let Some(Admitted(id)) = socket.extensions.get::<Admitted>() {
            // A difference is kept in the stats; the socket has no answer to carry it.
            let _ = replay.write(Some(&id), &Write::Command { message: message.unwrap_or(Value::Null) });
        }
        Ok(Taken)
    }
}

async fn on_message(_: Taken) {}

fn emit(socket: &SocketRef, name: &str, data: &Value) {
    let _ = socket.emit(name, data);
    if name == "end_session" {
        let _ = socket.clone().disconnect();
    }
}

/// Sends a session's recorded events as its clock reaches them, to its sockets (or holds them
/// until one connects); ends after the last one.
pub(crate) async fn send_events(replay: Arc<Replay>, id: String) {
    enum Next {
        Send(Vec<SocketRef>, String, Value),
        Held,
        Wait(std::time::Duration),
        Done,
    }
    loop {
        let notified = replay.moved.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let next = {
            let mut state = replay.lock();
            match state.sessions.get_mut(&id).map(|s| (s.due_event(Instant::now()), s)) {
                None | Some((Err(None), _)) => Next::Done,
                Some((Err(Some(wait)), _)) => Next::Wait(wait),
                Some((Ok((name, data)), session)) => {
                    session.sockets.retain(|s| s.connected());
                    if session.sockets.is_empty() {
                        session.held.push((name, data));
                        Next::Held
                    } else {
                        Next::Send(session.sockets.clone(), name, data)
                    }
                }
            }
        };
        match next {
            Next::Done => return,
            Next::Held => replay.moved.notify_waiters(),
            Next::Wait(wait) => {
                tokio::select! { _ = tokio::time::sleep(wait) => {}, _ = notified => {} }
            }
            Next::Send(sockets, name, data) => {
                for socket in &sockets {
                    emit(socket, &name, &data);
                }
                // An answer waiting for its turn may go now.
                replay.moved.notify_waiters();
            }
        }
    }
}
