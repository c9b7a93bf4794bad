//! Bad input is refused with a typed error naming the field, before any request is sent.

mod common;

use std::time::Duration;

use common::*;
use enigma::{
    Client, Error, GuardrailDecision, Message, RunTaskOptions, SessionOptions, TaskOptions, Typing, WaitOptions,
};

fn field(err: Error) -> String {
    match err {
        Error::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn every_validation_error_is_local() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.session("abcdefabcdef").unwrap();
    let mut fields = Vec::new();
    fields.push(field(client.start_session(SessionOptions::new().max_duration(Duration::ZERO)).await.unwrap_err()));
    fields.push(field(
        client.start_session(SessionOptions::new().max_duration(Duration::from_millis(300_001))).await.unwrap_err(),
    ));
    fields.push(field(
        client.start_session(SessionOptions::new().starting_url("javascript:alert(1)")).await.unwrap_err(),
    ));
    let tokens = SessionOptions { max_input_tokens: Some(0), ..SessionOptions::new() };
    fields.push(field(client.start_session(tokens).await.unwrap_err()));
    fields.push(field(client.run_task(RunTaskOptions::new("   ")).await.unwrap_err()));
    fields.push(field(client.start_task(SessionOptions::new()).await.unwrap_err()));
    fields.push(field(session.new_task(TaskOptions::new("")).await.unwrap_err()));
    fields.push(field(session.new_task(TaskOptions::new("x").max_duration(Duration::ZERO)).await.unwrap_err()));
    fields.push(field(session.click(1025, 300).await.unwrap_err()));
    fields.push(field(session.click(10, 154).await.unwrap_err()));
    fields.push(field(session.double_click(10, 756).await.unwrap_err()));
    fields.push(field(session.type_text("", Typing::Instant).await.unwrap_err()));
    fields.push(field(session.press_key("").await.unwrap_err()));
    fields.push(field(session.answer_guardrail("  ", GuardrailDecision::Resume).await.unwrap_err()));
    fields.push(field(
        session
            .send(Message::Interaction { action: enigma::Interaction::KeyPress { key: String::new() } })
            .await
            .unwrap_err(),
    ));
    let task = session.task("abcdefabcdef").unwrap();
    fields.push(field(task.result(WaitOptions::new().max_cost(0.0)).await.unwrap_err()));
    fields.push(field(client.session("../etc").unwrap_err()));
    fields.push(field(Client::builder().base_url("ftp://x").build().unwrap_err()));
    assert_eq!(
        fields,
        [
            "max_duration",
            "max_duration",
            "starting_url",
            "max_input_tokens",
            "task_details",
            "task_details",
            "task_details",
            "max_duration",
            "x",
            "y",
            "y",
            "text",
            "key",
            "text",
            "key",
            "max_cost",
            "session_id",
            "base_url"
        ]
    );
    assert_eq!(stat(&sim, "requests.total"), 0, "nothing was sent: {}", sim.stats_json());
}

#[tokio::test]
async fn the_key_is_not_sent_over_plain_http_to_a_remote_host() {
    let client = Client::builder().api_key(key()).base_url("http://enigma.example.com").build().unwrap();
    let err = client.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!(err.code(), "insecure_transport");
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
}
