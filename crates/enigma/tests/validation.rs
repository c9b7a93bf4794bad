//! Bad input is refused with a typed error naming the field, before any request is sent.

mod common;

use common::*;
use enigma::{Client, Error, Message, RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};

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
    fields.push(field(client.start_session(SessionOptions::new().max_duration(0)).await.unwrap_err()));
    fields.push(field(client.start_session(SessionOptions::new().max_duration(300_001)).await.unwrap_err()));
    fields.push(field(
        client.start_session(SessionOptions::new().starting_url("javascript:alert(1)")).await.unwrap_err(),
    ));
    let tokens = SessionOptions { max_input_tokens: Some(0), ..SessionOptions::new() };
    fields.push(field(client.start_session(tokens).await.unwrap_err()));
    fields.push(field(client.run_task(RunTaskOptions::new("   ")).await.unwrap_err()));
    fields.push(field(client.start_task(SessionOptions::new()).await.unwrap_err()));
    fields.push(field(session.new_task(TaskOptions::new("")).await.unwrap_err()));
    fields.push(field(session.new_task(TaskOptions::new("x").max_duration(0)).await.unwrap_err()));
    fields.push(field(session.click(1025, 300).await.unwrap_err()));
    fields.push(field(session.click(10, 154).await.unwrap_err()));
    fields.push(field(session.double_click(10, 756).await.unwrap_err()));
    fields.push(field(session.type_text("", false).await.unwrap_err()));
    fields.push(field(session.press_key("").await.unwrap_err()));
    fields.push(field(session.answer_guardrail("  ", true).await.unwrap_err()));
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
    assert_eq!(stat(&sim, "requests.total"), 0, "nothing was sent: {}", sim.stats());
}

#[tokio::test]
async fn the_key_is_not_sent_over_plain_http_to_a_remote_host() {
    let client = Client::builder().api_key(key()).base_url("http://enigma.example.com").build().unwrap();
    let err = client.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!(err.code(), "insecure_transport");
    assert!(err.to_string().contains("allow_insecure_http"), "{err}");
}

/// A key no option has is named as the caller wrote it (not renamed into the one it resembles),
/// with the nearest known key suggested: in a binding's spelling, and in a batch file's line.
#[test]
fn an_unknown_key_is_named_as_written_with_the_nearest_known_one() {
    use enigma::binding::{Spelling, run_task_options};
    use serde_json::json;

    let err = run_task_options(json!({"taskDetails": "x", "max_duration": 5}), Spelling::Camel).unwrap_err();
    assert_eq!(err.field, "max_duration");
    let err = Error::from(err);
    assert_eq!(field(err.clone()), "max_duration");
    assert!(
        err.to_string().starts_with("invalid max_duration: is not an option here; did you mean `maxDuration`?"),
        "{err}"
    );
    let err = run_task_options(json!({"task_details": "x", "maxCots": 5}), Spelling::Snake).unwrap_err();
    assert_eq!(err.field, "maxCots");
    assert!(err.reason.contains("did you mean `max_cost`?"), "{}", err.reason);

    let line = enigma::TaskSpec::from_value(&json!({"task": "x", "maxCots": 1}), "line 3").unwrap_err();
    assert_eq!(field(line.clone()), "line 3");
    assert!(line.to_string().contains("unknown option 'maxCots'; did you mean `maxCost`?"), "{line}");
}

/// Without a key, the error says how to get going: the key, or the simulator, whose Rust line
/// (shown in the message, and run here as written) gives a working client.
#[tokio::test]
async fn without_a_key_the_error_shows_the_simulators_line() {
    let sim = sim().await;
    let keyless = Client::builder().api_key("").base_url(sim.url()).build().unwrap();
    let err = keyless.run_task(RunTaskOptions::new("Find the opening hours")).await.unwrap_err();
    assert_eq!(err.code(), "authentication");
    let message = err.to_string();
    assert!(message.starts_with("no API key: set ENIGMA_API_KEY"), "{message}");
    let line = "let sim = enigma_sim::Simulator::start(Default::default()).await?; \
                let client = enigma::Client::builder().api_key(\"enig_test\").base_url(sim.url()).build()?;";
    assert!(message.contains(&format!("Rust: `{line}`")), "{message}");
    assert!(message.contains("enigma run"), "the CLI's way too: {message}");
    assert!(!message.contains("startSimulator") && !message.contains("enigma.testing"), "{message}");

    let run = async {
        let sim = enigma_sim::Simulator::start(Default::default()).await?;
        let client = enigma::Client::builder().api_key("enig_test").base_url(sim.url()).build()?;
        let result = client.run_task(RunTaskOptions::new("Find the opening hours #sim duration=1")).await?;
        Ok::<_, Box<dyn std::error::Error>>(result.outcome)
    };
    assert_eq!(run.await.unwrap(), enigma::Outcome::Completed);
}
