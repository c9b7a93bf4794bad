//! The inline wait of `newTask` / `run-task`.

use std::time::Instant;

use serde_json::Value;

use crate::responses::{inline_body, pending_body};
use crate::state::AppState;

/// Waits up to the (scaled) inline wait for the task to end or ask a guardrail question;
/// answers the inline result or the pending shape.
pub(crate) async fn inline(state: &AppState, task_id: &str) -> Value {
    let deadline = Instant::now() + state.clock.wall(state.config.inline_wait);
    loop {
        let mut changes = {
            let (inner, now) = state.advance();
            let Some(task) = inner.tasks.get(task_id) else {
                return serde_json::json!({ "success": false, "message": "task vanished" });
            };
            if let Some(body) = inline_body(&state.base_url, task, now, inner.extras, inner.variants) {
                return body;
            }
            if Instant::now() >= deadline {
                return pending_body(&state.base_url, task, inner.variants);
            }
            task.changes.subscribe()
        };
        tokio::select! {
            _ = tokio::time::sleep_until(deadline.into()) => {}
            _ = changes.changed() => {}
            _ = state.stopped() => {
                let inner = state.lock();
                return pending_body(&state.base_url, &inner.tasks[task_id], inner.variants);
            }
        }
    }
}
