//! Interop tests against the OFFICIAL npm `socket.io` v4 server
//! (`tests/interop/socketio-server/server.js`).
//!
//! Needs `node` and `npm ci` (or `npm install`) in that folder; otherwise every
//! test prints a note and passes, so a plain `cargo test` works anywhere.
//! `SOCKETIO_INTEROP_SERVER_DIR` overrides the server folder.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedReceiver;

use super::{SocketClient, SocketError, SocketEvent, SocketOptions};

const WAIT: Duration = Duration::from_secs(10);

/// A running `server.js`; killed on drop.
struct NodeServer {
    child: Child,
    port: u16,
    tls: bool,
    dir: PathBuf,
    lines: std::sync::mpsc::Receiver<String>,
}

impl NodeServer {
    /// Plain `http`/`ws` server; `None` (after printing why) when node or the
    /// npm packages are missing.
    fn start() -> Option<NodeServer> {
        Self::start_with(false)
    }

    /// `https`/`wss` server with a certificate from the test-only CA `tls/ca.pem`.
    fn start_tls() -> Option<NodeServer> {
        Self::start_with(true)
    }

    fn start_with(tls: bool) -> Option<NodeServer> {
        let dir = std::env::var_os("SOCKETIO_INTEROP_SERVER_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop/socketio-server"));
        if !dir.join("node_modules/socket.io").is_dir() {
            // CI installs it (scripts/test-all.sh): a skip there would hide a broken setup.
            assert!(
                std::env::var_os("CI").is_none(),
                "run `npm ci` in {} (CI must run the interop tests)",
                dir.display()
            );
            eprintln!("SKIPPED socket.io interop test: run `npm ci` in {} first", dir.display());
            return None;
        }
        let mut child = match Command::new("node")
            .arg("server.js")
            .current_dir(&dir)
            .env("TLS", if tls { "1" } else { "0" })
            .stdin(Stdio::piped()) // Server exits when this closes (even if we crash).
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
        {
            Ok(child) => child,
            Err(e) => {
                assert!(std::env::var_os("CI").is_none(), "node is required in CI: {e}");
                eprintln!("SKIPPED socket.io interop test: cannot run node: {e}");
                return None;
            }
        };
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, lines) = std::sync::mpsc::channel();
        // A thread keeps the pipe drained so the server never blocks on stdout.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = NodeServer { child, port: 0, tls, dir, lines };
        let first = server.line(Duration::from_secs(20));
        server.port = first
            .strip_prefix("listening ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line from server.js: {first:?}"));
        Some(server)
    }

    fn line(&self, timeout: Duration) -> String {
        self.lines.recv_timeout(timeout).expect("server.js printed nothing in time")
    }

    /// Waits for a lifecycle line from the server, skipping others. Polls
    /// instead of blocking so the client's task keeps running on this runtime.
    async fn expect_line(&self, wanted: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match self.lines.try_recv() {
                Ok(line) if line == wanted => return,
                Ok(_) => {}
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    assert!(tokio::time::Instant::now() < deadline, "server.js never printed {wanted:?}");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Err(e) => panic!("server.js output ended: {e}"),
            }
        }
    }

    fn options(&self, session_id: &str) -> SocketOptions {
        let scheme = if self.tls { "https" } else { "http" };
        let url = url::Url::parse(&format!("{scheme}://127.0.0.1:{}", self.port)).unwrap();
        let mut opts = SocketOptions::new(url, json!({ "sessionId": session_id }));
        // Fast backoff so reconnect tests are quick.
        opts.reconnect_delay = Duration::from_millis(50);
        opts.reconnect_delay_max = Duration::from_millis(200);
        opts.connect_timeout = Duration::from_secs(5);
        opts
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn next(rx: &mut UnboundedReceiver<SocketEvent>) -> SocketEvent {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("timed out waiting for a socket event")
        .expect("event channel closed unexpectedly")
}

/// The channel must close (task ended) soon.
async fn expect_closed(rx: &mut UnboundedReceiver<SocketEvent>) {
    let end = tokio::time::timeout(WAIT, rx.recv()).await.expect("task did not end");
    assert_eq!(end, None, "expected the channel to close");
}

fn event(name: &str, payload: Value) -> SocketEvent {
    SocketEvent::Event { name: name.to_owned(), payload }
}

/// What server.js emits on every connection (keep in sync with it).
fn initial_events(session_id: &str) -> Vec<SocketEvent> {
    vec![
        event(
            "message",
            json!({"type": "agent", "content": format!("thinking about {session_id}"), "taskId": "task-1"}),
        ),
        event(
            "message",
            json!({"type": "action", "data": {"name": "click_element", "target": "search button"}, "taskId": "task-1"}),
        ),
        event("message", json!({"type": "response_update", "data": {"message": "half way"}, "taskId": "task-1"})),
        event(
            "message",
            json!({
                "type": "task_completed",
                "taskId": "task-1",
                "data": {"message": "done", "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15, "completion_time": 1.5},
                "usage": {"cost": 0.0123}
            }),
        ),
        event(
            "message",
            json!({"type": "guardrail_trigger", "data": {"type": "human_input_needed", "value": "need a password"}, "taskId": "task-1"}),
        ),
        event(
            "message",
            json!({"type": "error", "error": "something failed", "code": "SOME_CODE", "taskId": "task-1"}),
        ),
        event("message", json!({"type": "mystery", "weird": [1, 2, 3]})),
        event(
            "instance:disconnected",
            json!({"type": "instance:disconnected", "message": "instance lost", "gracePeriod": 300000}),
        ),
        event("instance:reconnected", json!({"type": "instance:reconnected", "message": "instance back"})),
        event("end_session", json!({"type": "end_session", "reason": "completed", "message": "bye"})),
    ]
}

/// `Connected`, then the initial events in order; returns the sid.
async fn expect_connection(rx: &mut UnboundedReceiver<SocketEvent>, session_id: &str) -> String {
    let sid = match next(rx).await {
        SocketEvent::Connected { sid } => sid,
        other => panic!("expected Connected, got {other:?}"),
    };
    for expected in initial_events(session_id) {
        assert_eq!(next(rx).await, expected);
    }
    sid
}

async fn expect_echo(client: &SocketClient, rx: &mut UnboundedReceiver<SocketEvent>, payload: Value) {
    client.emit("message", payload.clone()).expect("emit while connected");
    assert_eq!(next(rx).await, event("message", json!({"type": "echo", "received": payload})));
}

#[tokio::test]
async fn decodes_every_event_and_round_trips_emits() {
    let Some(server) = NodeServer::start() else {
        return;
    };
    let (client, mut rx) = SocketClient::connect(server.options("s1")).await.unwrap();
    assert!(client.is_connected());
    expect_connection(&mut rx, "s1").await;
    server.expect_line("connect s1").await;

    expect_echo(&client, &mut rx, json!({"actionType": "newTask", "newState": "start", "taskDetails": "héllo ✓"}))
        .await;

    // Several server heartbeats (300 ms interval): we must answer them, or the
    // server would drop us with "ping timeout".
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(client.is_connected());
    assert!(rx.try_recv().is_err(), "no unexpected events");
    expect_echo(&client, &mut rx, json!({"n": [1, 2, {"deep": null}]})).await;

    // A clone drives the same connection.
    let clone = client.clone();
    drop(client);
    expect_echo(&clone, &mut rx, json!("bare string")).await;
    clone.close();
}

#[tokio::test]
async fn unknown_session_is_connect_error() {
    let Some(server) = NodeServer::start() else {
        return;
    };
    let err = SocketClient::connect(server.options("unknown")).await.unwrap_err();
    match &err {
        SocketError::ConnectError { message, .. } => {
            assert_eq!(message, "Session unknown does not exist");
        }
        other => panic!("expected ConnectError, got {other:?}"),
    }
    assert!(err.to_string().contains("Session unknown does not exist"));
}

#[tokio::test]
async fn reconnects_after_transport_loss() {
    let Some(server) = NodeServer::start() else {
        return;
    };
    let (client, mut rx) = SocketClient::connect(server.options("s2")).await.unwrap();
    let first_sid = expect_connection(&mut rx, "s2").await;

    client.emit("message", json!({"actionType": "dropme"})).unwrap();
    match next(&mut rx).await {
        SocketEvent::Disconnected { will_reconnect: true, .. } => {}
        other => panic!("expected Disconnected(will_reconnect), got {other:?}"),
    }
    assert_eq!(next(&mut rx).await, SocketEvent::Reconnecting { attempt: 1 });
    let second_sid = expect_connection(&mut rx, "s2").await;
    assert_ne!(first_sid, second_sid, "a new namespace connection");
    assert!(client.is_connected());
    expect_echo(&client, &mut rx, json!({"after": "reconnect"})).await;
    client.close();
}

#[tokio::test]
async fn server_kick_does_not_reconnect() {
    let Some(server) = NodeServer::start() else {
        return;
    };
    let (client, mut rx) = SocketClient::connect(server.options("s3")).await.unwrap();
    expect_connection(&mut rx, "s3").await;

    client.emit("message", json!({"actionType": "kickme"})).unwrap();
    assert_eq!(
        next(&mut rx).await,
        SocketEvent::Disconnected { reason: "io server disconnect".into(), will_reconnect: false }
    );
    expect_closed(&mut rx).await;
    assert!(!client.is_connected());
    assert!(matches!(client.emit("message", json!({})), Err(SocketError::NotConnected)));
}

#[tokio::test]
async fn connect_error_during_reconnection_stops() {
    let Some(server) = NodeServer::start() else {
        return;
    };
    // "oneshot" is accepted once, then refused like an expired session.
    let (client, mut rx) = SocketClient::connect(server.options("oneshot")).await.unwrap();
    expect_connection(&mut rx, "oneshot").await;

    client.emit("message", json!({"actionType": "dropme"})).unwrap();
    assert!(matches!(next(&mut rx).await, SocketEvent::Disconnected { will_reconnect: true, .. }));
    assert_eq!(next(&mut rx).await, SocketEvent::Reconnecting { attempt: 1 });
    match next(&mut rx).await {
        SocketEvent::ConnectError { message, .. } => {
            assert_eq!(message, "Session oneshot does not exist");
        }
        other => panic!("expected ConnectError, got {other:?}"),
    }
    assert!(matches!(next(&mut rx).await, SocketEvent::Disconnected { will_reconnect: false, .. }));
    expect_closed(&mut rx).await;
    assert!(!client.is_connected());
}

#[tokio::test]
async fn client_close_is_graceful() {
    let Some(server) = NodeServer::start() else {
        return;
    };
    let (client, mut rx) = SocketClient::connect(server.options("s4")).await.unwrap();
    expect_connection(&mut rx, "s4").await;
    client.close();
    client.close(); // Idempotent.
    assert_eq!(
        next(&mut rx).await,
        SocketEvent::Disconnected { reason: "io client disconnect".into(), will_reconnect: false }
    );
    expect_closed(&mut rx).await;
    server.expect_line("disconnect s4 client namespace disconnect").await;
    assert!(matches!(client.emit("message", json!({})), Err(SocketError::NotConnected)));
}

#[tokio::test]
async fn dropping_handle_and_receiver_ends_the_task() {
    let Some(server) = NodeServer::start() else {
        return;
    };
    let (client, mut rx) = SocketClient::connect(server.options("s5")).await.unwrap();
    // Handle gone but receiver alive: keep listening.
    drop(client);
    expect_connection(&mut rx, "s5").await;
    // Receiver gone too: nobody can use the connection, so it must close.
    drop(rx);
    server.expect_line("disconnect s5 client namespace disconnect").await;
}

#[tokio::test]
async fn wss_with_extra_root_ca() {
    let Some(server) = NodeServer::start_tls() else {
        return;
    };
    let ca = std::fs::read(server.dir.join("tls/ca.pem")).unwrap();

    // The test CA is not in the OS trust store: refused without the extra root.
    let err = SocketClient::connect(server.options("s6")).await.unwrap_err();
    assert!(matches!(err, SocketError::Transport(_)), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");

    let mut opts = server.options("s6");
    opts.extra_root_ca_pem = Some(ca.into());
    let (client, mut rx) = SocketClient::connect(opts).await.unwrap();
    expect_connection(&mut rx, "s6").await;
    expect_echo(&client, &mut rx, json!({"over": "wss"})).await;
    client.close();
}

/// The SDK's HTTP client speaks TLS through the same setup (`crate::tls`, the backend the
/// features chose): against the TLS server, refused without the test CA, and answered (any HTTP
/// status: the server is not the service) with it.
#[tokio::test]
async fn https_through_the_sdk_client_trusts_the_extra_root_only_when_given() {
    let Some(server) = NodeServer::start_tls() else {
        return;
    };
    let ca = std::fs::read(server.dir.join("tls/ca.pem")).unwrap();
    // Under `/socket.io/`, where Engine.IO answers any request (400 to an unknown transport);
    // the server leaves other paths unanswered.
    let base = format!("https://127.0.0.1:{}/socket.io", server.port);
    let client = |ca: Option<Vec<u8>>| {
        let builder =
            crate::Client::builder().base_url(base.clone()).max_retries(0).request_timeout(Duration::from_secs(10));
        match ca {
            Some(ca) => builder.extra_root_ca_pem(ca),
            None => builder,
        }
        .build()
        .unwrap()
    };
    let refused = client(None).health().await.unwrap_err();
    assert_eq!(refused.code(), "connection", "{refused}");
    assert!(refused.to_string().to_lowercase().contains("certificate"), "{refused}");
    match client(Some(ca)).health().await {
        Ok(_) => {}
        Err(err) => assert!(err.status().is_some(), "an HTTP answer over TLS: {err}"),
    }
}
