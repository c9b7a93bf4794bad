//! [`SimStats`]: the counters of `GET /_sim/stats`, typed, for Rust tests
//! ([`SimHandle::stats`](crate::SimHandle::stats)). Read from that same JSON, so the two never
//! disagree.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

/// What the simulator saw.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SimStats {
    /// Sessions.
    pub sessions: SessionStats,
    /// Tasks.
    pub tasks: TaskStats,
    /// Requests to the documented endpoints.
    pub requests: RequestStats,
    /// Socket.IO connections.
    pub sockets: SocketStats,
    /// Messages received over sockets.
    pub socket_messages: MessageStats,
    /// Commands by message (`state:pause`, `interaction:click`, `newTask`...), whichever way
    /// they came (REST or socket).
    pub commands: BTreeMap<String, u64>,
    /// The MCP endpoint (`/mcp/sse`).
    pub mcp: McpStats,
    /// How a replay went (`enigma sim --replay`); `None` when the simulator serves no recording.
    pub replay: Option<crate::ReplayStats>,
}

/// What the MCP endpoint (`/mcp/sse`) saw.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct McpStats {
    /// SSE connections (`open` now, `total` ever).
    pub connections: McpConnectionStats,
    /// Tool calls.
    pub tool_calls: u64,
    /// Tool calls by tool (the six tools always listed).
    pub by_tool: BTreeMap<String, u64>,
    /// Tool calls answered with a tool error.
    pub tool_errors: u64,
    /// Tool calls refused for their arguments, before anything was sent to the service.
    pub invalid_arguments: u64,
    /// Sessions ended because the connection that opened them closed.
    pub sessions_ended_on_disconnect: u64,
}

/// MCP connection counters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct McpConnectionStats {
    /// Open now.
    pub open: u64,
    /// Ever opened.
    pub total: u64,
}

/// Session counters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SessionStats {
    /// Open now.
    pub open: u64,
    /// Ever created.
    pub total: u64,
    /// The most one key ever had open at once.
    pub max_open_per_key: u64,
    /// Creates refused with `SESSION_LIMIT_REACHED`.
    pub session_limited: u64,
}

/// Task counters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct TaskStats {
    /// Ever started.
    pub started: u64,
    /// Running now.
    pub running: u64,
    /// Ended completed.
    pub completed: u64,
    /// Ended failed.
    pub failed: u64,
    /// Ended stopped.
    pub stopped: u64,
}

/// Request counters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RequestStats {
    /// Requests to documented endpoints.
    pub total: u64,
    /// POSTs refused by the rate limiter (injected faults not counted).
    pub rate_limited: u64,
    /// By endpoint (`"POST /start/start-session"`..., every one of [`ENDPOINTS`](crate::ENDPOINTS) listed).
    pub by_endpoint: BTreeMap<String, u64>,
    /// send-message bodies by `actionType` (`newTask`, `state`, `interaction`, `guardrail`).
    pub by_action_type: BTreeMap<String, u64>,
    /// send-message bodies by message (`state:pause`, `interaction:click`...).
    pub by_message: BTreeMap<String, u64>,
}

/// Socket counters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SocketStats {
    /// Connected now.
    pub connected: u64,
    /// Ever connected.
    pub total: u64,
    /// Events not sent because their session was silenced.
    pub events_withheld: u64,
}

/// Messages received over sockets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct MessageStats {
    /// Socket `message` events.
    pub total: u64,
    /// By `actionType`.
    pub by_action_type: BTreeMap<String, u64>,
    /// By message (`state:pause`...).
    pub by_message: BTreeMap<String, u64>,
}

impl SimStats {
    /// Reads the `/_sim/stats` JSON (`commands` is `{"byMessage": {...}}` there).
    pub(crate) fn from_json(json: &Value) -> SimStats {
        let mut json = json.clone();
        if let Some(commands) = json.get_mut("commands") {
            *commands = commands.get("byMessage").cloned().unwrap_or_default();
        }
        // Both sides are this crate's: a mismatch is a bug its own test shows.
        serde_json::from_value(json).expect("the /_sim/stats JSON reads as SimStats")
    }

    /// How many times a command was sent (`"state:pause"`, `"guardrail:resume"`,
    /// `"interaction:click"`, `"newTask"`), by REST or socket; 0 when never.
    pub fn command(&self, message: &str) -> u64 {
        self.commands.get(message).copied().unwrap_or(0)
    }

    /// Requests to one endpoint (`"POST /start/run-task"`); 0 when none.
    pub fn requests_to(&self, endpoint: &str) -> u64 {
        self.requests.by_endpoint.get(endpoint).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Stats;

    #[test]
    fn every_counter_of_the_json_is_read() {
        let mut stats = Stats { sessions_total: 3, tasks_completed: 2, rate_limited: 1, ..Stats::default() };
        stats.count_request("POST /start/run-task");
        stats.count_message(&serde_json::json!({"message": {"actionType": "state", "newState": "pause"}}));
        let typed = SimStats::from_json(&stats.to_json(1, 0, 2));
        assert_eq!((typed.sessions.open, typed.sessions.total), (1, 3));
        assert_eq!((typed.tasks.completed, typed.requests.rate_limited, typed.sockets.connected), (2, 1, 2));
        assert_eq!(typed.requests_to("POST /start/run-task"), 1);
        assert_eq!(typed.command("state:pause"), 1);
        assert_eq!(typed.requests.by_action_type["state"], 1);
    }
}
