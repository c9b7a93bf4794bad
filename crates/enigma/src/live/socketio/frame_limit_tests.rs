//! The bound on socket messages (`SocketOptions::max_frame_bytes`), against tiny in-process
//! fake servers: a message within the bound is read, a larger one (one frame, or fragments
//! that add up past it) breaks the connection like any transport error, and the client
//! reconnects.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};

use super::socket_options::DEFAULT_MAX_FRAME_BYTES;
use super::{SocketClient, SocketEvent, SocketOptions};

type ServerWs = WebSocketStream<TcpStream>;

fn options(port: u16) -> SocketOptions {
    let url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let mut opts = SocketOptions::new(url, json!({"sessionId": "s"}));
    opts.connect_timeout = Duration::from_secs(2);
    opts.reconnect_delay = Duration::from_millis(10);
    opts.reconnect_delay_max = Duration::from_millis(20);
    opts
}

/// Accepts one connection and completes the Engine.IO + Socket.IO handshake.
async fn accept(listener: &TcpListener, sid: &str) -> ServerWs {
    let (tcp, _) = listener.accept().await.unwrap();
    let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
    ws.send(Message::text(r#"0{"sid":"e","upgrades":[],"pingInterval":5000,"pingTimeout":5000}"#)).await.unwrap();
    let _connect = ws.next().await.unwrap().unwrap();
    ws.send(Message::text(format!(r#"40{{"sid":"{sid}"}}"#))).await.unwrap();
    ws
}

fn event_with_pad(pad: &str) -> String {
    format!(r#"42["message",{{"pad":"{pad}"}}]"#)
}

/// A Socket.IO `message` event whose text is exactly `len` bytes long.
fn event_of_len(len: usize) -> String {
    event_with_pad(&"x".repeat(pad_len(len)))
}

/// The length of the `pad` of [`event_of_len`]`(len)`.
fn pad_len(len: usize) -> usize {
    len - event_with_pad("").len()
}

/// Sends `text` as one WebSocket message split into fragments of `chunk` bytes.
async fn send_fragmented(ws: &mut ServerWs, text: &str, chunk: usize) {
    let bytes = text.as_bytes();
    let pieces: Vec<&[u8]> = bytes.chunks(chunk).collect();
    for (i, piece) in pieces.iter().enumerate() {
        let opcode = OpCode::Data(if i == 0 { Data::Text } else { Data::Continue });
        let frame = Frame::message(piece.to_vec(), opcode, i + 1 == pieces.len());
        // The client may already have hung up on it: that is the point.
        if ws.send(Message::Frame(frame)).await.is_err() {
            return;
        }
    }
}

/// Every event until none comes for a second.
async fn drain(rx: &mut tokio::sync::mpsc::UnboundedReceiver<SocketEvent>) -> Vec<SocketEvent> {
    let mut events = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(1), rx.recv()).await {
        events.push(event);
    }
    events
}

fn names(events: &[SocketEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            SocketEvent::Connected { sid } => format!("connected {sid}"),
            SocketEvent::Event { payload, .. } => format!("event {}", payload["pad"].as_str().map_or(0, str::len)),
            SocketEvent::Disconnected { reason, will_reconnect } => format!("disconnected {reason} {will_reconnect}"),
            SocketEvent::Reconnecting { attempt } => format!("reconnecting {attempt}"),
            SocketEvent::ConnectError { message, .. } => format!("connect_error {message}"),
        })
        .collect()
}

#[tokio::test]
async fn a_message_over_the_bound_breaks_the_connection_and_the_client_reconnects() {
    const CAP: usize = 64 * 1024;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let mut ws = accept(&listener, "first").await;
        // Exactly at the bound: read.
        ws.send(Message::text(event_of_len(CAP))).await.unwrap();
        // One byte over, in one frame: refused from its header.
        let _ = ws.send(Message::text(event_of_len(CAP + 1))).await;
        let mut ws = accept(&listener, "second").await;
        // Over the bound in small fragments: refused when the total crosses it.
        send_fragmented(&mut ws, &event_of_len(CAP * 2), 4096).await;
        let mut ws = accept(&listener, "third").await;
        ws.send(Message::text(event_of_len(100))).await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
    });

    let mut opts = options(port);
    opts.max_frame_bytes = CAP;
    let (client, mut rx) = SocketClient::connect(opts).await.unwrap();
    let events = drain(&mut rx).await;
    assert_eq!(
        names(&events),
        [
            "connected first".to_owned(),
            format!("event {}", pad_len(CAP)),
            "disconnected transport error true".to_owned(),
            "reconnecting 1".to_owned(),
            "connected second".to_owned(),
            "disconnected transport error true".to_owned(),
            "reconnecting 1".to_owned(),
            "connected third".to_owned(),
            format!("event {}", pad_len(100)),
        ]
    );
    client.close();
    server.abort();
}

/// The default bound is 16 MiB for a whole message: before it, fragments adding up to 64 MiB
/// (tungstenite's own default) were buffered and read.
#[tokio::test]
async fn a_fragmented_message_over_the_default_bound_is_refused() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let mut ws = accept(&listener, "only").await;
        send_fragmented(&mut ws, &event_of_len(DEFAULT_MAX_FRAME_BYTES + 1024 * 1024), 1024 * 1024).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    });

    let mut opts = options(port);
    opts.reconnect = false;
    let (client, mut rx) = SocketClient::connect(opts).await.unwrap();
    let events = drain(&mut rx).await;
    assert_eq!(names(&events), ["connected only", "disconnected transport error false"]);
    assert!(!client.is_connected());
    server.abort();
}
