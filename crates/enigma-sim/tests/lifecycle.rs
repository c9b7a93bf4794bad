//! Sessions and tasks through their lifecycles.

mod common;

use common::{KEY, Sim, fast, sleep_ms};
use enigma_sim::SimConfig;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn start_session_shape_and_initial_task_completes() {
    let sim = Sim::fast().await;
    let a = sim
        .post("/start/start-session", json!({ "taskDetails": "Go to amazon.com", "startingUrl": "https://amazon.com" }))
        .await;
    assert_eq!(a.status, 200, "{:?}", a.body);
    let b = &a.body;
    let sid = b["sessionId"].as_str().unwrap();
    assert_eq!(sid.len(), 12);
    assert!(sid.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
    assert_eq!(b["success"], true);
    assert_eq!(b["socketURL"], sim.handle.url());
    assert_eq!(b["streaming"]["webViewURL"], format!("{}/live/{sid}", sim.handle.url()));
    assert_eq!(b["streaming"]["webRTCURL"], format!("{}/live/{sid}/whep", sim.handle.url()));
    assert_eq!(b["streaming"]["dimensions"], json!({ "width": 1024, "height": 600 }));
    assert_eq!(b["initialPrompt"], "Go to amazon.com");
    assert_eq!(b["expiresIn"], 300000);
    assert_eq!(b["balance"], 100.0);
    assert_eq!(b["message"], "Connect to instance using sessionId in auth");
    let tid = b["taskId"].as_str().unwrap();
    assert_eq!(tid.len(), 12);

    let running = sim.poll(sid, tid).await;
    assert_eq!(running["status"], "active");
    assert_eq!(running["pending"], true);
    assert!(running["usage"]["cost"].is_number());

    let done = sim.poll_until_final(sid, tid).await;
    assert_eq!(done["success"], true);
    assert_eq!(done["type"], "task_completed");
    assert_eq!(done["pending"], false);
    assert_eq!(done["sessionId"], sid);
    assert_eq!(done["taskId"], tid);
    assert_eq!(done["data"]["message"], "Completed: Go to amazon.com");
    assert_eq!(done["data"]["total_tokens"], 1500);
    assert!(done["data"]["completion_time"].as_f64().unwrap() >= 2.9);
    assert_eq!(done["usage"]["cost"], 0.01);
    assert!(done["completedAt"].as_str().unwrap().ends_with('Z'));

    // The live page and the video endpoint.
    let page = sim.http.get(sim.url(&format!("/live/{sid}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("task_completed") && html.contains(sid), "{html}");
    let whep = sim.http.post(sim.url(&format!("/live/{sid}/whep"))).send().await.unwrap();
    assert_eq!(whep.status(), 501);
}

#[tokio::test]
async fn no_initial_task_means_no_task_id() {
    let sim = Sim::fast().await;
    let (_, tid) = sim.session("").await;
    assert!(tid.is_none());
}

#[tokio::test]
async fn events_in_order_for_initial_task() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("Find a keyboard #sim steps=2 duration=60").await;
    let tid = tid.unwrap();
    let mut rx = sim.handle.subscribe(&sid).unwrap();
    let mut types = Vec::new();
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap().unwrap();
        assert_eq!(ev["event"], "message");
        assert_eq!(ev["data"]["taskId"], tid.as_str());
        let t = ev["data"]["type"].as_str().unwrap().to_string();
        if t == "task_completed" {
            assert_eq!(ev["data"]["data"]["message"], "Completed: Find a keyboard");
            assert_eq!(ev["data"]["usage"]["cost"], 0.01);
            types.push(t);
            break;
        }
        types.push(t);
    }
    // The first step may have been emitted before we subscribed; the tail is fixed.
    let tail = ["agent", "action", "response_update", "task_completed"];
    assert!(types.ends_with(&tail.map(String::from)), "{types:?}");
    sim.state(&sid, "terminate").await;
    let end = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap().unwrap();
    assert_eq!(end["event"], "end_session");
    assert_eq!(
        end["data"],
        json!({ "type": "end_session", "reason": "terminated", "message": "Session terminated by user" })
    );
}

#[tokio::test]
async fn new_task_inline_result() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    let a = sim
        .new_task(
            &sid,
            "Search for wireless keyboards #sim message=\"Found 10 wireless keyboard results\" tokens=10800",
        )
        .await;
    assert_eq!(a.status, 200);
    let b = &a.body;
    assert_eq!(b["success"], true);
    assert_eq!(b["status"], "complete");
    assert_eq!(b["sessionId"], sid.as_str());
    assert_eq!(b["result"]["type"], "task_completed");
    assert_eq!(b["result"]["data"]["message"], "Found 10 wireless keyboard results");
    assert_eq!(b["result"]["data"]["total_tokens"], 10800);
    assert_eq!(b["result"]["data"]["prompt_tokens"], 8640);
    assert_eq!(b["result"]["data"]["completion_tokens"], 2160);
    assert!(b["result"]["data"]["completion_time"].is_number());
    for field in ["inputTokens", "outputTokens", "computeTime", "cost"] {
        assert!(b["result"]["usage"][field].is_number(), "{field}");
    }
}

#[tokio::test]
async fn new_task_pending_when_inline_wait_runs_out() {
    let sim = Sim::start(SimConfig { inline_wait: Duration::from_secs(1), ..fast() }).await;
    let (sid, _) = sim.session("").await;
    let a = sim.new_task(&sid, "long one #sim duration=20").await;
    let b = &a.body;
    assert_eq!(b["status"], "pending");
    assert_eq!(b["pending"], true);
    let tid = b["taskId"].as_str().unwrap();
    assert_eq!(b["pollUrl"], format!("{}/task/{sid}/{tid}", sim.handle.url()));
    assert_eq!(b["message"], "Task still running. Poll GET /task/:sessionId/:taskId for result.");
    let done = sim.poll_until_final(&sid, tid).await;
    assert_eq!(done["type"], "task_completed");
}

#[tokio::test]
async fn queue_one_then_409() {
    let sim = Sim::start(SimConfig { inline_wait: Duration::from_millis(100), ..fast() }).await;
    let (sid, first) = sim.session("first #sim duration=10").await;
    let second = sim.new_task(&sid, "second #sim duration=1").await;
    assert_eq!(second.body["status"], "pending");
    let second_id = second.body["taskId"].as_str().unwrap().to_string();
    let queued = sim.poll(&sid, &second_id).await;
    assert_eq!(queued["pending"], true);
    assert_eq!(queued["usage"]["cost"], 0.0);
    let third = sim.new_task(&sid, "third").await;
    assert_eq!(third.status, 409);
    assert_eq!(third.body["code"], "TASK_ALREADY_RUNNING");
    assert_eq!(third.body["message"], "A task is already running in this session");
    assert_eq!(third.body["error"], "A task is already running in this session");
    assert_eq!(third.body["success"], false);
    let first_done = sim.poll_until_final(&sid, first.as_deref().unwrap()).await;
    assert_eq!(first_done["type"], "task_completed");
    let second_done = sim.poll_until_final(&sid, &second_id).await;
    assert_eq!(second_done["data"]["message"], "Completed: second");
}

#[tokio::test]
async fn queued_task_inline_wait_covers_queue_time() {
    // The seed's flow: a session with an initial task, then newTask at once.
    let sim = Sim::fast().await;
    let (sid, first) = sim.session("Go to amazon.com").await;
    let task = sim.new_task(&sid, "Search for 'mechanical keyboard'").await;
    assert_eq!(task.body["status"], "complete", "{:?}", task.body);
    assert_eq!(sim.poll(&sid, first.as_deref().unwrap()).await["type"], "task_completed");
    sim.state(&sid, "pause").await;
    sim.state(&sid, "resume").await;
    let again = sim.poll(&sid, task.body["taskId"].as_str().unwrap()).await;
    assert_eq!(again["type"], "task_completed");
    sim.state(&sid, "terminate").await;
}

#[tokio::test]
async fn terminate_under_running_task() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("slow #sim duration=100").await;
    let tid = tid.unwrap();
    sleep_ms(30).await;
    sim.state(&sid, "terminate").await;
    let body = sim.poll(&sid, &tid).await;
    assert_eq!(body["success"], true);
    assert_eq!(body["status"], "terminated");
    assert_eq!(body["pending"], false);
    let after = sim.new_task(&sid, "more").await;
    assert_eq!(after.status, 404);
    assert_eq!(after.body["code"], "SESSION_NOT_FOUND");
    assert_eq!(after.body["message"], format!("Session {sid} does not exist or has expired"));
    let s = sim.send(&sid, json!({ "actionType": "state", "newState": "pause" })).await;
    assert_eq!(s.status, 404);
}

