//! Sessions that a request or a connection opened for its caller and must end (the OpenAI
//! endpoint's one session per request, the MCP connection's sessions): whichever way the
//! caller goes, nothing is left billing.

use std::sync::Arc;

use crate::agent::terminate_session;
use crate::state::{AppState, TaskPhase};

/// The text of the `end_session` event when the simulator ends a session its caller left.
pub(crate) const CALLER_LEFT: &str = "Session terminated: the client that opened it went away";

/// Ends a session if it is still open (`end_session` reason `terminated`).
pub(crate) fn end_session(state: &AppState, session_id: &str, message: &str) {
    let (mut inner, now) = state.advance();
    terminate_session(&mut inner, session_id, "terminated", message, now);
}

/// A session owned by one request: ended when dropped (a client that went away while its
/// request was waiting drops the handler), unless it already ended.
#[derive(Debug)]
pub(crate) struct OwnedSession {
    state: Arc<AppState>,
    session_id: String,
}

impl OwnedSession {
    pub(crate) fn new(state: Arc<AppState>, session_id: String) -> OwnedSession {
        OwnedSession { state, session_id }
    }
}

impl Drop for OwnedSession {
    fn drop(&mut self) {
        end_session(&self.state, &self.session_id, CALLER_LEFT);
    }
}

/// Waits until a task ended or asks a guardrail question (no inline-wait bound: the caller's
/// request lasts as long as the task), or the simulator stops; returns its phase then.
pub(crate) async fn settled(state: &AppState, task_id: &str) -> TaskPhase {
    loop {
        let mut changes = {
            let (inner, _) = state.advance();
            let Some(task) = inner.tasks.get(task_id) else { return TaskPhase::Terminated };
            if task.phase.is_final() || matches!(task.phase, TaskPhase::Guardrail(_)) {
                return task.phase.clone();
            }
            task.changes.subscribe()
        };
        tokio::select! {
            _ = changes.changed() => {}
            _ = state.stopped() => return TaskPhase::Terminated,
        }
    }
}
