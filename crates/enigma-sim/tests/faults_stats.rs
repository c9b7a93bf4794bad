//! Fault injection and the stats endpoint.

mod common;

use common::{Sim, sleep_ms};
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn error_fault_before_processing() {
    let sim = Sim::fast().await;
    let f = sim
        .http
        .post(sim.url("/_sim/faults"))
        .json(&json!({ "endpoint": "POST /start/start-session", "status": 503, "code": "INSTANCE_UNAVAILABLE", "count": 2, "retryAfter": 2 }))
        .send()
        .await
        .unwrap();
    assert_eq!(f.status(), 200);
    for _ in 0..2 {
        let a = sim.post("/start/start-session", json!({})).await;
        assert_eq!(a.status, 503);
        assert_eq!(a.body["code"], "INSTANCE_UNAVAILABLE");
        assert_eq!(a.body["message"], "No available instances.");
        assert_eq!(a.headers["retry-after"], "2");
    }
    assert_eq!(sim.post("/start/start-session", json!({})).await.status, 200);
    let stats = sim.stats().await;
    assert_eq!(stats["sessions"]["total"], 1, "faulted requests created nothing");
    assert_eq!(stats["requests"]["byEndpoint"]["POST /start/start-session"], 3);
}

#[tokio::test]
async fn error_fault_after_processing_still_creates_the_task() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("").await;
    sim.post("/_sim/faults", json!({ "endpoint": "POST /start/send-message", "status": 500, "afterProcessing": true }))
        .await;
    let a = sim.new_task(&sid, "created anyway").await;
    assert_eq!(a.status, 500);
    assert_eq!(a.body["code"], "INTERNAL_ERROR");
    let stats = sim.stats().await;
    assert_eq!(stats["tasks"]["started"], 1);
    assert_eq!(stats["tasks"]["completed"], 1);
}

#[tokio::test]
async fn poll_fault_and_clear() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session("x").await;
    let tid = tid.unwrap();
    sim.post("/_sim/faults", json!({ "endpoint": "GET /task", "status": 500, "count": 5 })).await;
    assert_eq!(sim.get(&format!("/task/{sid}/{tid}")).await.status, 500);
    let cleared = sim.http.delete(sim.url("/_sim/faults")).send().await.unwrap();
    assert_eq!(cleared.status(), 200);
    assert_eq!(sim.get(&format!("/task/{sid}/{tid}")).await.status, 200);
    let bad = sim.post("/_sim/faults", json!({ "endpoint": "GET /nowhere" })).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn hang_fault_processes_then_never_answers() {
    let sim = Sim::fast().await;
    sim.post("/_sim/faults", json!({ "endpoint": "POST /start/start-session", "action": "hang" })).await;
    let req = sim.http.post(sim.url("/start/start-session")).bearer_auth(common::KEY).json(&json!({}));
    let r = tokio::time::timeout(Duration::from_millis(300), req.send()).await;
    assert!(r.is_err(), "the request must hang");
    assert_eq!(sim.stats().await["sessions"]["total"], 1, "processed before hanging");
}

#[tokio::test]
async fn drop_fault_closes_connection() {
    let sim = Sim::fast().await;
    sim.post("/_sim/faults", json!({ "endpoint": "POST /start/run-task", "action": "drop" })).await;
    let r = sim
        .http
        .post(sim.url("/start/run-task"))
        .bearer_auth(common::KEY)
        .json(&json!({ "taskDetails": "x" }))
        .send()
        .await;
    let e = r.expect_err("no HTTP answer");
    assert!(!e.is_timeout(), "{e}");
    let stats = sim.stats().await;
    assert_eq!(stats["tasks"]["completed"], 1);
    // The server still works.
    assert_eq!(sim.get("/start/health").await.status, 200);
}

