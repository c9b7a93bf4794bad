//! A tiny Socket.IO v4 client for the tests: Engine.IO 4 over a WebSocket (tokio-tungstenite),
//! namespace `/`, JSON only. Answers pings, parses events, acks and disconnects.

use std::collections::VecDeque;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// How long the helpers wait for something before failing the test.
pub const WAIT: Duration = Duration::from_secs(10);

/// Something the server sent (or did).
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// `42["name", data]`.
    Event(String, Value),
    /// `43<id>[data]`.
    Ack(u64, Value),
    /// `41`: the server disconnected the socket.
    Disconnect,
    /// The transport ended without a Socket.IO disconnect packet.
    Closed,
}

/// A connected socket.
pub struct SioClient {
    /// The Socket.IO socket id (from the CONNECT answer).
    pub sid: String,
    out: mpsc::UnboundedSender<String>,
    incoming: mpsc::UnboundedReceiver<Incoming>,
    buffered: VecDeque<Incoming>,
    next_ack: u64,
}

/// Connects to `base` (`http://host:port`) with `auth`; `Err` carries the `connect_error` data.
pub async fn connect(base: &str, auth: Value) -> Result<SioClient, Value> {
    let url = format!("{}/socket.io/?EIO=4&transport=websocket", base.replacen("http", "ws", 1));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("websocket connects");
    let open = next_text(&mut ws).await;
    assert!(open.starts_with("0{"), "expected an Engine.IO open packet, got {open:?}");
    ws.send(Message::text(format!("40{auth}"))).await.expect("CONNECT sent");
    let sid = loop {
        let text = next_text(&mut ws).await;
        if text == "2" {
            ws.send(Message::text("3")).await.expect("pong sent");
        } else if let Some(rest) = text.strip_prefix("40") {
            let data: Value = serde_json::from_str(rest).expect("CONNECT answer is JSON");
            break data["sid"].as_str().expect("sid").to_string();
        } else if let Some(rest) = text.strip_prefix("44") {
            return Err(serde_json::from_str(rest).expect("connect_error data is JSON"));
        } else {
            panic!("unexpected packet during the handshake: {text:?}");
        }
    };
    let (out, mut out_rx) = mpsc::unbounded_channel::<String>();
    let (in_tx, incoming) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                frame = ws.next() => {
                    let text = match frame {
                        Some(Ok(Message::Text(t))) => t.to_string(),
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => {
                            let _ = in_tx.send(Incoming::Closed);
                            return;
                        }
                        Some(Ok(_)) => continue,
                    };
                    if text == "2" {
                        let _ = ws.send(Message::text("3")).await;
                        continue;
                    }
                    if let Some(packet) = parse(&text) {
                        let _ = in_tx.send(packet);
                    }
                }
                outgoing = out_rx.recv() => match outgoing {
                    Some(text) => { let _ = ws.send(Message::text(text)).await; }
                    None => {
                        let _ = ws.close(None).await;
                        return;
                    }
                },
            }
        }
    });
    Ok(SioClient { sid, out, incoming, buffered: VecDeque::new(), next_ack: 0 })
}

async fn next_text<S>(ws: &mut S) -> String
where
    S: StreamExt<Item = Result<Message, tokio_tungstenite::tungstenite::Error>> + Unpin,
{
    loop {
        let frame = tokio::time::timeout(WAIT, ws.next()).await.expect("frame in time");
        match frame {
            Some(Ok(Message::Text(t))) => return t.to_string(),
            Some(Ok(_)) => continue,
            other => panic!("websocket ended during the handshake: {other:?}"),
        }
    }
}

/// Parses an Engine.IO `4` (message) frame holding a Socket.IO packet of namespace `/`.
fn parse(text: &str) -> Option<Incoming> {
    let packet = text.strip_prefix('4')?;
    let (kind, rest) = packet.split_at(1);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let body = &rest[digits.len()..];
    match kind {
        "1" => Some(Incoming::Disconnect),
        "2" => {
            let args: Vec<Value> = serde_json::from_str(body).ok()?;
            let name = args.first()?.as_str()?.to_string();
            Some(Incoming::Event(name, args.get(1).cloned().unwrap_or(Value::Null)))
        }
        "3" => {
            let args: Vec<Value> = serde_json::from_str(body).ok()?;
            Some(Incoming::Ack(digits.parse().ok()?, args.first().cloned().unwrap_or(Value::Null)))
        }
        _ => None,
    }
}

