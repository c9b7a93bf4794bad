//! The browser instance's link to the service, scripted by `#sim instance=flaky|lost`.
//!
//! Halfway through the task's work the instance disconnects: the session emits
//! `instance:disconnected` and the agent's progress freezes. A flaky instance comes back after a
//! short outage (`instance:reconnected`) and the task goes on; a lost one never does, and after
//! the grace period the session fails with `end_session` reason `instance_lost`.

use serde_json::json;

use super::lifecycle::terminate_session;
use crate::clock::EPS;
use crate::directives::InstanceBehaviour;
use crate::state::{Inner, InstanceLink};

/// Simulated seconds a flaky instance stays away (at most half the grace period).
const FLAKY_OUTAGE_SECS: f64 = 2.0;

/// Cuts the task's instance off (at the midpoint of its work): emits `instance:disconnected`.
pub(crate) fn disconnect(inner: &mut Inner, task_id: &str, now: f64, grace_secs: f64) {
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    task.link = InstanceLink::Down { since: now };
    let session_id = task.session_id.clone();
    let grace_ms = (grace_secs * 1000.0).round() as u64;
    if let Some(session) = inner.sessions.get_mut(&session_id) {
        let message = format!(
            "Browser instance disconnected; waiting up to {} s for it to reconnect",
            (grace_secs.round() as u64).max(1)
        );
        session.emit(
            "instance:disconnected",
            json!({ "type": "instance:disconnected", "message": message, "gracePeriod": grace_ms }),
        );
    }
}

/// Moves a disconnected instance on: a flaky one reconnects after its outage, a lost one fails
/// the session after the grace period. Returns `true` when the session ended.
pub(crate) fn advance(inner: &mut Inner, task_id: &str, since: f64, now: f64, grace_secs: f64) -> bool {
    let Some(task) = inner.tasks.get_mut(task_id) else { return false };
    let session_id = task.session_id.clone();
    match task.script.instance {
        Some(InstanceBehaviour::Flaky) => {
            if now - since + EPS >= FLAKY_OUTAGE_SECS.min(grace_secs / 2.0) {
                task.link = InstanceLink::Restored;
                task.last_tick = now;
                if let Some(session) = inner.sessions.get_mut(&session_id) {
                    let message = "Browser instance reconnected; the agent continues";
                    session.emit("instance:reconnected", json!({ "type": "instance:reconnected", "message": message }));
                }
            }
            false
        }
        Some(InstanceBehaviour::Lost) | None => {
            if now - since + EPS < grace_secs {
                return false;
            }
            let message = "Browser instance was lost and did not reconnect within the grace period; session failed";
            terminate_session(inner, &session_id, "instance_lost", message, now);
            true
        }
    }
}

/// Whether the current task of a session waits for its instance to come back.
pub(crate) fn is_down(inner: &Inner, session_id: &str) -> bool {
    let Some(current) = inner.sessions.get(session_id).and_then(|s| s.current.as_ref()) else { return false };
    inner.tasks.get(current).is_some_and(|t| matches!(t.link, InstanceLink::Down { .. }))
}