#[tokio::test]
async fn stats_shape_and_counts() {
    let sim = Sim::fast().await;
    let empty = sim.stats().await;
    assert_eq!(
        empty,
        json!({
            "sessions": { "open": 0, "total": 0, "maxOpenPerKey": 0, "sessionLimited": 0 },
            "tasks": { "started": 0, "running": 0, "completed": 0, "failed": 0, "stopped": 0 },
            "requests": {
                "total": 0,
                "rateLimited": 0,
                "byEndpoint": {
                    "POST /start/start-session": 0, "POST /start/send-message": 0, "POST /start/run-task": 0,
                    "GET /task": 0, "GET /start/health": 0, "GET /start/active-sockets": 0,
                    "POST /v1/chat/completions": 0, "GET /v1/models": 0, "GET /mcp/sse": 0, "POST /mcp/message": 0
                },
                "byActionType": { "newTask": 0, "state": 0, "interaction": 0, "guardrail": 0 },
                "byMessage": {}
            },
            "sockets": { "connected": 0, "total": 0, "eventsWithheld": 0 },
            "socketMessages": {
                "total": 0,
                "byActionType": { "newTask": 0, "state": 0, "interaction": 0, "guardrail": 0 },
                "byMessage": {}
            },
            "commands": { "byMessage": {} },
            "mcp": {
                "connections": { "open": 0, "total": 0 },
                "toolCalls": 0,
                "byTool": {
                    "browser_task": 0, "create_session": 0, "send_task_to_session": 0,
                    "get_task_status": 0, "control_session": 0, "take_over_session": 0
                },
                "toolErrors": 0, "invalidArguments": 0, "sessionsEndedOnDisconnect": 0
            }
        })
    );
    let (sid, tid) = sim.session("long #sim duration=100").await;
    sim.send(&sid, json!({ "actionType": "state", "newState": "pause" })).await;
    sim.send(&sid, json!({ "actionType": "interaction", "action": { "type": "CLICK", "x": 1, "y": 200 } })).await;
    sim.post_as(
        None,
        "/start/send-message",
        json!({ "sessionId": sid, "message": { "actionType": "state", "newState": "resume" } }),
    )
    .await;
    sim.get(&format!("/task/{sid}/{}", tid.unwrap())).await;
    sim.get("/start/health").await;
    sim.get("/start/active-sockets").await;
    sleep_ms(10).await;
    let s = sim.handle.stats_json();
    assert_eq!(s["sessions"], json!({ "open": 1, "total": 1, "maxOpenPerKey": 1, "sessionLimited": 0 }));
    assert_eq!(s["tasks"]["started"], 1);
    assert_eq!(s["tasks"]["running"], 1);
    let r = &s["requests"];
    assert_eq!(r["total"], 7);
    assert_eq!(r["byEndpoint"]["POST /start/send-message"], 3);
    assert_eq!(r["byActionType"]["state"], 2);
    assert_eq!(r["byActionType"]["interaction"], 1);
    assert_eq!(r["byMessage"], json!({ "state:pause": 1, "state:resume": 1, "interaction:CLICK": 1 }));
    assert_eq!(s["commands"]["byMessage"], r["byMessage"], "no socket messages: the same counts");
    assert_eq!(sim.stats().await, s, "the HTTP stats match the handle's and /_sim is not counted");
}

#[tokio::test]
async fn graceful_shutdown_ends_hanging_requests() {
    let sim = Sim::fast().await;
    sim.post("/_sim/faults", json!({ "endpoint": "GET /start/health", "action": "hang" })).await;
    let url = sim.url("/start/health");
    let http = sim.http.clone();
    let pending = tokio::spawn(async move { http.get(url).send().await });
    sleep_ms(50).await;
    tokio::time::timeout(Duration::from_secs(5), sim.handle.shutdown()).await.expect("shutdown is prompt");
    let _ = pending.await;
}

/// POSTs start-session with the test key and returns the raw answer.
async fn raw_start(sim: &Sim) -> reqwest::Response {
    sim.http.post(sim.url("/start/start-session")).bearer_auth(common::KEY).json(&json!({})).send().await.unwrap()
}

