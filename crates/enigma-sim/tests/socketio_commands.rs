//! Socket.IO: commands sent as `message` events, with and without acks.

mod common;

use common::sio::{Incoming, event_of, kinds, message_of};
use common::{Sim, fast, sleep_ms};
use enigma_sim::SimConfig;
use serde_json::{Value, json};

fn new_task(text: &str) -> Value {
    json!({ "actionType": "newTask", "newState": "start", "taskDetails": text })
}

fn state(new_state: &str) -> Value {
    json!({ "actionType": "state", "newState": new_state })
}

const SENT: &str = "Message sent successfully";

#[tokio::test]
async fn new_task_is_acked_at_once_and_its_result_arrives_by_socket_without_polling() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let ack = socket.send_with_ack(new_task("Search for keyboards")).await;
    assert_eq!(ack["success"], true);
    assert_eq!(ack["sessionId"], sid.as_str());
    assert_eq!(ack["status"], "pending");
    assert_eq!(ack["pending"], true);
    let task_id = ack["taskId"].as_str().unwrap().to_string();
    let seen = socket.until_message("task_completed").await;
    assert_eq!(message_of(&seen, "task_completed")["taskId"], task_id.as_str());

    let stats = sim.stats().await;
    assert_eq!(stats["requests"]["byEndpoint"]["GET /task"], 0);
    assert_eq!(stats["requests"]["byEndpoint"]["POST /start/send-message"], 0);
    assert_eq!(stats["requests"]["byActionType"]["newTask"], 0);
    assert_eq!(stats["socketMessages"]["total"], 1);
    assert_eq!(stats["socketMessages"]["byActionType"]["newTask"], 1);
    assert_eq!(stats["socketMessages"]["byMessage"], json!({ "newTask": 1 }));
    assert_eq!(stats["tasks"]["completed"], 1);
}

#[tokio::test]
async fn pause_freezes_and_resume_continues() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let ack = socket.send_with_ack(new_task("Slow one #sim duration=100 steps=4")).await;
    let task_id = ack["taskId"].as_str().unwrap().to_string();
    socket.until_message("action").await;
    assert_eq!(socket.send_with_ack(state("pause")).await, json!({ "success": true, "message": SENT }));
    let seen = socket.until_message("agent").await;
    assert!(message_of(&seen, "agent")["content"].as_str().unwrap().starts_with("Paused"), "{seen:?}");
    let frozen = sim.poll(&sid, &task_id).await;
    assert_eq!(frozen["paused"], true);
    sleep_ms(300).await;
    let still = sim.poll(&sid, &task_id).await;
    assert_eq!(frozen["usage"], still["usage"]);
    assert_eq!(socket.next_within(std::time::Duration::from_millis(50)).await, None, "no events while paused");

    assert_eq!(socket.send_with_ack(state("resume")).await["success"], true);
    let seen = socket.until_message("task_completed").await;
    assert_eq!(message_of(&seen, "agent")["content"], "Resuming where I left off.");
    let stats = sim.stats().await;
    assert_eq!(stats["socketMessages"]["byMessage"], json!({ "newTask": 1, "state:pause": 1, "state:resume": 1 }));
    assert_eq!(stats["commands"]["byMessage"], stats["socketMessages"]["byMessage"], "commands add up both paths");
}

#[tokio::test]
async fn stop_ends_the_task_and_the_session_stays_usable() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let ack = socket.send_with_ack(new_task("Long #sim duration=1000")).await;
    let task_id = ack["taskId"].as_str().unwrap().to_string();
    socket.until_message("action").await;
    socket.send(state("stop"));
    let seen = socket.until_message("task_stopped").await;
    assert_eq!(message_of(&seen, "task_stopped")["taskId"], task_id.as_str());
    assert_eq!(sim.poll(&sid, &task_id).await["status"], "stopped");
    let ack = socket.send_with_ack(new_task("Next")).await;
    assert_eq!(ack["pending"], true);
    socket.until_message("task_completed").await;
}

