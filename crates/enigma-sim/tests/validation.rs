//! 400 answers for bad input.

mod common;

use common::{Sim, fast};
use enigma_sim::SimConfig;

async fn unlimited() -> Sim {
    Sim::start(SimConfig { rate_limit: None, ..fast() }).await
}
use serde_json::{Value, json};

async fn expect_400(sim: &Sim, path: &str, body: Value, code: &str, text: &str) {
    let a = sim.post(path, body.clone()).await;
    assert_eq!(a.status, 400, "{body} -> {:?}", a.body);
    assert_eq!(a.body["code"], code, "{body}");
    assert_eq!(a.body["success"], false);
    assert!(a.body["message"].as_str().unwrap().contains(text), "{body} -> {:?}", a.body);
    assert_eq!(a.body["error"], a.body["message"]);
}

#[tokio::test]
async fn start_session_validation() {
    let sim = unlimited().await;
    let p = "/start/start-session";
    let range = "Invalid parameter 'maxDuration': must be between 1000 and 300000";
    expect_400(&sim, p, json!({ "maxDuration": 999 }), "INVALID_PARAMETER", range).await;
    expect_400(&sim, p, json!({ "maxDuration": 300001 }), "INVALID_PARAMETER", range).await;
    expect_400(&sim, p, json!({ "maxDuration": "long" }), "INVALID_PARAMETER", range).await;
    expect_400(&sim, p, json!({ "startingUrl": "amazon.com" }), "INVALID_PARAMETER", "startingUrl").await;
    expect_400(&sim, p, json!({ "startingUrl": "ftp://amazon.com" }), "INVALID_PARAMETER", "startingUrl").await;
    expect_400(&sim, p, json!({ "avoidDomains": "x.com" }), "INVALID_PARAMETER", "avoidDomains").await;
    expect_400(&sim, p, json!({ "mode": "turbo" }), "INVALID_PARAMETER", "mode").await;
    expect_400(&sim, p, json!({ "maxInputTokens": -1 }), "INVALID_PARAMETER", "maxInputTokens").await;
    expect_400(&sim, p, json!({ "terminateOnCompletion": "yes" }), "INVALID_PARAMETER", "terminateOnCompletion").await;
    expect_400(&sim, p, json!({ "taskDetails": "x #sim speed=2" }), "INVALID_TASK_DETAILS", "'speed'").await;
    expect_400(&sim, p, json!({ "taskDetails": "x #sim duration=soon" }), "INVALID_TASK_DETAILS", "duration").await;
    let a = sim
        .post(p, json!({ "maxDuration": 1000, "startingUrl": null, "avoidDomains": ["x.com"], "mode": "default" }))
        .await;
    assert_eq!(a.status, 200);
}

#[tokio::test]
async fn send_message_validation() {
    let sim = unlimited().await;
    let (sid, _) = sim.session("").await;
    let p = "/start/send-message";
    expect_400(&sim, p, json!({ "message": {} }), "MISSING_REQUIRED_FIELD", "sessionId").await;
    expect_400(&sim, p, json!({ "sessionId": sid }), "MISSING_REQUIRED_FIELD", "message").await;
    let m = |message: Value| json!({ "sessionId": sid, "message": message });
    expect_400(&sim, p, m(json!({ "actionType": "dance" })), "INVALID_PARAMETER", "actionType").await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "newTask", "newState": "start" })),
        "MISSING_REQUIRED_FIELD",
        "taskDetails is required",
    )
    .await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "newTask", "newState": "start", "taskDetails": "" })),
        "MISSING_REQUIRED_FIELD",
        "taskDetails is required",
    )
    .await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "newTask", "newState": "start", "taskDetails": "x", "maxDuration": 10 })),
        "INVALID_PARAMETER",
        "maxDuration",
    )
    .await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "newTask", "taskDetails": "x" })),
        "MISSING_REQUIRED_FIELD",
        "newState",
    )
    .await;
    expect_400(&sim, p, m(json!({ "actionType": "state", "newState": "nap" })), "INVALID_PARAMETER", "newState").await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "interaction", "action": { "type": "CLICK", "x": 2000, "y": 300 } })),
        "INVALID_PARAMETER",
        "action.x",
    )
    .await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "interaction", "action": { "type": "KEY_PRESS", "key": "Hyper" } })),
        "INVALID_PARAMETER",
        "action.key",
    )
    .await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "interaction", "action": { "type": "WAVE" } })),
        "INVALID_PARAMETER",
        "action.type",
    )
    .await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "guardrail", "newState": "resume" })),
        "MISSING_REQUIRED_FIELD",
        "taskDetails",
    )
    .await;
    expect_400(
        &sim,
        p,
        m(json!({ "actionType": "newTask", "newState": "start", "taskDetails": "x #sim fail=oops" })),
        "INVALID_TASK_DETAILS",
        "fail",
    )
    .await;
    // Unknown session: 404 with the documented text.
    let a = sim
        .post(p, json!({ "sessionId": "zzzzzzzzzzzz", "message": { "actionType": "state", "newState": "stop" } }))
        .await;
    assert_eq!(a.status, 404);
    assert_eq!(a.body["message"], "Session zzzzzzzzzzzz does not exist or has expired");
    // Invalid JSON.
    let raw = sim
        .http
        .post(sim.url(p))
        .bearer_auth(common::KEY)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
}
