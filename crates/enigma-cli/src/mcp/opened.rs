//! The sessions a host opened through this server, with their latest events and their current
//! task's guard. Everything here ends with its owner: [`Opened::close`] (stdin closed, a
//! signal) terminates what is still open, and so does dropping the last handle on it (an MCP
//! session over HTTP that ended), in background tasks.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use enigma::{Client, Session};
use serde_json::Value;
use tokio::task::AbortHandle;

use super::guard::Guard;

/// The most events kept per session.
pub const EVENTS_KEPT: usize = 200;

pub struct Opened {
    client: Client,
    sessions: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    session: Session,
    events: Arc<Mutex<VecDeque<Value>>>,
    reader: AbortHandle,
    /// The guard of the session's latest task started here.
    current: Option<Arc<Guard>>,
}

impl Opened {
    pub fn new(client: Client) -> Arc<Opened> {
        Arc::new(Opened { client, sessions: Mutex::default() })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A session opened here: its events are kept from now on.
    pub fn add(&self, session: &Session) {
        let events = Arc::new(Mutex::new(VecDeque::new()));
        let kept = events.clone();
        let mut stream = session.events();
        let reader = tokio::spawn(async move {
            while let Some(event) = stream.next().await {
                let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
                if kept.len() == EVENTS_KEPT {
                    kept.pop_front();
                }
                kept.push_back(crate::output::camel(&event));
            }
        })
        .abort_handle();
        let entry = Entry { session: session.clone(), events, reader, current: None };
        self.lock().insert(session.id().to_owned(), entry);
    }

    /// The session's handle as opened here (with its live-view URL), if it was.
    pub fn session(&self, session_id: &str) -> Option<Session> {
        self.lock().get(session_id).map(|e| e.session.clone())
    }

    /// Sets the guard of the session's current task.
    pub fn set_current(&self, session_id: &str, guard: Arc<Guard>) {
        if let Some(entry) = self.lock().get_mut(session_id) {
            entry.current = Some(guard);
        }
    }

    /// The guard of the session's latest task started here.
    pub fn current(&self, session_id: &str) -> Option<Arc<Guard>> {
        self.lock().get(session_id).and_then(|e| e.current.clone())
    }

    /// The guard of a task, if it was started here.
    pub fn guard_of(&self, session_id: &str, task_id: &str) -> Option<Arc<Guard>> {
        self.current(session_id).filter(|g| g.task().id() == Some(task_id))
    }

    /// The latest `limit` events of a session opened here, oldest first.
    pub fn recent_events(&self, session_id: &str, limit: usize) -> Option<Vec<Value>> {
        let events = self.lock().get(session_id)?.events.clone();
        let events = events.lock().unwrap_or_else(|e| e.into_inner());
        Some(events.iter().skip(events.len().saturating_sub(limit)).cloned().collect())
    }

    /// Terminates every session opened here that is still open; returns how many it ended.
    pub async fn close(&self) -> usize {
        let sessions = self.take_open();
        let count = sessions.len();
        let ends = sessions.iter().map(|s| async move {
            if let Err(err) = s.terminate().await {
                eprintln!("warning: could not terminate session {}: {err}", s.id());
            }
        });
        futures_util::future::join_all(ends).await;
        count
    }

    /// Takes the sessions out, keeping those still open (the client still tracks them).
    fn take_open(&self) -> Vec<Session> {
        let entries: Vec<Entry> = self.lock().drain().map(|(_, e)| e).collect();
        let open = self.client.open_session_ids();
        entries
            .into_iter()
            .filter_map(|entry| {
                entry.reader.abort();
                open.contains(&entry.session.id().to_owned()).then_some(entry.session)
            })
            .collect()
    }
}

impl Drop for Opened {
    /// The owner went away (an MCP session over HTTP ended): its sessions end too.
    fn drop(&mut self) {
        let sessions = self.take_open();
        if sessions.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        for session in sessions {
            runtime.spawn(async move {
                if let Err(err) = session.terminate().await {
                    eprintln!("warning: could not terminate session {}: {err}", session.id());
                }
            });
        }
    }
}
