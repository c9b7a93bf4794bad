//! The MCP server of one connection (rmcp's `ServerHandler`): lists the tools, checks a call's
//! arguments, runs it, and answers the REST answer as the tool's result (its JSON as text and
//! as structured content); bad arguments and the service's errors are tool errors.

use std::sync::Arc;

use rmcp::ErrorData;
use rmcp::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{RequestContext, RoleServer};
use serde_json::Value;

use super::calls::{self, Opened};
use super::tools::{self, TOOLS};
use crate::state::AppState;

/// One connection's server: its key and the sessions it opened.
pub(crate) struct McpServer {
    pub state: Arc<AppState>,
    pub key: String,
    pub opened: Opened,
}

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("enigma-sim", env!("CARGO_PKG_VERSION")))
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let tools = TOOLS.iter().map(|spec| Tool::new(spec.name, spec.about, tools::schema(spec))).collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.to_string();
        let args = request.arguments.unwrap_or_default();
        let Some(spec) = tools::find(&name) else {
            return Err(ErrorData::invalid_params(format!("unknown tool {name:?}"), None));
        };
        self.state.lock().stats.mcp.count_call(&name);
        let answer = match tools::check(spec, &args) {
            Ok(()) => calls::run(&self.state, &self.key, &self.opened, &name, &args).await,
            Err(e) => {
                self.state.lock().stats.mcp.invalid_arguments += 1;
                Err(e)
            }
        };
        Ok(match answer {
            Ok(body) => result(body, false),
            Err(e) => {
                self.state.lock().stats.mcp.tool_errors += 1;
                result(e.body(), true)
            }
        }
        .into())
    }
}

fn result(body: Value, is_error: bool) -> CallToolResult {
    let content = vec![ContentBlock::text(body.to_string())];
    let mut result = if is_error { CallToolResult::error(content) } else { CallToolResult::success(content) };
    if let Value::Object(map) = body {
        result.structured_content = Some(Value::Object(map));
    }
    result
}