#[tokio::test]
async fn run_task_ends_its_session_and_stays_pollable() {
    let sim = Sim::fast().await;
    let a = sim.post("/start/run-task", json!({ "taskDetails": "one shot" })).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["status"], "complete");
    let sid = a.body["sessionId"].as_str().unwrap().to_string();
    let tid = a.body["taskId"].as_str().unwrap().to_string();
    let polled = sim.poll(&sid, &tid).await;
    assert_eq!(polled["type"], "task_completed");
    let s = sim.send(&sid, json!({ "actionType": "state", "newState": "pause" })).await;
    assert_eq!(s.status, 404);
    assert_eq!(sim.handle.stats_json()["sessions"]["open"], 0);

    let missing = sim.post("/start/run-task", json!({})).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.body["message"], "taskDetails is required");
}

#[tokio::test]
async fn terminate_on_completion_ends_session() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    let mut rx = sim.handle.subscribe(&sid).unwrap();
    let a = sim
        .send(&sid, json!({ "actionType": "newTask", "newState": "start", "taskDetails": "Final task", "terminateOnCompletion": true }))
        .await;
    assert_eq!(a.body["status"], "complete");
    sleep_ms(20).await;
    let s = sim.new_task(&sid, "more").await;
    assert_eq!(s.status, 404);
    loop {
        let ev = rx.recv().await.unwrap();
        if ev["event"] == "end_session" {
            assert_eq!(ev["data"]["reason"], "terminateOnCompletion");
            break;
        }
    }
}