#[tokio::test]
async fn error_fault_with_a_gateway_page_after_processing() {
    let sim = Sim::fast().await;
    let body = "<html><body>502 Bad Gateway</body></html>";
    sim.post(
        "/_sim/faults",
        json!({ "endpoint": "POST /start/start-session", "status": 502, "afterProcessing": true, "body": body }),
    )
    .await;
    let answer = raw_start(&sim).await;
    assert_eq!(answer.status(), 502);
    assert_eq!(answer.headers()["content-type"], "text/html");
    assert_eq!(answer.text().await.unwrap(), body);
    assert_eq!(sim.stats().await["sessions"]["open"], 1, "the session was created before the 502");
}

#[tokio::test]
async fn retry_after_can_be_sent_as_an_http_date() {
    let sim = Sim::fast().await;
    sim.post(
        "/_sim/faults",
        json!({ "endpoint": "POST /start/start-session", "status": 429, "retryAfter": 40, "retryAfterDate": true }),
    )
    .await;
    let answer = raw_start(&sim).await;
    assert_eq!(answer.status(), 429);
    let date = answer.headers()["retry-after"].to_str().unwrap().to_owned();
    let at = httpdate::parse_http_date(&date).expect("an HTTP date");
    let ahead = at.duration_since(std::time::SystemTime::now()).unwrap_or_default();
    assert!(ahead > Duration::from_secs(35) && ahead <= Duration::from_secs(40), "{date}: {ahead:?}");
}

#[tokio::test]
async fn oversize_fault_streams_the_asked_length_after_processing() {
    let sim = Sim::fast().await;
    for chunked in [false, true] {
        sim.post(
            "/_sim/faults",
            json!({ "endpoint": "POST /start/start-session", "action": "oversize", "bytes": 300_000, "chunked": chunked }),
        )
        .await;
        let answer = raw_start(&sim).await;
        assert_eq!(answer.status(), 200, "the real answer's status");
        assert_eq!(answer.headers().get("content-length").is_none(), chunked);
        let body = answer.bytes().await.unwrap();
        assert_eq!(body.len(), 300_000);
        let parsed: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON when read whole");
        assert_eq!(parsed["success"], true);
    }
    sim.post(
        "/_sim/faults",
        json!({ "endpoint": "GET /start/health", "action": "oversize", "bytes": 5, "status": 500 }),
    )
    .await;
    let answer = sim.http.get(sim.url("/start/health")).send().await.unwrap();
    assert_eq!(answer.status(), 500);
    assert_eq!(answer.bytes().await.unwrap().as_ref(), b"xxxxx");
    assert_eq!(sim.stats().await["sessions"]["total"], 2);
}

#[tokio::test]
async fn invalid_utf8_fault_corrupts_the_first_string_of_the_real_answer() {
    let sim = Sim::fast().await;
    sim.post("/_sim/faults", json!({ "endpoint": "POST /start/start-session", "action": "invalid-utf8" })).await;
    let answer = raw_start(&sim).await;
    assert_eq!(answer.status(), 200);
    let body = answer.bytes().await.unwrap();
    assert!(std::str::from_utf8(&body).is_err());
    let fixed: Vec<u8> = body.iter().copied().filter(|b| *b != 0xFF).collect();
    let parsed: serde_json::Value = serde_json::from_slice(&fixed).unwrap();
    assert!(parsed["sessionId"].is_string(), "the rest is the real answer: {parsed}");
    assert_eq!(sim.stats().await["sessions"]["open"], 1);
}

#[tokio::test]
async fn patch_fault_puts_fields_over_the_real_answer() {
    let sim = Sim::fast().await;
    sim.post(
        "/_sim/faults",
        json!({ "endpoint": "POST /start/start-session", "action": "patch", "patch": {"sessionId": "../../x", "extra": 1} }),
    )
    .await;
    let answer = sim.post("/start/start-session", json!({})).await;
    assert_eq!(answer.status, 200);
    assert_eq!((answer.body["sessionId"].as_str(), answer.body["extra"].as_i64()), (Some("../../x"), Some(1)));
    assert_eq!(answer.body["success"], true, "the rest is the real answer");
    assert_eq!(sim.stats().await["sessions"]["open"], 1);
}
