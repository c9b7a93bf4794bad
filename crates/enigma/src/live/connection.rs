//! The live connection of a session: one Socket.IO connection shared by its event streams,
//! its waiters and its commands, opened on demand and closed when nothing uses it.

use super::pump::{self, LiveState, Shared};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use url::Url;

use super::socketio::{SocketClient, SocketError, SocketEvent, SocketOptions};
use crate::model::config::ClientConfig;
use crate::model::error::Error;
use crate::model::error_code::ErrorCode;
use crate::model::session_log::SessionLog;
use crate::record::SessionTap;

/// After a failed connection, waiters poll instead of retrying the socket for this long.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(30);

/// Where a session's live connection lives: shared by the session handle and its tasks.
pub(crate) struct LiveSlot {
    session_id: String,
    socket_url: Url,
    connect_timeout: Duration,
    /// The client's extra roots, shared by all its sessions (not a copy per session).
    extra_root_ca_pem: Option<Arc<[u8]>>,
    /// The largest socket message read (see `SocketOptions::max_frame_bytes`).
    max_frame_bytes: usize,
    /// Events kept per reader (the client's `event_buffer`).
    event_buffer: usize,
    /// The WebSocket read buffer's first size (the client's `socket_read_buffer_bytes`).
    socket_read_buffer_bytes: usize,
    enabled: bool,
    current: Arc<tokio::sync::Mutex<Option<Arc<Live>>>>,
    /// The last failure to connect: when, why, and its code (`session_not_found` when the
    /// service refused the session, `connection` when it could not be reached).
    last_failure: Mutex<Option<(Instant, String, ErrorCode)>>,
    /// Terminated through the SDK: never connect again.
    ended: AtomicBool,
    /// What the session's handles saw, for its timeline (every connection adds its events).
    log: Arc<SessionLog>,
    /// The flight recorder of the session, when recording.
    tap: Option<SessionTap>,
    /// Counts the commands this client sent the session: a quiet wait checks soon after one (a
    /// stop may bring no event: the documented service sends none).
    commands: tokio::sync::watch::Sender<u64>,
}

impl LiveSlot {
    /// `enabled`: whether this session uses live events (its own setting, else the client's);
    /// `extra_root_ca_pem`: the client's shared copy of `config.extra_root_ca_pem`;
    /// `tap`: where its events and commands are recorded.
    pub(crate) fn new(
        session_id: &str,
        socket_url: Url,
        config: &ClientConfig,
        extra_root_ca_pem: Option<Arc<[u8]>>,
        enabled: bool,
        tap: Option<SessionTap>,
    ) -> Arc<LiveSlot> {
        Arc::new(LiveSlot {
            session_id: session_id.to_owned(),
            socket_url,
            connect_timeout: config.connect_timeout,
            extra_root_ca_pem,
            // One bound for everything the service sends: an HTTP answer or a socket message.
            max_frame_bytes: config.max_response_bytes,
            enabled,
            current: Arc::new(tokio::sync::Mutex::new(None)),
            last_failure: Mutex::new(None),
            ended: AtomicBool::new(false),
            log: Arc::new(SessionLog::new(config.timeline_records)),
            event_buffer: config.event_buffer,
            socket_read_buffer_bytes: config.socket_read_buffer_bytes,
            tap,
            commands: tokio::sync::watch::Sender::new(0),
        })
    }

    /// What the session's handles saw so far.
    pub(crate) fn log(&self) -> &Arc<SessionLog> {
        &self.log
    }

    /// This client sent the session a command (state, interaction, guardrail answer).
    pub(crate) fn commanded(&self) {
        self.commands.send_modify(|sent| *sent += 1);
    }

    /// Tells of each command this client sends the session from now on.
    pub(crate) fn commands(&self) -> tokio::sync::watch::Receiver<u64> {
        self.commands.subscribe()
    }

    /// Whether live events are switched on for this session.
    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    /// The open connection, or a new one. Fails fast (without a new attempt) for a while after
    /// a failure, so that waiters fall back to polling at once.
    pub(crate) async fn get_or_connect(&self) -> Result<Arc<Live>, Error> {
        if !self.enabled {
            return Err(unavailable("live events are switched off (live_events = false)"));
        }
        let mut current = self.current.lock().await;
        self.connect_holding(&mut current).await
    }

    /// `get_or_connect` with the slot already locked.
    async fn connect_holding(&self, current: &mut Option<Arc<Live>>) -> Result<Arc<Live>, Error> {
        if let Some(live) = current.as_ref().filter(|l| l.is_open()) {
            return Ok(live.clone());
        }
        if self.ended.load(Ordering::SeqCst) {
            return Err(Error::SessionEnded { session_id: self.session_id.clone(), task_id: None });
        }
        if let Some((at, why, _)) = self.last_failure.lock().unwrap_or_else(|e| e.into_inner()).as_ref()
            && at.elapsed() < RETRY_AFTER_FAILURE
        {
            return Err(unavailable(why));
        }
        let mut options = SocketOptions::new(self.socket_url.clone(), json!({ "sessionId": self.session_id }));
        options.connect_timeout = self.connect_timeout;
        options.extra_root_ca_pem = self.extra_root_ca_pem.clone();
        options.max_frame_bytes = self.max_frame_bytes;
        options.read_buffer_bytes = self.socket_read_buffer_bytes;
        // Boxed: the connect's state (TCP, TLS, upgrade) is large and only lives while
        // connecting, and every waiter's future would otherwise carry room for it for its
        // whole life (thousands of waiters: issue 23).
        match Box::pin(SocketClient::connect(options)).await {
            Ok((socket, events)) => {
                let live = Arc::new(Live::start(socket, events, self.event_buffer, self.log.clone(), self.tap.clone()));
                *current = Some(live.clone());
                tracing::debug!(session = %self.session_id, "live connection open");
                Ok(live)
            }
            Err(err) => {
                let why = format!("no live connection for session {}: {err}", self.session_id);
                tracing::debug!("{why}");
                // A `connect_error` is the service refusing the session id (contract §4).
                let code = match err {
                    SocketError::ConnectError { .. } => ErrorCode::SessionNotFound,
                    _ => ErrorCode::Connection,
                };
                *self.last_failure.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some((Instant::now(), why.clone(), code));
                Err(Error::connection(why, true, err))
            }
        }
    }