#[tokio::test]
async fn idle_timeout_expires_session() {
    let sim = Sim::start(SimConfig { idle_timeout: Duration::from_secs(10), ..fast() }).await;
    let (sid, _) = sim.session("").await;
    let mut rx = sim.handle.subscribe(&sid).unwrap();
    let ev = tokio::time::timeout(Duration::from_secs(5), rx.recv()).await.unwrap().unwrap();
    assert_eq!(ev["event"], "end_session");
    assert_eq!(ev["data"]["reason"], "expired");
    assert_eq!(sim.new_task(&sid, "x").await.status, 404);
}

#[tokio::test]
async fn session_max_duration_terminates_running_task() {
    let sim = Sim::fast().await;
    let a =
        sim.post("/start/start-session", json!({ "taskDetails": "slow #sim duration=100", "maxDuration": 2000 })).await;
    assert_eq!(a.body["expiresIn"], 2000);
    let sid = a.body["sessionId"].as_str().unwrap();
    let tid = a.body["taskId"].as_str().unwrap();
    let body = sim.poll_until_final(sid, tid).await;
    assert_eq!(body["status"], "terminated");
}

#[tokio::test]
async fn task_max_duration_fails_with_task_timeout() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    let a = sim
        .send(&sid, json!({ "actionType": "newTask", "newState": "start", "taskDetails": "slow #sim duration=100", "maxDuration": 2000 }))
        .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["success"], false);
    assert_eq!(a.body["status"], "failed");
    assert_eq!(a.body["code"], "TASK_TIMEOUT");
    // The session stays usable.
    assert_eq!(sim.new_task(&sid, "next").await.body["status"], "complete");
}

#[tokio::test]
async fn health_and_active_sockets() {
    let sim = Sim::fast().await;
    let h = sim.get("/start/health").await;
    assert_eq!(h.status, 200);
    assert_eq!(h.body["status"], "healthy");
    assert_eq!(h.body["instancesAvailable"], true);
    assert!(h.body["timestamp"].is_string());
    let (_, socket) = sim.session_with_socket().await;
    let s = sim.get("/start/active-sockets").await;
    assert_eq!(s.body["sockets"], json!([socket.sid]), "the connected Socket.IO sockets");
    assert_eq!(s.body["count"], 1);
    let _ = KEY;
}

#[tokio::test]
async fn ids_are_deterministic_under_seed() {
    let one = Sim::fast().await;
    let two = Sim::fast().await;
    assert_eq!(one.session("").await.0, two.session("").await.0);
    let other = Sim::start(SimConfig { seed: 7, ..fast() }).await;
    assert_ne!(one.session("").await.0, other.session("").await.0);
}

#[tokio::test(flavor = "current_thread")]
async fn works_on_a_current_thread_runtime() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    assert_eq!(sim.new_task(&sid, "quick").await.body["status"], "complete");
    sim.handle.shutdown().await;
}

#[tokio::test]
async fn a_shared_simulator_closes_once_from_any_reference() {
    let sim = std::sync::Arc::new(enigma_sim::SharedSim::start(common::fast()).await.unwrap());
    let url = format!("{}/start/health", sim.url());
    assert!(reqwest::get(&url).await.unwrap().status().is_success());
    assert_eq!(sim.stats().expect("stats while open")["sessions"]["open"], 0);
    let (first, second) = (sim.close(), sim.clone().close());
    assert!(sim.is_closed() && sim.stats().is_none(), "closed as soon as close() is called");
    tokio::time::timeout(Duration::from_secs(10), async { tokio::join!(first, second) }).await.expect("bounded");
    assert!(reqwest::get(&url).await.is_err(), "the server stopped");
}

#[test]
fn public_types_are_send_sync_clone_debug() {
    fn send_sync<T: Send + Sync>() {}
    fn clone_debug<T: Clone + std::fmt::Debug>() {}
    send_sync::<enigma_sim::SimHandle>();
    send_sync::<enigma_sim::SharedSim>();
    clone_debug::<SimConfig>();
    clone_debug::<enigma_sim::RateLimitScope>();
}

#[tokio::test]
async fn steps_directive_sets_event_count() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    let mut rx = sim.handle.subscribe(&sid).unwrap();
    let a = sim.new_task(&sid, "walk #sim steps=5 duration=2").await;
    assert_eq!(a.body["status"], "complete");
    let mut counts = std::collections::HashMap::new();
    while let Ok(ev) = rx.try_recv() {
        *counts.entry(ev["data"]["type"].as_str().unwrap().to_string()).or_insert(0) += 1;
    }
    assert_eq!(counts["agent"], 5);
    assert_eq!(counts["action"], 5);
    assert_eq!(counts["response_update"], 5);
    assert_eq!(counts["task_completed"], 1);
    assert_eq!(sim.get("/live/nosuchsession").await.status, 404);
}
