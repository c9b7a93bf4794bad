//! Request and task counters for `GET /_sim/stats`.

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// Every documented endpoint, as counted in `requests.byEndpoint` and named by a [`Fault`](crate::Fault).
pub const ENDPOINTS: &[&str] = &[
    "POST /start/start-session",
    "POST /start/send-message",
    "POST /start/run-task",
    "GET /task",
    "GET /start/health",
    "GET /start/active-sockets",
    "POST /v1/chat/completions",
    "GET /v1/models",
    "GET /mcp/sse",
    "POST /mcp/message",
];

/// The documented `actionType`s, always listed in `byActionType`.
const ACTION_TYPES: &[&str] = &["newTask", "state", "interaction", "guardrail"];

/// Counts of message objects by kind.
#[derive(Debug, Default)]
pub(crate) struct MessageCounts {
    pub by_action_type: BTreeMap<String, u64>,
    pub by_message: BTreeMap<String, u64>,
}

impl MessageCounts {
    /// Counts one message object (best effort: whatever it could be parsed into).
    fn count(&mut self, message: &Value) {
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

    /// `byActionType` (the documented kinds always present) and `byMessage`.
    fn to_json(&self) -> (Value, Value) {
        let mut by_action_type = serde_json::Map::new();
        for kind in ACTION_TYPES {
            by_action_type.insert((*kind).to_string(), json!(0));
        }
        for (k, v) in &self.by_action_type {
            by_action_type.insert(k.clone(), json!(v));
        }
        (Value::Object(by_action_type), json!(self.by_message))
    }
}

/// Counters kept by the simulator.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub sessions_total: u64,
    /// The most sessions one key ever had open at once (high-water mark over all keys).
    pub max_open_per_key: u64,
    /// POSTs refused with 429 `RATE_LIMIT_EXCEEDED` by the rate limiter (faults not counted).
    pub rate_limited: u64,
    /// Creates refused with 429 `SESSION_LIMIT_REACHED`.
    pub session_limited: u64,
    pub tasks_started: u64,
    pub tasks_completed: u64,
    pub tasks_failed: u64,
    pub tasks_stopped: u64,
    pub requests_total: u64,
    pub by_endpoint: BTreeMap<&'static str, u64>,
    /// send-message bodies.
    pub messages: MessageCounts,
    /// Sockets ever connected (the live count comes from the socket registry).
    pub sockets_total: u64,
    /// Events not sent to a socket because its session was silenced (`/_sim/sockets/silence`).
    pub socket_events_withheld: u64,
    /// Socket `message` events received (counted apart from HTTP requests).
    pub socket_messages_total: u64,
    pub socket_messages: MessageCounts,
    /// The MCP endpoint (`/mcp/sse`).
    pub mcp: crate::mcp_stats::McpCounts,
}

impl Stats {
    /// Counts a request to a documented endpoint.
    pub(crate) fn count_request(&mut self, endpoint: &'static str) {
        self.requests_total += 1;
        *self.by_endpoint.entry(endpoint).or_default() += 1;
    }

    /// Counts a send-message body (best effort: whatever it could be parsed into).
    pub(crate) fn count_message(&mut self, body: &Value) {
        if let Some(message) = body.get("message") {
            self.messages.count(message);
        }
    }

    /// Counts a bare message object received in a socket `message` event.
    pub(crate) fn count_socket_message(&mut self, message: &Value) {
        self.socket_messages_total += 1;
        self.socket_messages.count(message);
    }

    /// The JSON of `/_sim/stats`, given the live counts.
    pub(crate) fn to_json(&self, open_sessions: u64, running_tasks: u64, connected_sockets: u64) -> Value {
        let mut by_endpoint = serde_json::Map::new();
        for endpoint in ENDPOINTS {
            let n = self.by_endpoint.get(endpoint).copied().unwrap_or(0);
            by_endpoint.insert((*endpoint).to_string(), json!(n));
        }
        let (by_action_type, by_message) = self.messages.to_json();
        let (socket_by_action_type, socket_by_message) = self.socket_messages.to_json();
        // Commands by whichever path they came: what a client asked for, wherever the SDK
        // chose to send it.
        let mut commands: BTreeMap<String, u64> = self.messages.by_message.clone();
        for (message, n) in &self.socket_messages.by_message {
            *commands.entry(message.clone()).or_default() += n;
        }
        json!({
            "sessions": {
                "open": open_sessions,
                "total": self.sessions_total,
                "maxOpenPerKey": self.max_open_per_key,
                "sessionLimited": self.session_limited,
            },
            "tasks": {
                "started": self.tasks_started,
                "running": running_tasks,
                "completed": self.tasks_completed,
                "failed": self.tasks_failed,
                "stopped": self.tasks_stopped,
            },
            "requests": {
                "total": self.requests_total,
                "rateLimited": self.rate_limited,
                "byEndpoint": by_endpoint,
                "byActionType": by_action_type,
                "byMessage": by_message,
            },
            "sockets": {
                "connected": connected_sockets,
                "total": self.sockets_total,
                "eventsWithheld": self.socket_events_withheld,
            },
            "socketMessages": {
                "total": self.socket_messages_total,
                "byActionType": socket_by_action_type,
                "byMessage": socket_by_message,
            },
            "commands": { "byMessage": commands },
            "mcp": self.mcp.to_json(),
        })
    }
}