#[tokio::test]
async fn a_queued_task_is_acked_with_queued_and_a_third_gets_409() {
    let sim = Sim::fast().await;
    let (_, mut socket) = sim.session_with_socket().await;
    let first = socket.send_with_ack(new_task("One #sim duration=1000")).await;
    assert!(first.get("queued").is_none(), "{first}");
    let second = socket.send_with_ack(new_task("Two")).await;
    assert_eq!(second["queued"], true);
    let third = socket.send_with_ack(new_task("Three")).await;
    assert_eq!(third["success"], false);
    assert_eq!(third["status"], 409);
    assert_eq!(third["code"], "TASK_ALREADY_RUNNING");
    assert_eq!(third["message"], "A task is already running in this session");
    assert_eq!(third["error"], third["message"]);
}

#[tokio::test]
async fn an_invalid_command_gets_the_rest_error_in_its_ack_or_a_command_error_event() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let ack = socket.send_with_ack(state("fly")).await;
    let rest = sim.send(&sid, state("fly")).await;
    assert_eq!(rest.status, 400);
    let mut expected = rest.body.clone();
    expected["status"] = json!(400);
    assert_eq!(ack, expected);
    assert_eq!(ack["code"], "INVALID_PARAMETER");

    let ack = socket.send_with_ack(json!({ "actionType": "newTask", "newState": "start" })).await;
    assert_eq!((ack["code"].as_str(), ack["status"].as_u64()), (Some("MISSING_REQUIRED_FIELD"), Some(400)));
    let ack = socket.send_with_ack(json!("not an object")).await;
    assert_eq!(ack["code"], "INVALID_PARAMETER");

    socket.send(json!({ "actionType": "interaction", "action": { "type": "CLICK", "x": 5000, "y": 300 } }));
    let seen = socket.until_message("command_error").await;
    let error = message_of(&seen, "command_error");
    assert_eq!(error["actionType"], "interaction");
    assert_eq!(error["code"], "INVALID_PARAMETER");
    assert_eq!(error["status"], 400);
    assert!(error["error"].as_str().unwrap().contains("action.x"), "{error}");
}

#[tokio::test]
async fn interactions_and_guardrail_answers_work_over_the_socket() {
    let sim = Sim::fast().await;
    let (_, mut socket) = sim.session_with_socket().await;
    socket.send(new_task("Ask #sim guardrail=\"Color?\" duration=100"));
    socket.until_message("guardrail_trigger").await;
    let click = json!({ "actionType": "interaction", "action": { "type": "CLICK", "x": 100, "y": 300 } });
    assert_eq!(socket.send_with_ack(click).await["message"], SENT);
    let seen = socket.until_message("action").await;
    assert_eq!(message_of(&seen, "action")["source"], "user");
    let answer = json!({ "actionType": "guardrail", "newState": "stop", "taskDetails": "never mind" });
    assert_eq!(socket.send_with_ack(answer).await["success"], true);
    socket.until_message("task_stopped").await;
    let stats = sim.stats().await;
    assert_eq!(stats["socketMessages"]["byMessage"]["interaction:CLICK"], 1);
    assert_eq!(stats["socketMessages"]["byMessage"]["guardrail:stop"], 1);
}

#[tokio::test]
async fn socket_commands_are_not_rate_limited() {
    let sim = Sim::start(SimConfig { rate_limit: Some(2), ..fast() }).await;
    let (_, mut socket) = sim.session_with_socket().await;
    for _ in 0..12 {
        assert_eq!(socket.send_with_ack(state("pause")).await["success"], true);
    }
    assert_eq!(sim.stats().await["socketMessages"]["total"], 12);
}

#[tokio::test]
async fn terminate_over_the_socket_ends_the_session_and_disconnects() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    assert_eq!(socket.send_with_ack(state("terminate")).await["success"], true);
    let seen = socket.until(|i| *i == Incoming::Disconnect).await;
    assert_eq!(kinds(&seen), ["end_session"]);
    let end = event_of(&seen, "end_session");
    assert_eq!(end["type"], "end_session");
    assert_eq!(end["reason"], "terminated");
    assert!(end["message"].is_string());
    let later = sim.send(&sid, state("pause")).await;
    assert_eq!(later.status, 404);
}
