//! `enigma mcp`: a local MCP server on the core, over stdio (for desktop hosts) or Streamable
//! HTTP (`--http PORT`, at `/mcp`), with the official MCP Rust SDK (rmcp).
//!
//! Layers, imports one way: `inputs` (the tools' arguments and their schemas), `budget` (the
//! server's spend) <- `guard` (one background wait per task: ceiling, spend, outcome) <-
//! `opened` (the sessions a connection opened, their events, their guards) <- `answers` (tool
//! answers and tool errors) <- `tools` (the tools) <- this file (transports, the end of
//! everything on disconnect and on signals).

mod answers;
pub mod args;
mod budget;
mod guard;
mod inputs;
mod opened;
mod tools;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use enigma::{Client, Error, ErrorCode};
use rmcp::ServiceExt;
use rmcp::model::{Implementation, ServerCapabilities, ServerConfig};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ServerHandler, tool_handler};
use tokio_util::sync::CancellationToken;

use self::args::McpArgs;
use self::budget::Budget;
use self::opened::Opened;
use self::tools::{EnigmaMcp, Shared};
use crate::exit::ExitCode;
use crate::{connect, interrupt};

/// The longest the end of the server waits for its sessions' terminates.
const CLEANUP_LIMIT: Duration = Duration::from_secs(10);

const INSTRUCTIONS: &str = "Enigma runs an AI agent in a real browser. browser_task runs one task \
end to end; create_session + send_task_to_session run several in one browser. A task that asks a \
question (status guardrail) goes on after answer_guardrail. Sessions bill until they end: terminate \
those you created (control_session terminate). Costs are in USD; maxCost stops a task that costs more.";

#[tool_handler(router = self.tool_router)]
impl ServerHandler for EnigmaMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("enigma", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

/// Serves until the host disconnects (stdio) or a signal, then terminates every session the
/// server opened.
pub async fn serve(args: McpArgs) -> Result<ExitCode, Error> {
    let budget = Arc::new(Budget::new(args.budget)?);
    let max_cost = inputs::cost(args.max_cost).map_err(|_| Error::Validation {
        field: "max_cost".into(),
        reason: format!("--max-cost must be a positive number of USD, got {:?}", args.max_cost),
    })?;
    // Listening before anything is opened, so that no signal finds a session unguarded.
    let mut signals = interrupt::Signals::listen();
    let connection = connect_client(&args).await?;
    let client = connection.client.clone();
    let server_wide = Opened::new(client.clone());
    let shared = Arc::new(Shared { client: client.clone(), budget, max_cost, server_wide });
    let stop = CancellationToken::new();
    let served = async {
        match args.http {
            None => stdio(shared.clone()).await,
            Some(port) => http(shared.clone(), SocketAddr::new(args.host, port), stop.clone()).await,
        }
    };
    let ended = tokio::select! {
        ended = served => ended.map(|()| None),
        signal = signals.next() => Ok(Some(signal)),
    };
    stop.cancel();
    let cleanup = end_all(&client);
    tokio::select! {
        () = cleanup => {}
        second = signals.next() => {
            eprintln!("interrupted again ({}): quitting without waiting", second.name());
            interrupt::exit_now(second);
        }
    }
    match ended? {
        None => Ok(ExitCode::SUCCESS),
        Some(_) => Err(Error::Cancelled),
    }
}

/// The client: `--base-url` (else ENIGMA_BASE_URL) with ENIGMA_API_KEY; without a key and
/// without a base URL, the built-in simulator.
async fn connect_client(args: &McpArgs) -> Result<connect::Connection, Error> {
    let has_base_url = args.base_url.is_some() || std::env::var("ENIGMA_BASE_URL").is_ok_and(|u| !u.trim().is_empty());
    if !connect::has_api_key() && !has_base_url {
        return connect::or_simulator(false).await;
    }
    let mut builder = Client::builder();
    if let Some(url) = &args.base_url {
        builder = builder.base_url(url.as_str());
    }
    if let Some(seconds) = args.poll_interval {
        let interval =
            Duration::try_from_secs_f64(seconds).ok().filter(|d| !d.is_zero()).ok_or_else(|| Error::Validation {
                field: "poll_interval".into(),
                reason: format!("--poll-interval must be a positive number of seconds, got {seconds}"),
            })?;
        builder = builder.poll_interval(interval);
    }
    Ok(connect::Connection { client: builder.build()?, _simulator: None })
}

/// Terminates every session the server opened and that is still open (bounded).
async fn end_all(client: &Client) {
    let ends = async {
        let open = client.open_session_ids();
        let failed = client.terminate_open_sessions().await;
        for (id, err) in failed {
            // Ended meanwhile (by its own task, or by a connection's end): nothing to do.
            if err.error_code() != ErrorCode::SessionNotFound {
                eprintln!("warning: could not terminate session {id}: {err}");
            }
        }
        enigma::wait_for_cleanups(CLEANUP_LIMIT).await;
        open.len()
    };
    match tokio::time::timeout(CLEANUP_LIMIT, ends).await {
        Ok(0) => {}
        Ok(count) => eprintln!("enigma mcp: {count} session(s) terminated"),
        Err(_) => eprintln!("warning: session terminates did not finish within {}s", CLEANUP_LIMIT.as_secs()),
    }
}

fn serving_error(err: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Connection {
        message: format!("cannot serve MCP: {err}"),
        never_sent: true,
        source: Some(enigma::ErrorSource::new(err)),
    }
}

/// stdio: one host, until its stdin closes.
async fn stdio(shared: Arc<Shared>) -> Result<(), Error> {
    let server = EnigmaMcp::new(shared);
    let own = server.own();
    // A host that closes stdin before the handshake ends nothing: there is nothing to end.
    if let Ok(running) = server.serve(rmcp::transport::stdio()).await {
        let _ = running.waiting().await;
    }
    own.close().await;
    Ok(())
}

/// Streamable HTTP at `/mcp`: one `EnigmaMcp` per MCP session (its sessions end with it); calls
/// outside any MCP session share the server's.
async fn http(shared: Arc<Shared>, addr: SocketAddr, stop: CancellationToken) -> Result<(), Error> {
    let mut config = StreamableHttpServerConfig::default().with_cancellation_token(stop.child_token());
    if !addr.ip().is_loopback() {
        // The host header check only lets loopback names in; a chosen address must pass too.
        config = config.disable_allowed_hosts();
        eprintln!(
            "warning: serving MCP on {addr}, not loopback: whoever reaches it can spend this key's money (no authentication on /mcp)"
        );
    }
    let factory = move || Ok(EnigmaMcp::new(shared.clone()));
    let service = StreamableHttpService::new(factory, Arc::new(LocalSessionManager::default()), config);
    let router = axum::Router::new().nest_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(serving_error)?;
    let local = listener.local_addr().map_err(serving_error)?;
    println!("Enigma MCP server listening on http://{local}/mcp");
    std::io::Write::flush(&mut std::io::stdout()).map_err(serving_error)?;
    axum::serve(listener, router).with_graceful_shutdown(stop.cancelled_owned()).await.map_err(serving_error)
}
