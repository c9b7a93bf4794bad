//! Socket.IO: `GET /start/active-sockets`, the `/_sim/sockets/drop` hook, and the socket stats.

mod common;

use common::sio::{self, Incoming, message_of};
use common::{Sim, sleep_ms};
use serde_json::{Value, json};

/// Waits until `stats.sockets.connected` is `n`.
async fn connected_becomes(sim: &Sim, n: u64) -> Value {
    for _ in 0..200 {
        let stats = sim.stats().await;
        if stats["sockets"]["connected"] == n {
            return stats;
        }
        sleep_ms(10).await;
    }
    panic!("sockets.connected never became {n}: {}", sim.stats().await);
}

#[tokio::test]
async fn active_sockets_lists_the_connected_socket_ids() {
    let sim = Sim::fast().await;
    let empty = sim.get("/start/active-sockets").await.body;
    assert_eq!(
        (empty["success"].clone(), empty["count"].clone(), empty["sockets"].clone()),
        (json!(true), json!(0), json!([]))
    );
    assert!(empty["timestamp"].is_string());
    let (sid, first) = sim.session_with_socket().await;
    let second = sim.socket(&sid).await;
    let listed = sim.get("/start/active-sockets").await.body;
    assert_eq!(listed["count"], 2);
    let mut expected = vec![first.sid.clone(), second.sid.clone()];
    expected.sort();
    assert_eq!(listed["sockets"], json!(expected));
    drop(first);
    connected_becomes(&sim, 1).await;
    assert_eq!(sim.get("/start/active-sockets").await.body["sockets"], json!([second.sid]));
}

#[tokio::test]
async fn drop_hook_cuts_the_transport_without_a_disconnect_packet() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    // A socket of another session is left alone.
    let (_, _other) = sim.session_with_socket().await;
    let answer = sim.post_as(None, "/_sim/sockets/drop", json!({ "sessionId": sid })).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["dropped"], 1);
    assert_eq!(socket.next().await, Incoming::Closed, "no Socket.IO disconnect packet first");
    let stats = connected_becomes(&sim, 1).await;
    assert_eq!(stats["sockets"]["total"], 2);
    assert_eq!(stats["requests"]["total"], 2, "the hook is not counted");

    // The session is untouched: a reconnecting client gets its events again.
    let mut again = sim.socket(&sid).await;
    again.send(json!({ "actionType": "newTask", "newState": "start", "taskDetails": "After the drop" }));
    let seen = again.until_message("task_completed").await;
    assert_eq!(message_of(&seen, "task_completed")["data"]["message"], "Completed: After the drop");
    assert_eq!(sim.post_as(None, "/_sim/sockets/drop", json!({ "sessionId": "unknown" })).await.body["dropped"], 0);
    assert_eq!(sim.post_as(None, "/_sim/sockets/drop", json!({})).await.status, 400);
}

#[tokio::test]
async fn stats_count_sockets_and_socket_messages_apart_from_requests() {
    let sim = Sim::fast().await;
    let stats = sim.stats().await;
    assert_eq!(stats["sockets"], json!({ "connected": 0, "total": 0, "eventsWithheld": 0 }));
    assert_eq!(
        stats["socketMessages"],
        json!({ "total": 0, "byActionType": { "newTask": 0, "state": 0, "interaction": 0, "guardrail": 0 }, "byMessage": {} })
    );
    let (_, mut socket) = sim.session_with_socket().await;
    socket.send_with_ack(json!({ "actionType": "state", "newState": "pause" })).await;
    socket.send_with_ack(json!({ "actionType": "bogus" })).await;
    let refused = sio::connect(&sim.handle.url(), json!({ "sessionId": "zzzzzzzzzzzz" })).await;
    assert!(refused.is_err());
    let stats = sim.stats().await;
    assert_eq!(
        stats["sockets"],
        json!({ "connected": 1, "total": 1, "eventsWithheld": 0 }),
        "refused sockets are not counted"
    );
    assert_eq!(stats["socketMessages"]["total"], 2);
    assert_eq!(stats["socketMessages"]["byActionType"]["state"], 1);
    assert_eq!(stats["socketMessages"]["byActionType"]["bogus"], 1);
    assert_eq!(stats["socketMessages"]["byMessage"], json!({ "state:pause": 1 }));
    assert_eq!(stats["requests"]["total"], 1);
    assert_eq!(stats["requests"]["byMessage"], json!({}));
    assert_eq!(sim.handle.stats_json(), stats);
}

#[tokio::test]
async fn shutdown_closes_the_sockets() {
    let sim = Sim::fast().await;
    let (_, mut socket) = sim.session_with_socket().await;
    tokio::time::timeout(std::time::Duration::from_secs(5), sim.handle.shutdown()).await.expect("prompt shutdown");
    let item = socket.next().await;
    assert!(matches!(item, Incoming::Closed | Incoming::Disconnect), "{item:?}");
}
