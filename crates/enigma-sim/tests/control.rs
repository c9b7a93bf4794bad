//! pause / resume / stop, manual control, guardrails and scripted failures.

mod common;

use common::{Sim, fast, sleep_ms};
use enigma_sim::SimConfig;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn pause_freezes_progress_and_cost() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("long #sim duration=100 cost=1").await;
    let tid = tid.unwrap();
    sleep_ms(50).await; // 5 simulated seconds
    sim.state(&sid, "pause").await;
    // The pause lands within one simulated second (10 ms here).
    let paused = sim.poll_until(&sid, &tid, |b| b["paused"] == json!(true)).await;
    assert_eq!(paused["status"], "active");
    assert_eq!(paused["pending"], true);
    let frozen = paused["usage"]["cost"].as_f64().unwrap();
    assert!(frozen > 0.0);
    sleep_ms(100).await; // 10 simulated seconds
    let still = sim.poll(&sid, &tid).await;
    assert_eq!(still["usage"]["cost"].as_f64().unwrap(), frozen);
    assert_eq!(still["usage"]["computeTime"], paused["usage"]["computeTime"]);
    sim.state(&sid, "resume").await;
    sleep_ms(50).await;
    let resumed = sim.poll(&sid, &tid).await;
    assert!(resumed.get("paused").is_none());
    assert!(resumed["usage"]["cost"].as_f64().unwrap() > frozen);
}

#[tokio::test]
async fn cost_grows_while_running_and_is_charged() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("long #sim duration=10 cost=2").await;
    let tid = tid.unwrap();
    sleep_ms(30).await;
    let a = sim.poll(&sid, &tid).await["usage"]["cost"].as_f64().unwrap();
    sleep_ms(30).await;
    let b = sim.poll(&sid, &tid).await["usage"]["cost"].as_f64().unwrap();
    assert!(b > a && a > 0.0, "{a} {b}");
    let done = sim.poll_until_final(&sid, &tid).await;
    assert_eq!(done["usage"]["cost"], 2.0);
    let s = sim.post("/start/start-session", json!({})).await;
    assert!((s.body["balance"].as_f64().unwrap() - 98.0).abs() < 1e-6, "{:?}", s.body);
}

#[tokio::test]
async fn stop_ends_task_and_session_stays_usable() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("long #sim duration=100").await;
    let tid = tid.unwrap();
    sleep_ms(20).await;
    sim.state(&sid, "stop").await;
    let body = sim.poll(&sid, &tid).await;
    assert_eq!(body["success"], true);
    assert_eq!(body["status"], "stopped");
    assert_eq!(body["pending"], false);
    assert!(body["usage"]["cost"].is_number());
    assert_eq!(sim.new_task(&sid, "next").await.body["status"], "complete");
    let stats = sim.handle.stats_json();
    assert_eq!(stats["tasks"]["stopped"], 1);
    assert_eq!(stats["tasks"]["completed"], 1);
}

#[tokio::test]
async fn stop_while_new_task_waits_inline_answers_stopped() {
    let sim = std::sync::Arc::new(Sim::fast().await);
    let (sid, _) = sim.session("").await;
    let waiter = {
        let (sim, sid) = (sim.clone(), sid.clone());
        tokio::spawn(async move { sim.new_task(&sid, "long #sim duration=1000").await })
    };
    sleep_ms(50).await;
    sim.state(&sid, "stop").await;
    let answer = waiter.await.unwrap();
    assert_eq!(answer.body["status"], "stopped");
    assert_eq!(answer.body["pending"], false);
    assert_eq!(answer.body["success"], true);
}

#[tokio::test]
async fn take_over_control_pauses_agent() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("long #sim duration=100").await;
    let tid = tid.unwrap();
    sleep_ms(20).await;
    let a = sim.send(&sid, json!({ "actionType": "interaction", "action": { "type": "takeOverControl" } })).await;
    assert_eq!(a.body["message"], "Message sent successfully");
    sleep_ms(10).await;
    let first = sim.poll(&sid, &tid).await;
    assert_eq!(first["paused"], true);
    for action in [
        json!({ "type": "CLICK", "x": 500, "y": 400 }),
        json!({ "type": "DOUBLE_CLICK", "x": 10, "y": 700 }),
        json!({ "type": "TYPE", "text": "hello", "humanLike": true }),
        json!({ "type": "KEY_PRESS", "key": "Enter" }),
    ] {
        let r = sim.send(&sid, json!({ "actionType": "interaction", "action": action })).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    sleep_ms(50).await;
    let second = sim.poll(&sid, &tid).await;
    assert_eq!(second["usage"]["cost"], first["usage"]["cost"]);
    sim.send(&sid, json!({ "actionType": "interaction", "action": { "type": "releaseControl" } })).await;
    sleep_ms(50).await;
    let third = sim.poll(&sid, &tid).await;
    assert!(third["usage"]["cost"].as_f64() > first["usage"]["cost"].as_f64());
    assert!(third.get("paused").is_none());
}

