//! Socket.IO: the handshake and the events of tasks.

mod common;

use common::sio::{self, Incoming, event_of, kinds, message_of};
use common::{Sim, sleep_ms};
use serde_json::json;

#[tokio::test]
async fn unknown_missing_or_ended_sessions_get_connect_error() {
    let sim = Sim::fast().await;
    let url = sim.handle.url();
    let err = sio::connect(&url, json!({ "sessionId": "nope00000000" })).await.err().expect("refused");
    assert_eq!(err["message"], "Session nope00000000 does not exist or has expired");
    let err = sio::connect(&url, json!({})).await.err().expect("refused");
    assert!(err["message"].as_str().unwrap().contains("sessionId"), "{err}");

    let (sid, _) = sim.session("").await;
    sim.state(&sid, "terminate").await;
    let err = sio::connect(&url, json!({ "sessionId": sid })).await.err().expect("refused");
    assert_eq!(err["message"], format!("Session {sid} does not exist or has expired"));
    assert_eq!(sim.stats().await["sockets"], json!({ "connected": 0, "total": 0, "eventsWithheld": 0 }));
}

#[tokio::test]
async fn a_default_task_emits_every_event_in_order() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let answer = sim.new_task(&sid, "Find shoes").await;
    let task_id = answer.body["taskId"].as_str().unwrap().to_string();
    let seen = socket.until_message("task_completed").await;
    let step = ["agent", "action", "response_update"];
    let expected: Vec<&str> = step.iter().cycle().take(9).copied().chain(["task_completed"]).collect();
    assert_eq!(kinds(&seen), expected);
    for item in &seen {
        let Incoming::Event(name, data) = item else { panic!("unexpected {item:?}") };
        assert_eq!(name, "message");
        assert_eq!(data["taskId"], task_id.as_str(), "{data}");
    }
    assert_eq!(message_of(&seen, "agent")["content"], "Planning how to: Find shoes");
    let action = message_of(&seen, "action");
    assert!(action["data"]["name"].is_string() && action["data"]["target"].is_string(), "{action}");
    assert!(message_of(&seen, "response_update")["data"]["message"].is_string());
    let done = message_of(&seen, "task_completed");
    assert_eq!(done["data"]["message"], "Completed: Find shoes");
    assert_eq!(done["data"]["total_tokens"], 1500);
    assert_eq!(done["data"]["prompt_tokens"], 1200);
    assert_eq!(done["data"]["completion_tokens"], 300);
    assert!(done["data"]["completion_time"].as_f64().unwrap() >= 3.0);
    assert_eq!(done["usage"]["cost"], 0.01);
    assert_eq!(done["data"]["usage"]["cost"], 0.01);
    assert_eq!(done["usage"]["inputTokens"], 1200);
    assert_eq!(done["usage"]["computeTime"], 3.0);
    assert_eq!(done["completedAt"], sim.poll(&sid, &task_id).await["completedAt"]);
}

#[tokio::test]
async fn the_initial_task_of_start_session_emits_events() {
    let sim = Sim::fast().await;
    let (sid, task_id) = sim.session("Look around #sim duration=60 steps=6").await;
    let task_id = task_id.unwrap();
    let mut socket = sim.socket(&sid).await;
    let seen = socket.until_message("task_completed").await;
    assert!(kinds(&seen).contains(&"response_update".to_string()), "{seen:?}");
    assert_eq!(message_of(&seen, "task_completed")["taskId"], task_id.as_str());
}

#[tokio::test]
async fn a_guardrail_task_asks_and_goes_on_after_the_answer() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    socket.send(json!({ "actionType": "newTask", "newState": "start",
        "taskDetails": "Buy shoes #sim guardrail=\"Which size?\"" }));
    let seen = socket.until_message("guardrail_trigger").await;
    assert_eq!(kinds(&seen), ["agent", "action", "response_update", "guardrail_trigger"]);
    let asked = message_of(&seen, "guardrail_trigger");
    assert_eq!(asked["data"], json!({ "type": "human_input_needed", "value": "Which size?" }));
    let task_id = asked["taskId"].as_str().unwrap().to_string();
    sleep_ms(50).await;
    let poll = sim.poll(&sid, &task_id).await;
    assert_eq!(poll["type"], "guardrail_trigger");

    socket.send(json!({ "actionType": "guardrail", "newState": "resume", "taskDetails": "Size 42" }));
    let seen = socket.until_message("task_completed").await;
    assert!(message_of(&seen, "agent")["content"].as_str().unwrap().contains("Size 42"), "{seen:?}");
    assert_eq!(message_of(&seen, "task_completed")["taskId"], task_id.as_str());
}

#[tokio::test]
async fn a_failing_task_emits_an_error_event() {
    let sim = Sim::fast().await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let answer = sim.new_task(&sid, "Open the page #sim fail=PAGE_CRASH").await;
    assert_eq!(answer.body["status"], "failed");
    let seen = socket.until_message("error").await;
    assert_eq!(kinds(&seen), ["agent", "action", "response_update", "error"]);
    let error = message_of(&seen, "error");
    assert_eq!(error["code"], "PAGE_CRASH");
    assert_eq!(error["error"], "The page crashed while the agent was working on it");
    assert_eq!(error["taskId"], answer.body["taskId"]);
}

#[tokio::test]
async fn several_sockets_on_one_session_all_receive() {
    let sim = Sim::fast().await;
    let (sid, mut first) = sim.session_with_socket().await;
    let mut second = sim.socket(&sid).await;
    assert_ne!(first.sid, second.sid);
    assert_eq!(sim.stats().await["sockets"], json!({ "connected": 2, "total": 2, "eventsWithheld": 0 }));
    first.send(json!({ "actionType": "newTask", "newState": "start", "taskDetails": "Shared" }));
    let a = first.until_message("task_completed").await;
    let b = second.until_message("task_completed").await;
    assert_eq!(kinds(&a), kinds(&b));
    assert_eq!(a, b);
    sim.state(&sid, "terminate").await;
    for socket in [&mut first, &mut second] {
        let seen = socket.until(|i| *i == Incoming::Disconnect).await;
        assert_eq!(event_of(&seen, "end_session")["reason"], "terminated");
    }
}
