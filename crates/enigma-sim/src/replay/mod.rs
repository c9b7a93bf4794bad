//! Replay: the simulator serving a recording of the flight recorder (`enigma sim --replay`,
//! [`SimConfig::replay`](crate::SimConfig::replay); `docs/recording.md`) in place of its agent.
//!
//! - [`recording`]: a file, or a folder of them (one per session), read and sorted;
//! - [`session`]: one session's clock (the recorded timing times the time scale, never ahead of
//!   the program's next request), its writes in order, its events as they fall due, its polls;
//! - [`difference`]: what a request is in a few words, and the first difference;
//! - [`http`]: the REST side (a middleware over the simulator's routes: the documented
//!   requests are answered from the recording, `/_sim/stats` gains a `replay` section);
//! - [`socket`]: the Socket.IO side (events of the recording, commands taken like POSTs).
//!
//! The program's creates find their recording by their body (the first unused one whose create
//! is the same), so a program that opens several sessions replays too; ids are the recorded
//! ones. A write the recording does not have is answered 400 `REPLAY_MISMATCH` naming the
//! first difference, which the replay's stats keep.

mod difference;
mod http;
mod recording;
mod session;
mod socket;
mod stats;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::time::Instant;

pub(crate) use http::intercept;
pub(crate) use socket::layer as socket_layer;
pub use stats::ReplayStats;

use difference::Write;
use recording::Recording;
use session::{SessionReplay, Taken};

/// The server code of an answer to a request the recording does not have.
pub const REPLAY_MISMATCH: &str = "REPLAY_MISMATCH";

/// A loaded replay and where it stands.
pub(crate) struct Replay {
    recordings: Vec<Arc<Recording>>,
    scale: f64,
    base_url: String,
    state: Mutex<State>,
    /// Woken whenever a write is taken: the clocks may run further.
    moved: Notify,
}

impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay").field("recordings", &self.recordings.len()).finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    /// Sessions under way, by id.
    sessions: HashMap<String, SessionReplay>,
    /// Which recordings a session was started from.
    used: Vec<bool>,
    /// Every difference, in order: `{sessionId, difference}`.
    differences: Vec<Value>,
    writes_served: u64,
    reads_served: u64,
}

