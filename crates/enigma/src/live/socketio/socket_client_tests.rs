//! Client behaviour against tiny in-process fake servers (no node needed):
//! timeouts and heartbeat loss, which the official server cannot easily fake.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

use super::{SocketClient, SocketError, SocketEvent, SocketOptions};

fn options(port: u16) -> SocketOptions {
    let url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let mut opts = SocketOptions::new(url, json!({"sessionId": "s"}));
    opts.connect_timeout = Duration::from_millis(300);
    opts
}

#[tokio::test]
async fn silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept TCP but never answer the HTTP upgrade.
    let server = tokio::spawn(async move {
        let (_socket, _) = listener.accept().await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let err = SocketClient::connect(options(port)).await.unwrap_err();
    assert!(matches!(err, SocketError::Timeout(_)), "{err:?}");
    server.abort();
}

#[tokio::test]
async fn refused_port_is_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let err = SocketClient::connect(options(port)).await.unwrap_err();
    assert!(matches!(err, SocketError::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn missing_heartbeat_is_detected() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Handshakes correctly, sends one event, a garbage frame, a binary frame,
    // then goes silent without closing: only the heartbeat timer can notice.
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        ws.send(Message::text(r#"0{"sid":"e","upgrades":[],"pingInterval":100,"pingTimeout":100,"maxPayload":1000}"#))
            .await
            .unwrap();
        let connect = ws.next().await.unwrap().unwrap();
        assert_eq!(connect.to_text().unwrap(), r#"40{"sessionId":"s"}"#);
        ws.send(Message::text(r#"40{"sid":"abc"}"#)).await.unwrap();
        ws.send(Message::text("2")).await.unwrap();
        let pong = ws.next().await.unwrap().unwrap();
        assert_eq!(pong.to_text().unwrap(), "3");
        for junk in ["", "9", "4garbage", "42{}", r#"451-["bin",{"_placeholder":true,"num":0}]"#] {
            ws.send(Message::text(junk)).await.unwrap();
        }
        ws.send(Message::binary(vec![1u8, 2, 3])).await.unwrap();
        ws.send(Message::text(r#"42["message",{"type":"agent"}]"#)).await.unwrap();
        ws.send(Message::text(r#"42/other,["message",{"type":"x"}]"#)).await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(ws);
    });

    let mut opts = options(port);
    opts.reconnect = false;
    let (client, mut rx) = SocketClient::connect(opts).await.unwrap();
    let mut events = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(3), rx.recv()).await {
        events.push(event);
    }
    assert_eq!(
        events,
        vec![
            SocketEvent::Connected { sid: "abc".into() },
            SocketEvent::Event { name: "message".into(), payload: json!({"type": "agent"}) },
            SocketEvent::Disconnected { reason: "ping timeout".into(), will_reconnect: false },
        ]
    );
    assert!(!client.is_connected());
    server.abort();
}

/// Accepts one connection, completes the handshake, then closes everything:
/// the client must retry `max_reconnect_attempts` times and then give up.
#[tokio::test]
async fn gives_up_after_max_reconnect_attempts() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        drop(listener); // Later attempts get "connection refused".
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        ws.send(Message::text(r#"0{"sid":"e","upgrades":[],"pingInterval":5000,"pingTimeout":5000}"#)).await.unwrap();
        let _connect = ws.next().await.unwrap().unwrap();
        ws.send(Message::text(r#"40{"sid":"abc"}"#)).await.unwrap();
        // Abrupt end without DISCONNECT: a transport loss.
    });

    let mut opts = options(port);
    opts.reconnect_delay = Duration::from_millis(10);
    opts.reconnect_delay_max = Duration::from_millis(20);
    opts.max_reconnect_attempts = Some(2);
    let (client, mut rx) = SocketClient::connect(opts).await.unwrap();
    let mut events = Vec::new();
    while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
        events.push(event);
    }
    assert_eq!(events.len(), 5, "{events:?}");
    assert_eq!(events[0], SocketEvent::Connected { sid: "abc".into() });
    assert!(matches!(events[1], SocketEvent::Disconnected { will_reconnect: true, .. }), "{events:?}");
    assert_eq!(events[2], SocketEvent::Reconnecting { attempt: 1 });
    assert_eq!(events[3], SocketEvent::Reconnecting { attempt: 2 });
    assert_eq!(events[4], SocketEvent::Disconnected { reason: "reconnect failed".into(), will_reconnect: false });
    assert!(!client.is_connected());
    assert!(matches!(client.emit("message", json!({})), Err(SocketError::NotConnected)));
    server.await.unwrap();
}

/// `close()` while waiting to reconnect ends the task with a final event.
#[tokio::test]
async fn close_while_reconnecting() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        ws.send(Message::text(r#"0{"sid":"e","upgrades":[],"pingInterval":5000,"pingTimeout":5000}"#)).await.unwrap();
        let _connect = ws.next().await.unwrap().unwrap();
        ws.send(Message::text(r#"40{"sid":"abc"}"#)).await.unwrap();
        ws.send(Message::text("1")).await.unwrap(); // Engine.IO close: transport loss.
        tokio::time::sleep(Duration::from_secs(5)).await;
    });

    let mut opts = options(port);
    opts.reconnect_delay = Duration::from_secs(30); // Stay in the backoff wait.
    opts.reconnect_delay_max = Duration::from_secs(30);
    let (client, mut rx) = SocketClient::connect(opts).await.unwrap();
    assert_eq!(rx.recv().await, Some(SocketEvent::Connected { sid: "abc".into() }));
    assert_eq!(
        rx.recv().await,
        Some(SocketEvent::Disconnected { reason: "transport close".into(), will_reconnect: true })
    );
    client.close();
    let last = tokio::time::timeout(Duration::from_secs(2), rx.recv()).await.unwrap();
    assert_eq!(last, Some(SocketEvent::Disconnected { reason: "io client disconnect".into(), will_reconnect: false }));
    assert_eq!(rx.recv().await, None);
    server.abort();
}
