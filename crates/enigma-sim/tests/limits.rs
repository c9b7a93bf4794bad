//! Auth, rate limit, session limit, balance.

mod common;

use common::{KEY, Sim, fast};
use enigma_sim::{RateLimitScope, SimConfig};
use serde_json::json;

#[tokio::test]
async fn auth_errors() {
    let sim = Sim::fast().await;
    let a = sim.post_as(None, "/start/start-session", json!({})).await;
    assert_eq!(a.status, 401);
    assert_eq!(
        a.body,
        json!({
            "success": false,
            "message": "API key required. Provide Authorization: Bearer <api_key>",
            "error": "API key required. Provide Authorization: Bearer <api_key>",
            "code": "UNAUTHORIZED",
        })
    );
    let r = sim.post_as(Some("enig_revoked_abc"), "/start/start-session", json!({})).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.body["code"], "INVALID_API_KEY");
    assert_eq!(r.body["message"], "Invalid or revoked API key");
    let m = sim.post_as(Some("sk-not-enigma"), "/start/run-task", json!({ "taskDetails": "x" })).await;
    assert_eq!(m.status, 401);
    assert_eq!(m.body["code"], "INVALID_API_KEY");
    let i = sim.post_as(Some("enig_inactive_abc"), "/start/send-message", json!({})).await;
    assert_eq!(i.status, 403);
    assert_eq!(i.body["code"], "ACCOUNT_DEACTIVATED");
    assert_eq!(i.body["message"], "Account is deactivated");
    // Short keys are fine.
    assert_eq!(sim.post_as(Some("enig_x"), "/start/start-session", json!({})).await.status, 200);
}

#[tokio::test]
async fn polls_need_no_key_but_respect_ownership() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("x").await;
    let tid = tid.unwrap();
    assert_eq!(sim.get(&format!("/task/{sid}/{tid}")).await.status, 200);
    assert_eq!(sim.get_as(KEY, &format!("/task/{sid}/{tid}")).await.status, 200);
    let other = sim.get_as("enig_someone_else", &format!("/task/{sid}/{tid}")).await;
    assert_eq!(other.status, 404);
    let unknown = sim.get(&format!("/task/{sid}/aaaaaaaaaaaa")).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["code"], "TASK_NOT_FOUND");
    let no_session = sim.get("/task/aaaaaaaaaaaa/bbbbbbbbbbbb").await;
    assert_eq!(no_session.status, 404);
    // Another key cannot command the session either.
    let cmd = sim
        .post_as(
            Some("enig_someone_else"),
            "/start/send-message",
            json!({ "sessionId": sid, "message": { "actionType": "state", "newState": "stop" } }),
        )
        .await;
    assert_eq!(cmd.status, 404);
    assert_eq!(cmd.body["code"], "SESSION_NOT_FOUND");
}

#[tokio::test]
async fn rate_limit_shared_with_headers_and_retry_after() {
    let sim = Sim::start(SimConfig { rate_limit: Some(3), ..fast() }).await;
    let first = sim.post("/start/start-session", json!({})).await;
    assert_eq!(first.headers["x-ratelimit-limit"], "3");
    assert_eq!(first.headers["x-ratelimit-remaining"], "2");
    let reset: u64 = first.headers["x-ratelimit-reset"].to_str().unwrap().parse().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    assert!(reset >= now + 58 && reset <= now + 61, "{reset} vs {now}");
    let sid = first.body["sessionId"].as_str().unwrap().to_string();
    sim.send(&sid, json!({ "actionType": "state", "newState": "pause" })).await;
    sim.post("/start/run-task", json!({})).await; // a 400 still counts
    let refused = sim.post("/start/start-session", json!({})).await;
    assert_eq!(refused.status, 429);
    assert_eq!(refused.body["code"], "RATE_LIMIT_EXCEEDED");
    assert_eq!(refused.body["message"], "Rate limit exceeded. Please try again later.");
    let retry: u64 = refused.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(refused.headers["x-ratelimit-remaining"], "0");
    // Polls and health are not limited; other keys have their own budget.
    assert_eq!(sim.get("/start/health").await.status, 200);
    assert_eq!(sim.post_as(Some("enig_other"), "/start/start-session", json!({})).await.status, 200);
}