impl SioClient {
    /// Emits `event` with one argument, no ack.
    pub fn emit(&self, event: &str, data: Value) {
        self.out.send(format!("42{}", json!([event, data]))).expect("socket task alive");
    }

    /// Emits a `message` event carrying a bare message object.
    pub fn send(&self, message: Value) {
        self.emit("message", message);
    }

    /// Emits a `message` event asking for an ack, without waiting for it; returns the ack id
    /// (an ack, if any, arrives as [`Incoming::Ack`]).
    pub fn send_asking_ack(&mut self, message: Value) -> u64 {
        let id = self.next_ack;
        self.next_ack += 1;
        self.out.send(format!("42{id}{}", json!(["message", message]))).expect("socket task alive");
        id
    }

    /// Emits a `message` event asking for an ack and returns the ack's data (events received
    /// meanwhile stay queued for [`SioClient::next`]).
    pub async fn send_with_ack(&mut self, message: Value) -> Value {
        let id = self.next_ack;
        self.next_ack += 1;
        self.out.send(format!("42{id}{}", json!(["message", message]))).expect("socket task alive");
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let item = tokio::time::timeout_at(deadline, self.incoming.recv())
                .await
                .expect("ack in time")
                .expect("socket open");
            match item {
                Incoming::Ack(got, data) if got == id => return data,
                other => self.buffered.push_back(other),
            }
        }
    }

    /// The next thing received, or `None` after `timeout`.
    pub async fn next_within(&mut self, timeout: Duration) -> Option<Incoming> {
        if let Some(item) = self.buffered.pop_front() {
            return Some(item);
        }
        tokio::time::timeout(timeout, self.incoming.recv()).await.ok().flatten()
    }

    /// The next thing received (fails the test after [`WAIT`]).
    pub async fn next(&mut self) -> Incoming {
        self.next_within(WAIT).await.expect("something received in time")
    }

    /// Collects everything received up to and including the first item matching `stop`.
    pub async fn until(&mut self, stop: impl Fn(&Incoming) -> bool) -> Vec<Incoming> {
        let mut seen = Vec::new();
        loop {
            let item = self.next().await;
            let done = stop(&item);
            let closed = matches!(item, Incoming::Closed);
            seen.push(item);
            if done {
                return seen;
            }
            assert!(!closed, "socket closed before the expected item; saw {seen:?}");
        }
    }

    /// Collects everything up to and including the `message` event of type `kind`.
    pub async fn until_message(&mut self, kind: &str) -> Vec<Incoming> {
        self.until(|i| matches!(i, Incoming::Event(n, d) if n == "message" && d["type"] == kind)).await
    }

    /// Collects everything up to and including the named event.
    pub async fn until_event(&mut self, name: &str) -> Vec<Incoming> {
        self.until(|i| matches!(i, Incoming::Event(n, _) if n == name)).await
    }

    /// Closes the WebSocket.
    pub fn close(self) {}
}

/// The `type`s of the `message` events among `items`, in order (other events as their name).
pub fn kinds(items: &[Incoming]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            Incoming::Event(name, data) if name == "message" => data["type"].as_str().map(str::to_string),
            Incoming::Event(name, _) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// The payload of the first `message` event of type `kind`.
pub fn message_of<'a>(items: &'a [Incoming], kind: &str) -> &'a Value {
    items
        .iter()
        .find_map(|i| match i {
            Incoming::Event(name, data) if name == "message" && data["type"] == kind => Some(data),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {kind} message in {items:?}"))
}

/// The payload of the first event named `name`.
pub fn event_of<'a>(items: &'a [Incoming], name: &str) -> &'a Value {
    items
        .iter()
        .find_map(|i| match i {
            Incoming::Event(n, data) if n == name => Some(data),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {name} event in {items:?}"))
}
