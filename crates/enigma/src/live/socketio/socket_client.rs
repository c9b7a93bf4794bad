//! The public handle ([`SocketClient`]) and the background task that owns the
//! WebSocket, answers heartbeats, decodes events and reconnects.
//!
//! One task per client. The handle talks to it over an unbounded command
//! channel; the task reports over an unbounded event channel. The task stops
//! when `close()` is called, when the server disconnects us, when reconnection
//! gives up, or when every handle clone AND the event receiver are dropped
//! (nobody can use the connection any more, so keeping it open would leak it).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use super::backoff;
use super::handshake::{self, Connection, Target, send_engine};
use super::packet::{EnginePacket, ROOT_NSP, SioPacket, connect_error_parts};
use super::socket_error::SocketError;
use super::socket_options::{SocketEvent, SocketOptions};
use super::websocket;

/// How long a graceful close waits for the server's WebSocket close reply.
const CLOSE_GRACE: Duration = Duration::from_secs(1);

/// Handle to a Socket.IO connection. Cheap to clone; all clones drive the same
/// connection.
#[derive(Clone, Debug)]
pub(crate) struct SocketClient {
    commands: mpsc::UnboundedSender<Command>,
    connected: Arc<AtomicBool>,
}

#[derive(Debug)]
enum Command {
    /// An already-encoded Engine.IO frame.
    Emit(String),
    Close,
}

impl SocketClient {
    /// Connects and waits for the namespace CONNECT ack.
    ///
    /// Fails fast (no retry) on an invalid URL/TLS setup, transport error,
    /// `connect_error` (e.g. unknown session) or `opts.connect_timeout`.
    /// Automatic reconnection only applies once connected.
    ///
    /// The receiver first yields `Connected { sid }` for this connection, then
    /// server events and lifecycle changes in order. It closes after the final
    /// `Disconnected { will_reconnect: false, .. }`.
    pub(crate) async fn connect(
        opts: SocketOptions,
    ) -> Result<(SocketClient, mpsc::UnboundedReceiver<SocketEvent>), SocketError> {
        let url = websocket::websocket_url(&opts.url, &opts.path)?;
        let tls = if url.scheme() == "wss" {
            Some(websocket::shared_tls_connector(opts.extra_root_ca_pem.as_deref())?)
        } else {
            None
        };
        let target = Target {
            url,
            tls,
            auth: opts.auth.clone(),
            timeout: opts.connect_timeout,
            max_frame_bytes: opts.max_frame_bytes,
            read_buffer_bytes: opts.read_buffer_bytes,
        };
        let conn = handshake::establish(target.clone()).await?;

        let (command_tx, command_rx) = mpsc::unbounded_channel();
        let (event_tx, event_rx) = mpsc::unbounded_channel();
        let connected = Arc::new(AtomicBool::new(true));
        let _ = event_tx.send(SocketEvent::Connected { sid: conn.sid.clone() });
        let task = Task {
            target,
            reconnect: opts.reconnect,
            reconnect_delay: opts.reconnect_delay,
            reconnect_delay_max: opts.reconnect_delay_max,
            max_reconnect_attempts: opts.max_reconnect_attempts,
            commands: command_rx,
            handles_gone: false,
            events: event_tx,
            receiver_gone: false,
            connected: connected.clone(),
        };
        tokio::spawn(task.run(conn));
        Ok((SocketClient { commands: command_tx, connected }, event_rx))
    }

    /// Sends event `event` with a single JSON argument (no ack requested).
    ///
    /// Returns [`SocketError::NotConnected`] while disconnected or reconnecting
    /// so the caller can fall back to REST. `Ok` means queued for sending, not
    /// delivered: a transport loss racing with this call can still drop it.
    pub(crate) fn emit(&self, event: &str, payload: Value) -> Result<(), SocketError> {
        if !self.is_connected() {
            return Err(SocketError::NotConnected);
        }
        let frame = EnginePacket::Message(SioPacket::event(event, payload).encode()).encode();
        self.commands.send(Command::Emit(frame)).map_err(|_| SocketError::NotConnected)
    }

    /// Whether the namespace connection is currently up.
    pub(crate) fn is_connected(&self) -> bool {
        self.connected.load(Ordering::SeqCst)
    }

    /// Graceful disconnect (sends Socket.IO DISCONNECT, closes the WebSocket,
    /// stops reconnecting). Ends with `Disconnected { reason: "io client
    /// disconnect", will_reconnect: false }`. Idempotent.
    pub(crate) fn close(&self) {
        self.connected.store(false, Ordering::SeqCst);
        let _ = self.commands.send(Command::Close);
    }
}

