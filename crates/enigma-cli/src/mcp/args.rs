//! The arguments of `enigma mcp`.

use std::net::IpAddr;

use clap::Args;

/// What `enigma mcp --help` adds: where the key comes from, and a host's configuration.
pub const MCP_AFTER_HELP: &str = "\
The key comes from ENIGMA_API_KEY (never from a URL or a tool argument; it never appears in a
tool answer or a log). Without a key and without --base-url, the server runs on the built-in
simulator (offline, no cost). Every session the server opened is terminated when the host
disconnects (stdin closes, or its HTTP session ends), on SIGINT/SIGTERM, and a tool call the
host cancels stops its task.

Tools: browser_task, create_session, send_task_to_session, get_task_status, control_session,
take_over_session (the hosted server's six), answer_guardrail, get_recent_events, get_live_view.

A host's configuration (Claude Desktop, Cursor, VS Code: the README has each):
  {\"command\": \"enigma\", \"args\": [\"mcp\", \"--budget\", \"5\"], \"env\": {\"ENIGMA_API_KEY\": \"enig_...\"}}";

#[derive(Debug, Args)]
pub struct McpArgs {
    /// Serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio (0 picks a free port; the
    /// URL is printed on stdout: `Enigma MCP server listening on http://127.0.0.1:PORT/mcp`).
    #[arg(long, value_name = "PORT")]
    pub http: Option<u16>,
    /// The address --http binds: loopback unless told otherwise. RISK: any other address lets
    /// whoever reaches it spend your key's money (there is no authentication on /mcp); put it
    /// behind something that authenticates.
    #[arg(long, default_value = "127.0.0.1", requires = "http")]
    pub host: IpAddr,
    /// The service's base URL (default ENIGMA_BASE_URL, else https://connect.enigma.click); a
    /// simulator's URL (`enigma sim`) to work offline.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// A ceiling on what all the tool calls of this server may spend together, USD: a task
    /// running when it is reached is stopped, and no task starts after.
    #[arg(long, value_name = "USD", allow_negative_numbers = true)]
    pub budget: Option<f64>,
    /// The cost ceiling of each task whose call gives no `maxCost`, USD.
    #[arg(long, value_name = "USD", allow_negative_numbers = true)]
    pub max_cost: Option<f64>,
    /// How often a running task is polled, seconds (default ENIGMA_POLL_INTERVAL, else 2): cost
    /// ceilings are checked this often.
    #[arg(long, value_name = "SECONDS")]
    pub poll_interval: Option<f64>,
}
