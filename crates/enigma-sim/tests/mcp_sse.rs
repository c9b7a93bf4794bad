//! The MCP endpoint's transport over plain HTTP: the key check, the `endpoint` event, and the
//! message endpoint. (The protocol itself, with the official MCP SDK: python/tests/test_mcp_sse.py.)

mod common;

use common::{KEY, Sim};
use serde_json::json;

#[tokio::test]
async fn the_stream_needs_a_key_and_names_its_message_endpoint() {
    let sim = Sim::fast().await;
    assert_eq!(sim.get("/mcp/sse").await.status, 401);
    assert_eq!(sim.get("/mcp/sse?apiKey=sk-other").await.status, 401);
    let mut stream = sim.http.get(sim.url(&format!("/mcp/sse?apiKey={KEY}"))).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut text = String::new();
    while !text.contains("\n\n") {
        text.push_str(&String::from_utf8_lossy(&stream.chunk().await.unwrap().expect("the endpoint event")));
    }
    assert!(text.starts_with("event: endpoint\ndata: /mcp/message?sessionId="), "{text}");
    assert!(!text.contains(KEY), "the key is not repeated");
    assert_eq!(sim.handle.stats().mcp.connections.open, 1);
    let path = text.lines().nth(1).unwrap().trim_start_matches("data: ").to_string();
    let ping = json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" });
    assert_eq!(sim.http.post(sim.url(&path)).json(&ping).send().await.unwrap().status(), 202);
    let unknown = sim.http.post(sim.url("/mcp/message?sessionId=nope")).json(&ping).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    drop(stream);
    for _ in 0..200 {
        if sim.handle.stats().mcp.connections.open == 0 {
            return;
        }
        common::sleep_ms(25).await;
    }
    panic!("the closed stream is still counted open");
}
