//! The OpenAI-compatible endpoints (`/v1/chat/completions`, `/v1/models`) over plain HTTP: the
//! shapes the OpenAI SDKs read (their own tests are in python/tests/test_openai_sdk.py and
//! node/test/openai-sdk.test.mjs).

mod common;

use common::{KEY, Sim, fast};
use enigma_sim::{Fault, SimConfig};
use serde_json::{Value, json};

fn chat(task: &str) -> Value {
    json!({ "model": "enigma-browser-1", "messages": [
        { "role": "system", "content": "You drive a browser." },
        { "role": "user", "content": task },
    ] })
}

#[tokio::test]
async fn a_completion_runs_one_session_and_ends_it() {
    let sim = Sim::fast().await;
    let a = sim.post("/v1/chat/completions", chat("Find the price of a kettle #sim cost=0.25")).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["object"], "chat.completion");
    assert_eq!(a.body["model"], "enigma-browser-1");
    let choice = &a.body["choices"][0];
    assert_eq!(choice["message"]["role"], "assistant");
    assert_eq!(choice["finish_reason"], "stop");
    assert!(choice["message"]["content"].as_str().unwrap().contains("Find the price of a kettle"));
    let usage = &a.body["usage"];
    assert_eq!(
        usage["total_tokens"].as_u64().unwrap(),
        usage["prompt_tokens"].as_u64().unwrap() + usage["completion_tokens"].as_u64().unwrap()
    );
    let enigma = &a.body["enigma"];
    assert_eq!(enigma["cost"], 0.25);
    let (sid, tid) = (enigma["sessionId"].as_str().unwrap(), enigma["taskId"].as_str().unwrap());
    // The task stays pollable after its session ended.
    let poll = sim.poll(sid, tid).await;
    assert_eq!(poll["type"], "task_completed");
    let stats = sim.handle.stats();
    assert_eq!((stats.sessions.total, stats.sessions.open), (1, 0));
    assert_eq!(stats.requests_to("POST /v1/chat/completions"), 1);
}

/// The `data:` payloads of an SSE body.
fn sse_data(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn a_stream_sends_the_role_the_content_a_stop_and_done() {
    let sim = Sim::fast().await;
    let mut body = chat("Read the headline #sim message=\"Rain expected on Tuesday afternoon in the north\"");
    body["stream"] = json!(true);
    let response = sim.http.post(sim.url("/v1/chat/completions")).bearer_auth(KEY).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let data = sse_data(&response.text().await.unwrap());
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
    let chunks: Vec<Value> = data[..data.len() - 1].iter().map(|d| serde_json::from_str(d).unwrap()).collect();
    assert!(chunks.iter().all(|c| c["object"] == "chat.completion.chunk"));
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    assert!(chunks[0]["enigma"]["taskId"].is_string(), "the first chunk names the task");
    let last = chunks.last().unwrap();
    assert_eq!(last["choices"][0]["delta"], json!({}));
    assert_eq!(last["choices"][0]["finish_reason"], "stop");
    assert!(last["enigma"]["cost"].is_number());
    let middle = &chunks[1..chunks.len() - 1];
    assert!(middle.len() > 1, "the content comes in several deltas");
    let text: String = middle.iter().map(|c| c["choices"][0]["delta"]["content"].as_str().unwrap()).collect();
    assert_eq!(text, "Rain expected on Tuesday afternoon in the north");
    assert_eq!(sim.handle.stats().sessions.open, 0);
}

#[tokio::test]
async fn a_guardrail_fails_the_request_and_ends_the_session() {
    let sim = Sim::fast().await;
    let a = sim.post("/v1/chat/completions", chat("Book a table #sim guardrail=\"Which day?\"")).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(a.headers["x-should-retry"], "false", "a repeat would open another session");
    let error = &a.body["error"];
    assert_eq!(error["type"], "guardrail_error");
    assert_eq!(error["code"], "guardrail_triggered");
    assert_eq!(error["message"], "Guardrail triggered: Which day?");
    assert!(error["enigma"]["sessionId"].is_string());
    assert_eq!(sim.handle.stats().sessions.open, 0);
}

#[tokio::test]
async fn errors_take_openai_shape_with_the_service_statuses() {
    let sim = Sim::start(SimConfig { rate_limit: None, ..fast() }).await;
    let none = sim.post_as(None, "/v1/chat/completions", chat("x")).await;
    assert_eq!((none.status, none.body["error"]["code"].as_str()), (401, Some("unauthorized")));
    assert_eq!(none.body["error"]["type"], "authentication_error");
    let bad = sim.get_as("sk-not-enigma", "/v1/models").await;
    assert_eq!((bad.status, bad.body["error"]["code"].as_str()), (401, Some("invalid_api_key")));
    let model = sim.post("/v1/chat/completions", json!({ "model": "gpt-4o", "messages": [] })).await;
    assert_eq!((model.status, model.body["error"]["code"].as_str()), (404, Some("model_not_found")));
    let no_user = sim.post("/v1/chat/completions", json!({ "model": "enigma-browser-1", "messages": [] })).await;
    assert_eq!((no_user.status, no_user.body["error"]["param"].as_str()), (400, Some("messages")));
    assert_eq!(sim.handle.stats().sessions.total, 0, "nothing opened for a refused request");
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let sim = Sim::start(SimConfig { rate_limit: Some(1), ..fast() }).await;
    let first = sim.post("/v1/chat/completions", chat("first")).await;
    let second = sim.post("/v1/chat/completions", chat("second")).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.headers["x-ratelimit-limit"], "1");
    assert_eq!(second.status, 429);
    assert_eq!(second.body["error"]["code"], "rate_limit_exceeded");
    assert!(second.headers.contains_key("retry-after"));
    assert_eq!(sim.handle.stats().sessions.total, 1);
}

#[tokio::test]
async fn faults_and_the_balance_apply_as_elsewhere() {
    let sim = Sim::start(SimConfig { rate_limit: None, ..fast() }).await;
    sim.handle.add_fault(Fault::new("POST /v1/chat/completions").status(503)).unwrap();
    let a = sim.post("/v1/chat/completions", chat("x")).await;
    assert_eq!((a.status, a.body["error"]["code"].as_str()), (503, Some("instance_unavailable")));
    let broke = sim.post_as(Some("enig_broke000000000000000000000000"), "/v1/chat/completions", chat("x")).await;
    assert_eq!((broke.status, broke.body["error"]["code"].as_str()), (402, Some("insufficient_balance")));
    let models = sim.get_as(KEY, "/v1/models").await;
    assert_eq!(models.body["data"][0]["id"], "enigma-browser-1");
    assert_eq!(sim.handle.stats().sessions.total, 0);
}

#[tokio::test]
async fn a_client_that_leaves_a_stream_leaves_no_session_open() {
    let sim = Sim::fast().await;
    let mut body = chat("A long one #sim duration=250");
    body["stream"] = json!(true);
    let mut response =
        sim.http.post(sim.url("/v1/chat/completions")).bearer_auth(KEY).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let mut first = String::new();
    while !first.contains("\n\n") {
        let chunk = response.chunk().await.unwrap();
        first.push_str(&String::from_utf8_lossy(&chunk.expect(&first)));
    }
    assert!(first.contains("\"role\":\"assistant\""), "{first}");
    assert_eq!(sim.handle.stats().sessions.open, 1);
    drop(response);
    for _ in 0..200 {
        if sim.handle.stats().sessions.open == 0 {
            return;
        }
        common::sleep_ms(50).await;
    }
    panic!("the session of a stream whose client left is still open");
}
