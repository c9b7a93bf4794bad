//! Request and task counters for `GET /_sim/stats`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// Every documented endpoint, as counted in `requests.byEndpoint`.
pub(crate) const ENDPOINTS: &[&str] = &[
    "POST /start/start-session",
    "POST /start/send-message",
    "POST /start/run-task",
    "GET /task",
    "GET /start/health",
    "GET /start/active-sockets",
];

/// Counters kept by the simulator.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub sessions_total: u64,
    pub tasks_started: u64,
    pub tasks_completed: u64,
    pub tasks_failed: u64,
    pub tasks_stopped: u64,
    pub requests_total: u64,
    pub by_endpoint: BTreeMap<&'static str, u64>,
    pub by_action_type: BTreeMap<String, u64>,
    pub by_message: BTreeMap<String, u64>,
}

impl Stats {
    /// Counts a request to a documented endpoint.
    pub(crate) fn count_request(&mut self, endpoint: &'static str) {
        self.requests_total += 1;
        *self.by_endpoint.entry(endpoint).or_default() += 1;
    }

    /// Counts a send-message body (best effort: whatever it could be parsed into).
    pub(crate) fn count_message(&mut self, body: &Value) {
        let Some(message) = body.get("message") else { return };
        let Some(action_type) = message.get("actionType").and_then(Value::as_str) else { return };
        *self.by_action_type.entry(action_type.to_string()).or_default() += 1;
        let detail = match action_type {
            "newTask" => Some("newTask".to_string()),
            "state" | "guardrail" => {
                message.get("newState").and_then(Value::as_str).map(|s| format!("{action_type}:{s}"))
            }
            "interaction" => message
                .get("action")
                .and_then(|a| a.get("type"))
                .and_then(Value::as_str)
                .map(|s| format!("interaction:{s}")),
            _ => None,
        };
        if let Some(detail) = detail {
            *self.by_message.entry(detail).or_default() += 1;
        }
    }

    /// The JSON of `/_sim/stats`, given the live counts.
    pub(crate) fn to_json(&self, open_sessions: u64, running_tasks: u64) -> Value {
        let mut by_endpoint = serde_json::Map::new();
        for endpoint in ENDPOINTS {
            let n = self.by_endpoint.get(endpoint).copied().unwrap_or(0);
            by_endpoint.insert((*endpoint).to_string(), json!(n));
        }
        let mut by_action_type = serde_json::Map::new();
        for kind in ["newTask", "state", "interaction", "guardrail"] {
            by_action_type.insert(kind.to_string(), json!(0));
        }
        for (k, v) in &self.by_action_type {
            by_action_type.insert(k.clone(), json!(v));
        }
        json!({
            "sessions": { "open": open_sessions, "total": self.sessions_total },
            "tasks": {
                "started": self.tasks_started,
                "running": running_tasks,
                "completed": self.tasks_completed,
                "failed": self.tasks_failed,
                "stopped": self.tasks_stopped,
            },
            "requests": {
                "total": self.requests_total,
                "byEndpoint": by_endpoint,
                "byActionType": by_action_type,
                "byMessage": self.by_message,
            }
        })
    }
}