#[tokio::test]
async fn rate_limit_per_endpoint_and_off() {
    let sim =
        Sim::start(SimConfig { rate_limit: Some(1), rate_limit_scope: RateLimitScope::PerEndpoint, ..fast() }).await;
    let (sid, _) = sim.session("").await;
    assert_eq!(sim.send(&sid, json!({ "actionType": "state", "newState": "pause" })).await.status, 200);
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 429);

    let off = Sim::start(SimConfig { rate_limit: None, max_sessions: 100, ..fast() }).await;
    for _ in 0..15 {
        let a = off.post("/start/start-session", json!({})).await;
        assert_eq!(a.status, 200);
        assert!(a.headers.get("x-ratelimit-limit").is_none());
    }
}

#[tokio::test]
async fn session_limit() {
    let sim = Sim::start(SimConfig { max_sessions: 2, ..fast() }).await;
    let (first, _) = sim.session("").await;
    sim.session("").await;
    let a = sim.post("/start/start-session", json!({})).await;
    assert_eq!(a.status, 429);
    assert_eq!(a.body["code"], "SESSION_LIMIT_REACHED");
    assert_eq!(a.body["message"], "Maximum concurrent sessions reached (limit: 2)");
    assert_eq!(a.body["details"], json!({ "current": 2, "limit": 2 }));
    assert!(a.headers.get("retry-after").is_none());
    assert_eq!(sim.post("/start/run-task", json!({ "taskDetails": "x" })).await.status, 429);
    sim.state(&first, "terminate").await;
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 200);
}

#[tokio::test]
async fn insufficient_balance() {
    let sim = Sim::start(SimConfig { initial_balance: 0.015, ..fast() }).await;
    let (sid, _) = sim.session("").await;
    // The first task costs 0.02 and drives the balance below zero.
    assert_eq!(sim.new_task(&sid, "pricey #sim cost=0.02").await.body["status"], "complete");
    let a = sim.new_task(&sid, "more").await;
    assert_eq!(a.status, 402);
    assert_eq!(a.body["code"], "INSUFFICIENT_BALANCE");
    assert_eq!(a.body["message"], "Insufficient balance.");
    assert!((a.body["balance"].as_f64().unwrap() + 0.005).abs() < 1e-9, "{:?}", a.body);
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 402);
    assert_eq!(sim.post("/start/run-task", json!({ "taskDetails": "x" })).await.status, 402);
    let broke = sim.post_as(Some("enig_broke_1"), "/start/start-session", json!({})).await;
    assert_eq!(broke.status, 402);
    assert_eq!(broke.body["balance"], 0.0);
}

#[tokio::test]
async fn a_shortened_rate_window_frees_its_budget_and_refusals_are_counted() {
    let window = std::time::Duration::from_millis(300);
    let sim = Sim::start(SimConfig { rate_limit: Some(2), rate_limit_window: window, ..fast() }).await;
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 200);
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 200);
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 429);
    tokio::time::sleep(window).await;
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 200, "the window has passed");
    let stats = sim.stats().await;
    assert_eq!(stats["requests"]["rateLimited"], 1);
    assert!(SimConfig { rate_limit_window: std::time::Duration::ZERO, ..fast() }.validate().is_err());
}

#[tokio::test]
async fn stats_keep_the_high_water_mark_of_open_sessions_and_count_session_limit_refusals() {
    let sim = Sim::start(SimConfig { max_sessions: 2, ..fast() }).await;
    let (first, _) = sim.session("").await;
    sim.session("").await;
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 429);
    sim.state(&first, "terminate").await;
    sim.session("").await;
    let stats = sim.stats().await;
    assert_eq!(stats["sessions"]["maxOpenPerKey"], 2, "never more than 2 at once");
    assert_eq!(stats["sessions"]["sessionLimited"], 1);
    assert_eq!(stats["sessions"]["total"], 3);
}
