//! The simulator's extras: everything it sends beyond what the service's docs promise
//! (docs/api-contract.md, "The simulator's extras", lists them). The emitting code builds the
//! documented shape and asks [`Extras`] for each extra, so this file is the one list of them and
//! [`crate::SimConfig::strict_docs`] (`--strict-docs`) removes them all. A new extra goes here,
//! behind the same switch.

use std::time::SystemTime;

use serde_json::{Value, json};

use crate::time_fmt::iso8601;

/// Whether the extras are sent (`!strict_docs`); each method adds one extra, or tells whether
/// to send one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extras {
    on: bool,
}

impl Extras {
    /// The extras of a simulator with `strict_docs` as given.
    pub(crate) fn new(strict_docs: bool) -> Extras {
        Extras { on: !strict_docs }
    }

    /// 1. start-session: `taskId` of the initial task (the docs give none: its outcome is seen
    ///    on the socket).
    pub(crate) fn initial_task_id(self, answer: &mut Value, task_id: Option<&str>) {
        if let (true, Some(task_id)) = (self.on, task_id) {
            answer["taskId"] = json!(task_id);
        }
    }

    /// 2. `taskId` on the `agent`, `action`, `response_update`, `guardrail_trigger` and `error`
    ///    events (`task_completed` carries its documented `taskId` regardless).
    pub(crate) fn event_task_id(self, event: &mut Value, task_id: &str) {
        if self.on {
            event["taskId"] = json!(task_id);
        }
    }

    /// 3. `source:"user"` on the `action` events of a user's interaction.
    pub(crate) fn user_source(self, event: &mut Value) {
        if self.on {
            event["source"] = json!("user");
        }
    }

    /// 4. On `task_completed` events: `completedAt` (as on polls) and the usage repeated as
    ///    `data.usage` (the docs give `usage` beside `data`, or as a variant inside it; not both).
    pub(crate) fn completed_event(self, event: &mut Value, completed_at: Option<SystemTime>) {
        if self.on {
            event["data"]["usage"] = event["usage"].clone();
            event["completedAt"] = json!(completed_at.map(iso8601));
        }
    }

    /// 5. The `task_stopped` event `{type, status:"stopped", taskId, usage}` when a task is
    ///    stopped; `None` in strict mode.
    pub(crate) fn task_stopped_event(self, task_id: &str, usage: Value) -> Option<Value> {
        self.on.then(|| json!({ "type": "task_stopped", "status": "stopped", "taskId": task_id, "usage": usage }))
    }

    /// 6. Acks of socket `message` events (the REST answer's JSON; a `newTask` in the pending
    ///    shape at once). In strict mode a client asking for an ack gets none.
    pub(crate) fn socket_acks(self) -> bool {
        self.on
    }

    /// 7. The `command_error` `message` event telling a socket that its command (sent without
    ///    an ack) failed. In strict mode a failed socket command is silent.
    pub(crate) fn command_errors(self) -> bool {
        self.on
    }

    /// 8. `paused:true` on the running poll of a paused task (or one under manual control).
    pub(crate) fn paused(self, body: &mut Value) {
        if self.on {
            body["paused"] = json!(true);
        }
    }

    /// 9. `queued:true` on the running poll of a queued task, and on the ack of a queued
    ///    socket `newTask`.
    pub(crate) fn queued(self, body: &mut Value) {
        if self.on {
            body["queued"] = json!(true);
        }
    }

    /// 10. `sessionId` and `taskId` on every poll answer.
    pub(crate) fn poll_ids(self, body: &mut Value, session_id: &str, task_id: &str) {
        if self.on {
            body["sessionId"] = json!(session_id);
            body["taskId"] = json!(task_id);
        }
    }

    /// 11. `pending:false` on completed and failed answers (polls and inline results; the
    ///     documented `stopped` and `terminated` polls carry it anyway).
    pub(crate) fn not_pending(self, body: &mut Value) {
        if self.on {
            body["pending"] = json!(false);
        }
    }

    /// 12. `usage` on guardrail and terminated polls (documented on running, completed,
    ///     failed and stopped ones).
    pub(crate) fn usage(self, body: &mut Value, usage: &Value) {
        if self.on {
            body["usage"] = usage.clone();
        }
    }
}
