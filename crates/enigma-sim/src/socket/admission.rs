//! What the handshake learnt about an admitted socket, read by its command handler.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::mpsc;

/// What the handshake learnt about an admitted socket (kept in the socket's extensions).
#[derive(Clone, Debug)]
pub(crate) struct Admission {
    /// The session the socket watches and commands.
    pub session_id: String,
    /// The session's events, subscribed at admission so nothing emitted after it is missed;
    /// taken by the forwarder.
    events: Arc<Mutex<Option<mpsc::UnboundedReceiver<Value>>>>,
}

impl Admission {
    /// An admitted socket of `session_id`, with the session's events subscribed.
    pub(crate) fn new(session_id: String, events: mpsc::UnboundedReceiver<Value>) -> Self {
        Admission { session_id, events: Arc::new(Mutex::new(Some(events))) }
    }

    /// The subscribed events, once (the forwarder takes them); `None` after.
    pub(crate) fn take_events(&self) -> Option<mpsc::UnboundedReceiver<Value>> {
        self.events.lock().unwrap_or_else(|e| e.into_inner()).take()
    }
}
