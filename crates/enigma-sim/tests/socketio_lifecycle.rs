//! Socket.IO: `end_session` for every reason, instance disconnects, server-side disconnects.

mod common;

use std::time::Duration;

use common::sio::{Incoming, event_of, kinds, message_of};
use common::{Sim, fast};
use enigma_sim::SimConfig;
use serde_json::json;

fn is_disconnect(item: &Incoming) -> bool {
    *item == Incoming::Disconnect
}

#[tokio::test]
async fn user_terminate_over_rest_ends_with_terminated() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    sim.state(&sid, "terminate").await;
    let seen = socket.until(is_disconnect).await;
    assert_eq!(event_of(&seen, "end_session")["reason"], "terminated");
    // A server-side disconnect, like socket.io's `disconnect()`: the client closes the transport.
    for _ in 0..100 {
        if sim.stats().await["sockets"]["connected"] == 0 {
            return;
        }
        common::sleep_ms(10).await;
    }
    panic!("the socket is still registered");
}

#[tokio::test]
async fn idle_timeout_ends_with_expired() {
    let sim = Sim::start(SimConfig { idle_timeout: Duration::from_secs(30), ..fast() }).await;
    let (_, mut socket) = sim.session_with_socket().await;
    let seen = socket.until(is_disconnect).await;
    assert_eq!(kinds(&seen), ["end_session"]);
    assert_eq!(event_of(&seen, "end_session")["reason"], "expired");
}

#[tokio::test]
async fn max_duration_ends_with_expired_and_the_task_is_terminated() {
    let sim = Sim::fast().await;
    let a = sim
        .post("/start/start-session", json!({ "taskDetails": "Long #sim duration=1000", "maxDuration": 30000 }))
        .await;
    let sid = a.body["sessionId"].as_str().unwrap().to_string();
    let task_id = a.body["taskId"].as_str().unwrap().to_string();
    let mut socket = sim.socket(&sid).await;
    let seen = socket.until(is_disconnect).await;
    assert_eq!(event_of(&seen, "end_session")["reason"], "expired");
    assert_eq!(sim.poll(&sid, &task_id).await["status"], "terminated");
}

#[tokio::test]
async fn terminate_on_completion_ends_after_the_task() {
    let sim = Sim::fast().await;
    let (_, mut socket) = sim.session_with_socket().await;
    socket.send(json!({ "actionType": "newTask", "newState": "start", "taskDetails": "Last",
        "terminateOnCompletion": true }));
    let seen = socket.until(is_disconnect).await;
    let names = kinds(&seen);
    assert_eq!(names[names.len() - 2..], ["task_completed", "end_session"]);
    assert_eq!(event_of(&seen, "end_session")["reason"], "terminateOnCompletion");
}

#[tokio::test]
async fn run_task_ends_with_terminate_on_completion() {
    let sim = Sim::fast().await;
    // Longer than the inline wait (50 simulated s), so the answer comes while it still runs.
    let a = sim.post("/start/run-task", json!({ "taskDetails": "One shot #sim duration=150" })).await;
    assert_eq!(a.body["pending"], true, "{:?}", a.body);
    let sid = a.body["sessionId"].as_str().unwrap().to_string();
    let mut socket = sim.socket(&sid).await;
    let seen = socket.until(is_disconnect).await;
    let names = kinds(&seen);
    assert_eq!(names[names.len() - 2..], ["task_completed", "end_session"]);
    assert_eq!(event_of(&seen, "end_session")["reason"], "terminateOnCompletion");
}

#[tokio::test]
async fn end_completed_directive_ends_with_completed() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let answer = sim.new_task(&sid, "Wrap up #sim end=completed").await;
    assert_eq!(answer.body["status"], "complete");
    let seen = socket.until(is_disconnect).await;
    let names = kinds(&seen);
    assert_eq!(names[names.len() - 2..], ["task_completed", "end_session"]);
    let end = event_of(&seen, "end_session");
    assert_eq!(end["reason"], "completed");
    assert_eq!(sim.send(&sid, json!({ "actionType": "state", "newState": "pause" })).await.status, 404);
    assert_eq!(sim.stats().await["sessions"]["open"], 0);
}

#[tokio::test]
async fn a_flaky_instance_disconnects_reconnects_and_the_task_completes() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let answer = sim.new_task(&sid, "Wobbly #sim instance=flaky").await;
    assert_eq!(answer.body["status"], "complete");
    let seen = socket.until_message("task_completed").await;
    assert_eq!(
        kinds(&seen),
        [
            "agent",
            "action",
            "response_update",
            "agent",
            "action",
            "instance:disconnected",
            "instance:reconnected",
            "response_update",
            "agent",
            "action",
            "response_update",
            "task_completed",
        ]
    );
    let down = event_of(&seen, "instance:disconnected");
    assert_eq!(down["type"], "instance:disconnected");
    assert_eq!(down["gracePeriod"], 300000);
    assert!(down["message"].is_string());
    let up = event_of(&seen, "instance:reconnected");
    assert_eq!(up["type"], "instance:reconnected");
    assert!(up["message"].is_string());
    // Progress froze for the 2 simulated seconds of the outage: work took 3 s, the task 5 s.
    let done = message_of(&seen, "task_completed");
    assert_eq!(done["usage"]["computeTime"], 3.0);
    assert!(done["data"]["completion_time"].as_f64().unwrap() >= 4.9, "{done}");
}

#[tokio::test]
async fn a_lost_instance_fails_the_session_after_the_grace_period() {
    let sim = Sim::start(SimConfig { instance_grace: Duration::from_secs(20), ..fast() }).await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let ack = socket
        .send_with_ack(json!({ "actionType": "newTask", "newState": "start",
            "taskDetails": "Doomed #sim instance=lost" }))
        .await;
    let task_id = ack["taskId"].as_str().unwrap().to_string();
    let seen = socket.until_event("instance:disconnected").await;
    assert_eq!(event_of(&seen, "instance:disconnected")["gracePeriod"], 20000);
    let frozen = sim.poll(&sid, &task_id).await;
    assert_eq!(frozen["status"], "active");
    let seen = socket.until(is_disconnect).await;
    assert_eq!(kinds(&seen), ["end_session"], "no progress while the instance is away");
    assert_eq!(event_of(&seen, "end_session")["reason"], "instance_lost");
    let poll = sim.poll(&sid, &task_id).await;
    assert_eq!(poll["status"], "terminated");
    assert_eq!(poll["usage"], frozen["usage"]);
    assert_eq!(sim.send(&sid, json!({ "actionType": "state", "newState": "stop" })).await.status, 404);
}

#[tokio::test]
async fn a_lost_instance_outlives_max_duration_until_its_grace_ends() {
    // Default grace (300 s) is as long as the default session lifetime: the grace decides.
    let sim = Sim::fast().await;
    let a = sim.post("/start/start-session", json!({ "maxDuration": 30000 })).await;
    let sid = a.body["sessionId"].as_str().unwrap().to_string();
    let mut socket = sim.socket(&sid).await;
    socket.send(json!({ "actionType": "newTask", "newState": "start", "taskDetails": "x #sim instance=lost" }));
    let seen = socket.until(is_disconnect).await;
    assert_eq!(event_of(&seen, "instance:disconnected")["gracePeriod"], 300000);
    assert_eq!(event_of(&seen, "end_session")["reason"], "instance_lost");
}
