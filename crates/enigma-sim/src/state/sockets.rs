//! The connected sockets: which session each watches, and the TCP connection under it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use tokio::task::AbortHandle;

use crate::cuttable::CutSwitch;

/// The switch of a connection's TCP socket ([`CutSwitch`]), put in every request's extensions
/// by the server, so the connection can be cut abruptly later (no WebSocket close frame, no
/// Socket.IO disconnect packet).
pub(crate) type RawConn = Arc<CutSwitch>;

#[derive(Debug)]
struct Entry {
    session_id: String,
    conn: Option<RawConn>,
    forwarder: Option<AbortHandle>,
}

/// Every connected socket, by socket id; and the sessions whose sockets are kept silent.
#[derive(Debug, Default)]
pub(crate) struct SocketRegistry {
    sockets: BTreeMap<String, Entry>,
    /// Sessions whose events are withheld from their sockets (`POST /_sim/sockets/silence`).
    silenced: BTreeSet<String>,
}

impl SocketRegistry {
    /// Records a connected socket.
    pub(crate) fn add(&mut self, socket_id: String, session_id: String, conn: Option<RawConn>) {
        self.sockets.insert(socket_id, Entry { session_id, conn, forwarder: None });
    }

    /// Attaches the task forwarding events to a socket; `false` when the socket is already gone
    /// (the caller then stops the task).
    pub(crate) fn set_forwarder(&mut self, socket_id: &str, forwarder: AbortHandle) -> bool {
        match self.sockets.get_mut(socket_id) {
            Some(entry) => {
                entry.forwarder = Some(forwarder);
                true
            }
            None => false,
        }
    }

    /// Forgets a disconnected socket and stops its forwarder.
    pub(crate) fn remove(&mut self, socket_id: &str) {
        if let Some(forwarder) = self.sockets.remove(socket_id).and_then(|e| e.forwarder) {
            forwarder.abort();
        }
    }

    /// The ids of the connected sockets, sorted.
    pub(crate) fn ids(&self) -> Vec<String> {
        self.sockets.keys().cloned().collect()
    }

    /// How many sockets are connected.
    pub(crate) fn connected(&self) -> u64 {
        self.sockets.len() as u64
    }

    /// Cuts the TCP connection of every socket of a session; returns how many were cut.
    pub(crate) fn cut_session(&self, session_id: &str) -> usize {
        let mut cut = 0;
        for entry in self.sockets.values().filter(|e| e.session_id == session_id) {
            if let Some(conn) = &entry.conn {
                conn.cut();
                cut += 1;
            }
        }
        cut
    }

    /// Starts or stops withholding a session's events from its sockets (present and future);
    /// returns how many of its sockets are connected.
    pub(crate) fn set_silenced(&mut self, session_id: &str, silent: bool) -> usize {
        if silent {
            self.silenced.insert(session_id.to_owned());
        } else {
            self.silenced.remove(session_id);
        }
        self.sockets.values().filter(|e| e.session_id == session_id).count()
    }

    /// Whether some session's events are withheld.
    pub(crate) fn any_silenced(&self) -> bool {
        !self.silenced.is_empty()
    }

    /// Whether a session's events are withheld from its sockets.
    pub(crate) fn is_silenced(&self, session_id: &str) -> bool {
        self.silenced.contains(session_id)
    }

    /// Cuts every socket's connection (the simulator is going away).
    pub(crate) fn cut_all(&self) {
        for conn in self.sockets.values().filter_map(|e| e.conn.as_ref()) {
            conn.cut();
        }
    }
}
