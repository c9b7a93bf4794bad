//! The Socket.IO v4 server (Engine.IO 4, namespace `/`, path `/socket.io/`) on the REST port.
//!
//! - [`handshake`]: `auth: {sessionId}` admits a socket to an open session, else `connect_error`;
//! - [`admission`]: what the handshake learnt about a socket (its session), read by commands;
//! - [`commands`]: client `message` events carry bare message objects, applied like send-message;
//! - [`forward`]: the session's events go to every socket of the session; `end_session` is
//!   followed by a server-side disconnect.
//!
//! The connected sockets themselves are data: [`crate::state::RawConn`] and the registry in `state`.

mod admission;
mod commands;
mod forward;
mod handshake;

use std::sync::Arc;

use socketioxide::SocketIo;
use socketioxide::handler::ConnectHandler;
use socketioxide::layer::SocketIoLayer;

use crate::state::AppState;

/// Builds the Socket.IO layer (to wrap the HTTP router in) and its handle.
pub(crate) fn layer(state: Arc<AppState>) -> (SocketIoLayer, SocketIo) {
    let (layer, io) = SocketIo::builder().with_state(state).build_layer();
    io.ns("/", handshake::on_connect.with(handshake::admit));
    (layer, io)
}