/// Why `drive` returned.
enum Ended {
    /// Lost without a Socket.IO DISCONNECT: reconnect if allowed.
    TransportLost(&'static str),
    /// Server sent DISCONNECT (`socket.disconnect()`): never reconnect.
    ServerDisconnect,
    /// Server refused the namespace while connected; the session is gone.
    Refused { message: String, data: Option<Value> },
    /// `close()` was called.
    ClientClose,
    /// Every handle and the receiver are gone.
    Abandoned,
}

/// Reasons `wait_for_stop` returns: the user wants out, or nobody is left.
enum Stop {
    Close,
    Abandoned,
}

struct Task {
    target: Target,
    reconnect: bool,
    reconnect_delay: Duration,
    reconnect_delay_max: Duration,
    max_reconnect_attempts: Option<u32>,
    commands: mpsc::UnboundedReceiver<Command>,
    /// All `SocketClient` clones dropped (the command channel is closed).
    handles_gone: bool,
    events: mpsc::UnboundedSender<SocketEvent>,
    /// The event receiver was dropped.
    receiver_gone: bool,
    connected: Arc<AtomicBool>,
}

impl Task {
    async fn run(mut self, mut conn: Connection) {
        loop {
            let ended = self.drive(&mut conn).await;
            self.connected.store(false, Ordering::SeqCst);
            match ended {
                Ended::Abandoned => {
                    tracing::debug!("socket.io: handle and receiver dropped, closing");
                    Box::pin(graceful_close(conn)).await;
                    return;
                }
                Ended::ClientClose => {
                    Box::pin(graceful_close(conn)).await;
                    self.finish("io client disconnect");
                    return;
                }
                Ended::ServerDisconnect => {
                    tracing::debug!("socket.io: server disconnected us");
                    Box::pin(close_quietly(conn)).await;
                    self.finish("io server disconnect");
                    return;
                }
                Ended::Refused { message, data } => {
                    Box::pin(close_quietly(conn)).await;
                    self.report(SocketEvent::ConnectError { message, data });
                    self.finish("io server disconnect");
                    return;
                }
                Ended::TransportLost(reason) => {
                    tracing::debug!(reason, "socket.io: transport lost");
                    drop(conn);
                    self.report(SocketEvent::Disconnected {
                        reason: reason.to_owned(),
                        will_reconnect: self.reconnect,
                    });
                    if !self.reconnect {
                        return;
                    }
                    // Boxed, like the closes: this task lives as long as the socket, and a
                    // reconnect's state (a new handshake) inline would be carried all along.
                    match Box::pin(self.reconnect_loop()).await {
                        Some(new_conn) => {
                            conn = new_conn;
                            self.connected.store(true, Ordering::SeqCst);
                            self.report(SocketEvent::Connected { sid: conn.sid.clone() });
                        }
                        None => return,
                    }
                }
            }
        }
    }

    /// Pumps one live connection until it ends.
    async fn drive(&mut self, conn: &mut Connection) -> Ended {
        let heartbeat = tokio::time::sleep(conn.heartbeat_timeout);
        tokio::pin!(heartbeat);
        loop {
            tokio::select! {
                frame = conn.ws.next() => {
                    // Any frame proves the peer is alive (the official client
                    // only counts pings; this is strictly more tolerant).
                    heartbeat.as_mut().reset(Instant::now() + conn.heartbeat_timeout);
                    match frame {
                        None => return Ended::TransportLost("transport close"),
                        Some(Err(tokio_tungstenite::tungstenite::Error::Capacity(e))) => {
                            // Unreadable past this point: like any broken transport, reconnect.
                            tracing::warn!(error = %e, "socket.io: refusing an oversized frame, reconnecting");
                            return Ended::TransportLost("transport error");
                        }
                        Some(Err(e)) => {
                            tracing::debug!(error = %e, "socket.io: websocket error");
                            return Ended::TransportLost("transport error");
                        }
                        Some(Ok(Message::Text(text))) => {
                            if let Some(ended) = self.on_text(conn, text.as_str()).await {
                                return ended;
                            }
                        }
                        Some(Ok(Message::Binary(data))) => {
                            tracing::debug!(len = data.len(), "socket.io: skipping binary frame (unsupported)");
                        }
                        Some(Ok(Message::Close(_))) => return Ended::TransportLost("transport close"),
                        Some(Ok(_)) => {} // WS-level ping/pong, answered by tungstenite.
                    }
                }
                command = self.commands.recv(), if !self.handles_gone => match command {
                    Some(Command::Emit(frame)) => {
                        if let Err(e) = conn.ws.send(Message::text(frame)).await {
                            tracing::debug!(error = %e, "socket.io: send failed");
                            return Ended::TransportLost("transport error");
                        }
                    }
                    Some(Command::Close) => return Ended::ClientClose,
                    None => {
                        self.handles_gone = true;
                        if self.receiver_gone {
                            return Ended::Abandoned;
                        }
                    }
                },
                () = self.events.closed(), if !self.receiver_gone => {
                    self.receiver_gone = true;
                    if self.handles_gone {
                        return Ended::Abandoned;
                    }
                }
                () = &mut heartbeat => return Ended::TransportLost("ping timeout"),
            }
        }
    }

