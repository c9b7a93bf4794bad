//! `Client::task_from_completion`: from an answer of the OpenAI-compatible endpoint (served by
//! the simulator) to the task behind it, to poll it or stop it while it streams.

mod common;

use common::{builder, sim, stat};
use enigma::{Error, TaskState};
use serde_json::{Value, json};

const KEY: &str = "enig_openai000000000000000000000";

fn chat(task: &str, stream: bool) -> Value {
    json!({ "model": "enigma-browser-1", "messages": [{ "role": "user", "content": task }], "stream": stream })
}

async fn post(url: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new().post(format!("{url}/v1/chat/completions")).bearer_auth(KEY).json(body).send().await.unwrap()
}

#[tokio::test]
async fn a_completion_leads_to_its_task() {
    let sim = sim().await;
    let client = builder(&sim).api_key(KEY).build().unwrap();
    let completion: Value = post(&sim.url(), &chat("Find a kettle", false)).await.json().await.unwrap();
    let task = client.task_from_completion(&completion).unwrap();
    assert_eq!(Some(task.session_id()), completion["enigma"]["sessionId"].as_str());
    match task.poll().await.unwrap().state {
        TaskState::Completed { message, .. } => {
            assert_eq!(Some(message.as_str()), completion["choices"][0]["message"]["content"].as_str());
        }
        other => panic!("expected completed, got {other:?}"),
    }
}

#[tokio::test]
async fn the_first_chunk_of_a_stream_lets_the_caller_stop_the_task() {
    let sim = sim().await;
    let client = builder(&sim).api_key(KEY).build().unwrap();
    let mut response = post(&sim.url(), &chat("A long one #sim duration=250", true)).await;
    let mut text = String::new();
    while !text.contains("\n\n") {
        text.push_str(&String::from_utf8_lossy(&response.chunk().await.unwrap().expect("the first chunk")));
    }
    let first: Value = serde_json::from_str(text.lines().next().unwrap().trim_start_matches("data:").trim()).unwrap();
    let task = client.task_from_completion(&first).unwrap();
    task.session().stop().await.unwrap();
    while let Some(more) = response.chunk().await.unwrap() {
        text.push_str(&String::from_utf8_lossy(&more));
    }
    assert!(text.contains("\"code\":\"task_stopped\""), "{text}");
    assert!(matches!(task.poll().await.unwrap().state, TaskState::Stopped), "stopped through the helper's handle");
    assert_eq!(stat(&sim, "sessions.open"), 0);
}

#[tokio::test]
async fn a_guardrail_error_body_names_its_task_too() {
    let sim = sim().await;
    let client = builder(&sim).api_key(KEY).build().unwrap();
    let response = post(&sim.url(), &chat("Book #sim guardrail=\"Which day?\"", false)).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let task = client.task_from_completion(&body).unwrap();
    assert_eq!(task.id(), body["error"]["enigma"]["taskId"].as_str());
    let not_one = client.task_from_completion(&json!({ "choices": [] })).unwrap_err();
    assert!(matches!(not_one, Error::Validation { .. }), "{not_one}");
}
