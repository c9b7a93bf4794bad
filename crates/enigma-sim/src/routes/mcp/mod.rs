//! MCP over SSE, as the service documents it: `GET /mcp/sse?apiKey=KEY` opens the event
//! stream (protocol 2024-11-05) and sends an `endpoint` event; the client POSTs its JSON-RPC
//! messages to that endpoint (`/mcp/message?sessionId=...`) and reads the answers from the
//! stream. Six tools (see `tools`) answer as the REST endpoints do. A connection owns the
//! sessions it opened: when its stream closes they are terminated, so a host that goes away
//! leaves nothing billing.

mod calls;
mod server;
mod tools;
mod transport;

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use futures_util::StreamExt;
use rmcp::model::ClientJsonRpcMessage;
use tokio::sync::mpsc;

use self::calls::Opened;
use self::server::McpServer;
use self::transport::SseTransport;
use super::openai::KEEP_ALIVE;
use crate::auth;
use crate::errors::ApiError;
use crate::owned::{CALLER_LEFT, end_session};
use crate::state::AppState;

/// Messages waiting in either direction of one connection.
const CHANNEL: usize = 64;

/// The open connections: where to put the messages POSTed for each.
#[derive(Clone, Debug, Default)]
struct Connections(Arc<Mutex<HashMap<String, mpsc::Sender<ClientJsonRpcMessage>>>>);

impl Connections {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, mpsc::Sender<ClientJsonRpcMessage>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The `/mcp` routes.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/mcp/sse", get(open_stream))
        .route("/mcp/message", post(receive))
        .layer(Extension(Connections::default()))
}

/// `GET /mcp/sse?apiKey=KEY`: a new connection.
async fn open_stream(
    State(state): State<Arc<AppState>>,
    Extension(connections): Extension<Connections>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(key) = query.get("apiKey").map(|k| k.trim().to_string()).filter(|k| !k.is_empty()) else {
        return ApiError::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "API key required. Provide ?apiKey=<api_key>")
            .into_response();
    };
    if let Err(e) = auth::check_key(&key) {
        return e.into_response();
    }
    let id = format!("{:032x}", rand::random::<u128>());
    let (incoming_tx, incoming) = mpsc::channel(CHANNEL);
    let (outgoing, outgoing_rx) = mpsc::channel(CHANNEL);
    connections.lock().insert(id.clone(), incoming_tx);
    {
        let mut inner = state.lock();
        inner.stats.mcp.connections_total += 1;
        inner.stats.mcp.connections_open += 1;
    }
    let opened = Opened::default();
    let server = McpServer { state: state.clone(), key, opened: opened.clone() };
    let transport = SseTransport { outgoing, incoming };
    tokio::spawn(serve(state, connections, id.clone(), server, opened, transport));

    let endpoint = Event::default().event("endpoint").data(format!("/mcp/message?sessionId={id}"));
    let messages = futures_util::stream::unfold(outgoing_rx, |mut rx| async move {
        let message = rx.recv().await?;
        let json = serde_json::to_string(&message).unwrap_or_default();
        Some((Event::default().event("message").data(json), rx))
    });
    let events = futures_util::stream::once(async { endpoint }).chain(messages).map(Ok::<_, Infallible>);
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response()
}

/// Runs a connection's MCP server until its stream closes (the client went away, or the
/// simulator stops), then ends the sessions it opened.
async fn serve(
    state: Arc<AppState>,
    connections: Connections,
    id: String,
    server: McpServer,
    opened: Opened,
    transport: SseTransport,
) {
    // Resolves when the SSE body is dropped: the client is gone.
    let stream_open = transport.outgoing.clone();
    tokio::select! {
        running = rmcp::serve_server(server, transport) => {
            if let Ok(running) = running {
                let token = running.cancellation_token();
                let waiting = running.waiting();
                tokio::pin!(waiting);
                tokio::select! {
                    _ = &mut waiting => {}
                    _ = stream_open.closed() => {
                        token.cancel();
                        let _ = waiting.await;
                    }
                    _ = state.stopped() => token.cancel(),
                }
            }
        }
        _ = stream_open.closed() => {}
        _ = state.stopped() => {}
    }
    drop(stream_open);
    connections.lock().remove(&id);
    let sessions = std::mem::take(&mut *calls::lock(&opened));
    let mut ended = 0;
    for session_id in sessions {
        let open = state.lock().sessions.get(&session_id).is_some_and(|s| s.is_open());
        if open {
            end_session(&state, &session_id, CALLER_LEFT);
            ended += 1;
        }
    }
    let mut inner = state.lock();
    inner.stats.mcp.sessions_ended_on_disconnect += ended;
    inner.stats.mcp.connections_open = inner.stats.mcp.connections_open.saturating_sub(1);
}

/// `POST /mcp/message?sessionId=...`: one JSON-RPC message of a connection; its answer goes
/// out on the connection's stream.
async fn receive(
    Extension(connections): Extension<Connections>,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let Some(id) = query.get("sessionId") else {
        return (StatusCode::BAD_REQUEST, "Missing sessionId").into_response();
    };
    let Some(sender) = connections.lock().get(id).cloned() else {
        return (StatusCode::NOT_FOUND, "Could not find session").into_response();
    };
    let message = match serde_json::from_slice::<ClientJsonRpcMessage>(&body) {
        Ok(message) => message,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("Invalid JSON-RPC message: {e}")).into_response(),
    };
    match sender.send(message).await {
        Ok(()) => (StatusCode::ACCEPTED, "Accepted").into_response(),
        Err(_) => (StatusCode::NOT_FOUND, "Could not find session").into_response(),
    }
}