    /// Handles one Engine.IO text frame; `Some` ends the connection.
    async fn on_text(&mut self, conn: &mut Connection, text: &str) -> Option<Ended> {
        let packet = match EnginePacket::parse(text) {
            Ok(packet) => packet,
            Err(e) => {
                // Tolerate garbage rather than dropping a working session.
                tracing::warn!(error = %e, "socket.io: skipping malformed engine.io frame");
                return None;
            }
        };
        match packet {
            EnginePacket::Ping(data) => {
                if let Err(e) = send_engine(&mut conn.ws, EnginePacket::Pong(data)).await {
                    tracing::debug!(error = %e, "socket.io: pong failed");
                    return Some(Ended::TransportLost("transport error"));
                }
                None
            }
            EnginePacket::Close => Some(Ended::TransportLost("transport close")),
            EnginePacket::Message(sio) => self.on_socketio(&sio),
            other => {
                tracing::debug!(?other, "socket.io: ignoring engine.io packet");
                None
            }
        }
    }

    fn on_socketio(&mut self, text: &str) -> Option<Ended> {
        let packet = match SioPacket::parse(text) {
            Ok(packet) => packet,
            Err(e) => {
                tracing::warn!(error = %e, "socket.io: skipping malformed packet");
                return None;
            }
        };
        match packet {
            SioPacket::Event { nsp, name, args, .. } if nsp == ROOT_NSP => {
                // Server-requested acks are not supported (the API defines none).
                let payload = args.into_iter().next().unwrap_or(Value::Null);
                self.report(SocketEvent::Event { name, payload });
                None
            }
            SioPacket::Disconnect { nsp } if nsp == ROOT_NSP => Some(Ended::ServerDisconnect),
            SioPacket::ConnectError { nsp, data } if nsp == ROOT_NSP => {
                let (message, data) = connect_error_parts(data);
                Some(Ended::Refused { message, data })
            }
            SioPacket::Binary { attachments, .. } => {
                tracing::warn!(attachments, "socket.io: skipping binary event (unsupported)");
                None
            }
            other => {
                tracing::debug!(?other, "socket.io: ignoring packet");
                None
            }
        }
    }

    /// Backoff-and-retry until connected. `None` means the task must end
    /// (after reporting why, unless nobody is listening).
    async fn reconnect_loop(&mut self) -> Option<Connection> {
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            if self.max_reconnect_attempts.is_some_and(|max| attempt > max) {
                self.finish("reconnect failed");
                return None;
            }
            let delay = backoff::reconnect_delay(attempt, self.reconnect_delay, self.reconnect_delay_max);
            tracing::debug!(attempt, ?delay, "socket.io: reconnecting after delay");
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                stop = self.wait_for_stop() => return self.stopped(stop),
            }

            self.report(SocketEvent::Reconnecting { attempt });
            let result = tokio::select! {
                result = handshake::establish(self.target.clone()) => result,
                stop = self.wait_for_stop() => return self.stopped(stop),
            };
            match result {
                Ok(conn) => return Some(conn),
                // The server no longer knows the session: retrying is pointless.
                Err(SocketError::ConnectError { message, data }) => {
                    self.report(SocketEvent::ConnectError { message, data });
                    self.finish("io server disconnect");
                    return None;
                }
                Err(e) => tracing::debug!(attempt, error = %e, "socket.io: reconnection failed"),
            }
        }
    }

    /// Resolves on `close()` or abandonment; drops emits (we are not connected,
    /// and `emit` already told callers so unless they raced the disconnect).
    async fn wait_for_stop(&mut self) -> Stop {
        loop {
            // Checked first: with both gone, every select branch is disabled.
            if self.handles_gone && self.receiver_gone {
                return Stop::Abandoned;
            }
            tokio::select! {
                command = self.commands.recv(), if !self.handles_gone => match command {
                    Some(Command::Emit(_)) => tracing::debug!("socket.io: dropping emit while reconnecting"),
                    Some(Command::Close) => return Stop::Close,
                    None => self.handles_gone = true,
                },
                () = self.events.closed(), if !self.receiver_gone => self.receiver_gone = true,
            }
        }
    }

    fn stopped(&mut self, stop: Stop) -> Option<Connection> {
        if let Stop::Close = stop {
            self.finish("io client disconnect");
        }
        None
    }

    /// Final event: no reconnection will follow.
    fn finish(&self, reason: &str) {
        self.report(SocketEvent::Disconnected { reason: reason.to_owned(), will_reconnect: false });
    }

    fn report(&self, event: SocketEvent) {
        // A dropped receiver just means nobody listens; the handle may still emit.
        let _ = self.events.send(event);
    }
}

/// Socket.IO DISCONNECT, then a WebSocket close handshake bounded by
/// [`CLOSE_GRACE`], so the server sees a clean "client namespace disconnect".
async fn graceful_close(mut conn: Connection) {
    let disconnect = SioPacket::Disconnect { nsp: ROOT_NSP.to_owned() };
    let _ = send_engine(&mut conn.ws, EnginePacket::Message(disconnect.encode())).await;
    close_quietly(conn).await;
}

/// WebSocket close handshake, bounded; errors are irrelevant at this point.
async fn close_quietly(mut conn: Connection) {
    let _ = tokio::time::timeout(CLOSE_GRACE, async {
        let _ = conn.ws.close(None).await;
        // Drain until the server's close frame (or EOF) completes the handshake.
        while let Some(Ok(_)) = conn.ws.next().await {}
    })
    .await;
}
