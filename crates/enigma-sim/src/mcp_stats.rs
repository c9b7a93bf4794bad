//! Counters of the MCP endpoint (`/mcp/sse`) for `GET /_sim/stats` (`mcp`).

use std::collections::BTreeMap;

use serde_json::{Value, json};

/// The six tools, always listed in `mcp.byTool`.
pub(crate) const MCP_TOOLS: &[&str] = &[
    "browser_task",
    "create_session",
    "send_task_to_session",
    "get_task_status",
    "control_session",
    "take_over_session",
];

/// What the MCP endpoint saw.
#[derive(Debug, Default)]
pub(crate) struct McpCounts {
    /// SSE streams opened (each an MCP connection).
    pub connections_total: u64,
    /// SSE streams open now.
    pub connections_open: u64,
    /// Tool calls, by tool name (unknown names too).
    pub by_tool: BTreeMap<String, u64>,
    /// Tool calls answered with a tool error (bad input, or the service's error).
    pub tool_errors: u64,
    /// Tool calls refused for their arguments before anything was done.
    pub invalid_arguments: u64,
    /// Sessions ended because the connection that opened them closed.
    pub sessions_ended_on_disconnect: u64,
}

impl McpCounts {
    pub(crate) fn count_call(&mut self, tool: &str) {
        *self.by_tool.entry(tool.to_string()).or_default() += 1;
    }

    /// The `mcp` object of `/_sim/stats`.
    pub(crate) fn to_json(&self) -> Value {
        let mut by_tool = serde_json::Map::new();
        for tool in MCP_TOOLS {
            by_tool.insert((*tool).to_string(), json!(0));
        }
        for (tool, n) in &self.by_tool {
            by_tool.insert(tool.clone(), json!(n));
        }
        json!({
            "connections": { "open": self.connections_open, "total": self.connections_total },
            "toolCalls": self.by_tool.values().sum::<u64>(),
            "byTool": by_tool,
            "toolErrors": self.tool_errors,
            "invalidArguments": self.invalid_arguments,
            "sessionsEndedOnDisconnect": self.sessions_ended_on_disconnect,
        })
    }
}