#[tokio::test]
async fn guardrail_inline_then_resume_completes() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    let a = sim.new_task(&sid, "Buy shoes #sim guardrail=\"Which size?\"").await;
    let b = &a.body;
    assert_eq!(b["pending"], true);
    assert_eq!(b["status"], "pending");
    assert_eq!(
        b["result"],
        json!({ "type": "guardrail_trigger", "data": { "type": "human_input_needed", "value": "Which size?" } })
    );
    let tid = b["taskId"].as_str().unwrap();
    let polled = sim.poll(&sid, tid).await;
    assert_eq!(polled["type"], "guardrail_trigger");
    assert_eq!(polled["data"]["value"], "Which size?");
    let cost = polled["usage"]["cost"].clone();
    sleep_ms(50).await;
    assert_eq!(sim.poll(&sid, tid).await["usage"]["cost"], cost, "cost frozen while waiting");
    let r = sim.send(&sid, json!({ "actionType": "guardrail", "taskDetails": "Size 42", "newState": "resume" })).await;
    assert_eq!(r.body["message"], "Message sent successfully");
    let done = sim.poll_until_final(&sid, tid).await;
    assert_eq!(done["type"], "task_completed");
    assert_eq!(done["data"]["message"], "Completed: Buy shoes");
}

#[tokio::test]
async fn guardrail_stop_ends_task_stopped() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("Buy shoes #sim guardrail=\"Which size?\"").await;
    let tid = tid.unwrap();
    sim.poll_until(&sid, &tid, |b| b["type"] == "guardrail_trigger").await;
    sim.send(&sid, json!({ "actionType": "guardrail", "taskDetails": "never mind", "newState": "stop" })).await;
    let body = sim.poll(&sid, &tid).await;
    assert_eq!(body["status"], "stopped");
}

#[tokio::test]
async fn fail_codes_inline_and_polled() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    for code in ["NAVIGATION_TIMEOUT", "ELEMENT_NOT_FOUND", "PAGE_CRASH", "TASK_TIMEOUT"] {
        let a = sim.new_task(&sid, &format!("try #sim fail={code}")).await;
        assert_eq!(a.status, 200);
        let b = &a.body;
        assert_eq!(b["success"], false);
        assert_eq!(b["status"], "failed");
        assert_eq!(b["code"], code);
        assert!(b["error"].as_str().unwrap().len() > 10);
        assert!(b["usage"]["cost"].as_f64().unwrap() > 0.0);
        let polled = sim.poll(&sid, b["taskId"].as_str().unwrap()).await;
        assert_eq!(polled["success"], false);
        assert_eq!(polled["status"], "failed");
        assert_eq!(polled["code"], code);
        assert_eq!(polled["pending"], false);
    }
    assert_eq!(sim.handle.stats_json()["tasks"]["failed"], 4);
}

#[tokio::test]
async fn failure_after_pending_answer_is_polled() {
    let sim = Sim::start(SimConfig { inline_wait: Duration::from_millis(500), ..fast() }).await;
    let (sid, _) = sim.session("").await;
    let a = sim.new_task(&sid, "try #sim duration=30 steps=2 fail=PAGE_CRASH").await;
    assert_eq!(a.body["pending"], true);
    let tid = a.body["taskId"].as_str().unwrap();
    let body = sim.poll_until_final(&sid, tid).await;
    assert_eq!(body["code"], "PAGE_CRASH");
}

#[tokio::test]
async fn state_commands_without_task_are_acknowledged() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    for s in ["pause", "resume", "stop"] {
        sim.state(&sid, s).await;
    }
    let g = sim.send(&sid, json!({ "actionType": "guardrail", "taskDetails": "x", "newState": "resume" })).await;
    assert_eq!(g.status, 200);
}