impl Replay {
    /// Reads the recording(s) at `path`.
    pub(crate) fn load(path: &Path, scale: f64, base_url: String) -> Result<Arc<Replay>, String> {
        let recordings: Vec<Arc<Recording>> = recording::load(path)?.into_iter().map(Arc::new).collect();
        let state = State { used: vec![false; recordings.len()], ..State::default() };
        Ok(Arc::new(Replay { recordings, scale, base_url, state: Mutex::new(state), moved: Notify::new() }))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts the replay of recording `index` (its clock from now, its events on their way).
    fn start(self: &Arc<Self>, state: &mut State, index: usize) {
        state.used[index] = true;
        let recording = self.recordings[index].clone();
        let id = recording.session_id.clone();
        state.sessions.insert(id.clone(), SessionReplay::new(recording, self.scale, Instant::now()));
        tokio::spawn(socket::send_events(self.clone(), id));
    }

    /// The session under way with this id, started now if a recording has it.
    fn session<'a>(self: &Arc<Self>, state: &'a mut State, id: &str) -> Option<&'a mut SessionReplay> {
        if !state.sessions.contains_key(id) {
            let index = (0..self.recordings.len()).find(|&i| !state.used[i] && self.recordings[i].session_id == id)?;
            self.start(state, index);
        }
        state.sessions.get_mut(id)
    }

    /// A write (a POST or a socket command) of `session_id` (`None`: a create). The answer, when
    /// due; or the first difference.
    fn write(self: &Arc<Self>, session_id: Option<&str>, got: &Write) -> Result<(String, Taken), String> {
        let mut state = self.lock();
        let id = match session_id {
            Some(id) => id.to_owned(),
            None => match self.recording_of_create(&state, got) {
                Ok(index) => {
                    self.start(&mut state, index);
                    self.recordings[index].session_id.clone()
                }
                Err(why) => return Err(self.differ(&mut state, None, why)),
            },
        };
        let Some(session) = self.session(&mut state, &id) else {
            let why = format!("expected no request for session {id} (no recording has it), got {}", got.gist());
            return Err(self.differ(&mut state, Some(&id), why));
        };
        let first = session.diverged.is_none();
        match session.take(got, Instant::now()) {
            Ok(taken) => {
                state.writes_served += 1;
                drop(state);
                self.moved.notify_waiters();
                Ok((id, taken))
            }
            Err(why) if first => Err(self.differ(&mut state, Some(&id), why)),
            Err(why) => Err(why),
        }
    }

    /// The first unused recording whose create is this one.
    fn recording_of_create(&self, state: &State, got: &Write) -> Result<usize, String> {
        let unused: Vec<usize> = (0..self.recordings.len()).filter(|&i| !state.used[i]).collect();
        let first_write = |i: usize| session::writes_of(&self.recordings[i]).next().map(|(_, w)| w);
        if let Some(&i) = unused.iter().find(|&&i| first_write(i).is_some_and(|w| w.matches(got))) {
            return Ok(i);
        }
        match unused.first().and_then(|&i| first_write(i)) {
            Some(expected) => Err(difference::describe(&expected, got)),
            None => Err(format!("expected no more sessions (every recording was served), got {}", got.gist())),
        }
    }

    /// Keeps a difference for the stats; returns its text.
    fn differ(&self, state: &mut State, session_id: Option<&str>, why: String) -> String {
        tracing::warn!(session = session_id, "replay: {why}");
        state.differences.push(json!({ "sessionId": session_id, "difference": why }));
        why
    }

    /// A poll's answer.
    fn read(self: &Arc<Self>, session_id: &str, task_id: &str, path: &str) -> Option<(u16, Value, String)> {
        let mut state = self.lock();
        let session = self.session(&mut state, session_id)?;
        let (status, body) = session.read(path, task_id, Instant::now());
        let from = session.recording.base_url.clone();
        state.reads_served += 1;
        Some((status, body, from))
    }

    /// Waits until the answer of record `index` may go (its turn, and the clock at `at`).
    async fn wait_for_answer(&self, session_id: &str, index: usize, at: f64) {
        loop {
            let notified = self.moved.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let wait = match self.lock().sessions.get_mut(session_id) {
                Some(session) => session.answer_now(index, at, Instant::now()),
                None => return,
            };
            match wait {
                Ok(()) => {
                    self.moved.notify_waiters();
                    return;
                }
                Err(wait) => {
                    tokio::select! { _ = tokio::time::sleep(wait) => {}, _ = notified => {} }
                }
            }
        }
    }

    /// The `replay` section of `/_sim/stats`.
    pub(crate) fn stats_json(&self) -> Value {
        let state = self.lock();
        let sessions: Vec<Value> = state
            .sessions
            .values()
            .map(|s| {
                json!({
                    "sessionId": s.recording.session_id,
                    "file": s.recording.file.display().to_string(),
                    "writesServed": s.next_write,
                    "writesExpected": s.writes_expected(),
                    "eventsDone": s.events_done(),
                })
            })
            .collect();
        let complete = state.differences.is_empty()
            && state.used.iter().all(|u| *u)
            && state.sessions.values().all(|s| s.next_write == s.writes_expected());
        json!({
            "recordings": self.recordings.len(),
            "sessionsStarted": state.sessions.len(),
            "writesServed": state.writes_served,
            "readsServed": state.reads_served,
            "differences": state.differences,
            "firstDifference": state.differences.first().map(|d| d["difference"].clone()),
            "complete": complete,
            "sessions": sessions,
        })
    }
}

/// The recorded answer with the recorded run's base URL turned into the replay's (a socket URL
/// always points at the replay: its events are served here).
fn rewritten(value: Value, from: &str, to: &str) -> Value {
    match value {
        Value::String(s) if !from.is_empty() && s.starts_with(from) => {
            Value::String(format!("{to}{}", &s[from.len()..]))
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| rewritten(v, from, to)).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match k.as_str() {
                    "socketURL" if v.is_string() => (k, Value::String(to.to_owned())),
                    _ => (k, rewritten(v, from, to)),
                })
                .collect(),
        ),
        other => other,
    }
}