    /// The code of why the last `get_or_connect` failed: `session_ended` once the session was
    /// terminated, else that of the last failed attempt (`session_not_found`, `connection`).
    pub(crate) fn failure_code(&self) -> Option<ErrorCode> {
        if self.ended.load(Ordering::SeqCst) {
            return Some(ErrorCode::SessionEnded);
        }
        let failure = self.last_failure.lock().unwrap_or_else(|e| e.into_inner());
        failure.as_ref().map(|(_, _, code)| *code).or((!self.enabled).then_some(ErrorCode::Connection))
    }

    /// Starts connecting in the background, so the socket is up before the first wait needs it.
    pub(crate) fn connect_in_background(self: &Arc<Self>) {
        if !self.enabled {
            return;
        }
        // Lock now, not in the task: a newTask sent right after must find the attempt in
        // progress (and wait for it in `settle`).
        let Ok(mut current) = self.current.clone().try_lock_owned() else { return };
        let weak = Arc::downgrade(self);
        tokio::spawn(async move {
            if let Some(slot) = weak.upgrade() {
                let _ = slot.connect_holding(&mut current).await;
            }
        });
    }

    /// Waits (up to `limit`) for a connection attempt in progress, e.g. the one started with the
    /// session, so that a task started next is watched from its very beginning and its wait
    /// needs no REST check. Returns at once when no attempt is in progress.
    pub(crate) async fn settle(&self, limit: Duration) {
        if self.enabled {
            let _ = tokio::time::timeout(limit, self.current.lock()).await;
        }
    }

    /// The connection, if one is open and connected right now (never waits, never connects).
    pub(crate) fn connected(&self) -> Option<Arc<Live>> {
        let current = self.current.try_lock().ok()?;
        current.as_ref().filter(|l| l.is_connected()).cloned()
    }

    /// The session was terminated: never connect again. An open connection stays, so its
    /// listeners still get `end_session`; the service then disconnects it (or dropping the last
    /// user does).
    pub(crate) fn mark_ended(&self) {
        self.ended.store(true, Ordering::SeqCst);
    }
}

fn unavailable(why: &str) -> Error {
    Error::Connection { message: why.to_owned(), never_sent: true, source: None }
}

/// One live connection and the task that turns its Socket.IO events into [`Event`]s.
pub(crate) struct Live {
    socket: SocketClient,
    shared: Arc<Shared>,
    pump: JoinHandle<()>,
    tap: Option<SessionTap>,
}

impl Live {
    fn start(
        socket: SocketClient,
        events: tokio::sync::mpsc::UnboundedReceiver<SocketEvent>,
        event_buffer: usize,
        log: Arc<SessionLog>,
        tap: Option<SessionTap>,
    ) -> Live {
        let (sender, _) = broadcast::channel(event_buffer);
        // Connected as of now (the socket's own `Connected` report reaches the pump later).
        let state = LiveState { connected_since: Some(Instant::now()), ..LiveState::default() };
        let shared = Arc::new(Shared { sender: Mutex::new(Some(sender)), state: Mutex::new(state), log });
        let pump = tokio::spawn(pump::run(events, shared.clone(), tap.clone()));
        Live { socket, shared, pump, tap }
    }

    /// A receiver of every event from now on; `None` once the connection is closed for good.
    pub(crate) fn subscribe(&self) -> Option<super::Events> {
        self.shared.sender.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(broadcast::Sender::subscribe)
    }

    /// Sends a message object over the socket; false if not connected (the caller uses REST).
    pub(crate) fn emit(&self, message: &Value) -> bool {
        let sent = self.socket.emit("message", message.clone()).is_ok();
        if sent && let Some(tap) = &self.tap {
            tap.command("message", message);
        }
        sent
    }

    /// Whether the connection may still deliver events (connected or reconnecting).
    pub(crate) fn is_open(&self) -> bool {
        self.shared.sender.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Connected, to a session that has not ended.
    pub(crate) fn is_connected(&self) -> bool {
        self.socket.is_connected() && !self.shared.state().session_ended
    }

    /// Since when the connection has been up without a break; `None` while it is down.
    pub(crate) fn connected_since(&self) -> Option<Instant> {
        self.shared.state().connected_since
    }

    /// Every task an event of this connection named so far.
    pub(crate) fn named_tasks(&self) -> std::collections::HashSet<String> {
        self.shared.state().named.clone()
    }

    /// The latest outcome event that named no task (a documented guardrail or error event),
    /// with its number (counted from 1 on this connection).
    pub(crate) fn unnamed_outcome(&self) -> Option<(u64, Value)> {
        self.shared.state().unnamed_outcome.clone()
    }

    /// The first task an event of this connection named.
    pub(crate) fn first_named_task(&self) -> Option<String> {
        self.shared.state().first_named.clone()
    }

    /// The last final or guardrail event seen for a task.
    pub(crate) fn final_for(&self, task_id: &str) -> Option<Value> {
        self.shared.state().finals.get(task_id).cloned()
    }
}

impl Drop for Live {
    /// Nobody uses the connection any more: close it rather than leave it open.
    fn drop(&mut self) {
        self.socket.close();
        self.pump.abort();
    }
}
