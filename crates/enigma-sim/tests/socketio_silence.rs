//! Socket.IO faults of the event path: the `/_sim/sockets/silence` hook (a socket that stays
//! open but says nothing), and a flood of events delivered whole to a socket.

mod common;

use std::time::Duration;

use common::Sim;
use common::sio::{Incoming, kinds};
use serde_json::json;

#[tokio::test]
async fn a_silenced_session_s_sockets_stay_open_and_get_nothing_until_let_through() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    // Another session's socket is left alone.
    let (other, mut other_socket) = sim.session_with_socket().await;
    let answer = sim.post_as(None, "/_sim/sockets/silence", json!({ "sessionId": sid })).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, json!({ "success": true, "sessionId": sid, "silent": true, "sockets": 1 }));

    let task = sim.new_task(&sid, "Quiet one").await.body["taskId"].as_str().unwrap().to_owned();
    sim.new_task(&other, "Loud one").await;
    other_socket.until_message("task_completed").await;
    sim.poll_until_final(&sid, &task).await;
    assert_eq!(socket.next_within(Duration::from_millis(200)).await, None, "nothing, not even a close");
    let stats = sim.stats().await;
    assert_eq!(stats["sockets"]["connected"], 2, "still open");
    assert_eq!(stats["sockets"]["eventsWithheld"], 10, "3 steps of 3 events and the completion");

    // Let through again: later events flow, withheld ones are not replayed.
    let answer = sim.post_as(None, "/_sim/sockets/silence", json!({ "sessionId": sid, "silent": false })).await;
    assert_eq!(answer.body["silent"], false);
    sim.new_task(&sid, "Heard one #sim steps=1").await;
    let seen = socket.until_message("task_completed").await;
    assert_eq!(kinds(&seen), ["agent", "action", "response_update", "task_completed"]);
}

#[tokio::test]
async fn silence_covers_sockets_that_connect_later_and_the_end_of_the_session_still_disconnects() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    sim.post_as(None, "/_sim/sockets/silence", json!({ "sessionId": sid })).await;
    let mut socket = sim.socket(&sid).await;
    sim.state(&sid, "terminate").await;
    // `end_session` is withheld, but the server still disconnects the socket.
    assert_eq!(socket.next().await, Incoming::Disconnect);
    assert_eq!(sim.stats().await["sockets"]["eventsWithheld"], 1);
}

#[tokio::test]
async fn the_silence_hook_checks_its_body() {
    let sim = Sim::fast().await;
    assert_eq!(sim.post_as(None, "/_sim/sockets/silence", json!({})).await.status, 400);
    assert_eq!(sim.post_as(None, "/_sim/sockets/silence", json!({ "sessionId": 1 })).await.status, 400);
    let bad = sim.post_as(None, "/_sim/sockets/silence", json!({ "sessionId": "s", "silent": "yes" })).await;
    assert_eq!(bad.status, 400);
    let unknown = sim.post_as(None, "/_sim/sockets/silence", json!({ "sessionId": "unknown" })).await;
    assert_eq!(unknown.body["sockets"], 0);
}

/// A flood (a 1000-step task in a blink) reaches a socket whole: a socket's send buffer filling
/// up holds the events back rather than dropping them (or the rest of the session's events).
#[tokio::test]
async fn a_flood_of_events_reaches_the_socket_whole() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    sim.new_task(&sid, "Flood #sim steps=1000 duration=1").await;
    let seen = socket.until_message("task_completed").await;
    assert_eq!(seen.len(), 3 * 1000 + 1, "every event, the completion last");
}
