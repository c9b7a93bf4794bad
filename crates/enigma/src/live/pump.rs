//! Turns the socket's events into [`Event`]s for every subscriber, keeping the bookkeeping
//! waiters need: whether the connection is up since when, and each task's final event.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::broadcast;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;

use super::socketio::SocketEvent;
use crate::model::classify::final_status;
use crate::model::event::Event;
use crate::model::session_log::SessionLog;
use crate::record::SessionTap;

/// What the pump and the users of a connection share.
pub(super) struct Shared {
    pub(super) sender: Mutex<Option<broadcast::Sender<Arc<Event>>>>,
    pub(super) state: Mutex<LiveState>,
    /// The session's log (its timeline): every event goes in, as received.
    pub(super) log: Arc<SessionLog>,
}

#[derive(Default)]
pub(super) struct LiveState {
    pub(super) connected_since: Option<Instant>,
    /// The service said the session ended: commands must not go this way any more (over REST
    /// they get the service's answer, e.g. "session not found").
    pub(super) session_ended: bool,
    /// The last final (or guardrail) event of each task, for waiters that subscribe after it.
    pub(super) finals: HashMap<String, Value>,
    /// Every task an event named, and the first one: how a task whose create has not been
    /// answered yet is recognised (a name not seen before its create was sent is its own).
    pub(super) named: HashSet<String>,
    pub(super) first_named: Option<String>,
    /// The latest outcome event that named no task (the documented guardrail and error
    /// events), for a waiter of a session's first task that subscribes after it.
    /// Numbered from 1, so that a waiter knows one it already handed out.
    pub(super) unnamed_outcome: Option<(u64, Value)>,
}

impl Shared {
    pub(super) fn state(&self) -> std::sync::MutexGuard<'_, LiveState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// How many tasks' final events are remembered.
const MAX_FINALS: usize = 256;

pub(super) async fn run(
    mut socket_events: UnboundedReceiver<SocketEvent>,
    shared: Arc<Shared>,
    tap: Option<SessionTap>,
) {
    let mut first_connect = true;
    while let Some(socket_event) = socket_events.recv().await {
        let last = matches!(socket_event, SocketEvent::Disconnected { will_reconnect: false, .. });
        // The first connection is reported by each stream as it subscribes; only
        // reconnections are news to every subscriber.
        if matches!(socket_event, SocketEvent::Connected { .. }) && std::mem::take(&mut first_connect) {
            continue;
        }
        if let (Some(tap), SocketEvent::Event { name, payload }) = (&tap, &socket_event) {
            tap.event(name, payload);
        }
        let event = translate(socket_event, &shared);
        if let Some(sender) = shared.sender.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            // No subscriber is fine: events are live only.
            let _ = sender.send(Arc::new(event));
        }
        if last {
            break;
        }
    }
    // Closing the sender ends every subscriber's stream once it has read what was sent.
    shared.sender.lock().unwrap_or_else(|e| e.into_inner()).take();
    shared.state().connected_since = None;
}

fn translate(socket_event: SocketEvent, shared: &Shared) -> Event {
    match socket_event {
        SocketEvent::Connected { .. } => {
            // Keep the earliest time of an unbroken connection (set when it opened).
            shared.state().connected_since.get_or_insert_with(Instant::now);
            Event::Connected
        }
        SocketEvent::Disconnected { reason, will_reconnect } => {
            shared.state().connected_since = None;
            Event::Disconnected { reason, will_reconnect }
        }
        SocketEvent::Reconnecting { attempt } => Event::Reconnecting { attempt },
        SocketEvent::ConnectError { message, .. } => Event::ConnectError { message },
        SocketEvent::Event { name, payload } => {
            shared.log.event(&name, &payload);
            if name == "end_session" {
                shared.state().session_ended = true;
            }
            remember_named(&payload, shared);
            remember_final(&name, &payload, shared);
            Event::from_socket(&name, payload)
        }
    }
}

/// How many task names are remembered (a session runs a task at a time: plenty).
const MAX_NAMED: usize = 4096;

fn remember_named(payload: &Value, shared: &Shared) {
    let Some(task_id) = payload.get("taskId").and_then(Value::as_str) else { return };
    let mut state = shared.state();
    if state.named.contains(task_id) {
        return;
    }
    if state.named.len() >= MAX_NAMED {
        state.named.clear();
    }
    state.named.insert(task_id.to_owned());
    state.first_named.get_or_insert_with(|| task_id.to_owned());
}

fn remember_final(name: &str, payload: &Value, shared: &Shared) {
    // The one classifier decides what is an outcome (a guardrail counts: it needs a human).
    if name != "message" || final_status(payload).is_none() {
        return;
    }
    let Some(task_id) = payload.get("taskId").and_then(Value::as_str) else {
        let mut state = shared.state();
        let number = state.unnamed_outcome.as_ref().map_or(1, |(n, _)| n + 1);
        state.unnamed_outcome = Some((number, payload.clone()));
        return;
    };
    let mut state = shared.state();
    if state.finals.len() >= MAX_FINALS {
        state.finals.clear();
    }
    state.finals.insert(task_id.to_owned(), payload.clone());
}
