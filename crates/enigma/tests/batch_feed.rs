//! `BatchFeed`, the batch as the bindings read it, against the simulator: made from the
//! caller's values in one call, nothing lost when a caller stops waiting, questions answered
//! by token, values and errors in the caller's spelling.

mod common;

use std::time::Duration;

use common::{client, sim_config, sim_with, stat};
use enigma::binding::Spelling;
use enigma::{BatchFeed, BatchNext, BatchOutcome};
use serde_json::{Value, json};

fn item(next: Option<BatchNext>) -> Box<enigma::BatchItem> {
    match next {
        Some(BatchNext::Item(item)) => item,
        other => panic!("expected an item, got {other:?}"),
    }
}

#[tokio::test]
async fn an_item_given_back_comes_out_first_and_each_task_ends_once() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let tasks = json!(["a #sim duration=1", "b #sim duration=20"]);
    let feed = BatchFeed::start(&client, &tasks, &Value::Null, false, Spelling::Snake).unwrap();
    let first = item(feed.next().await);
    assert_eq!(first.index, 0);
    // The host could not hand `first` over (its caller stopped waiting): it gives it back.
    feed.give_back(BatchNext::Item(first.clone()));
    assert_eq!(item(feed.next().await), first, "the given-back item comes out again, first");
    assert_eq!(item(feed.next().await).index, 1);
    assert_eq!(feed.next().await, None);
    assert_eq!(feed.finished().await["outcomes"]["completed"], 2);
}

#[tokio::test]
async fn a_next_dropped_while_waiting_loses_nothing() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let tasks = json!(["slow #sim duration=50"]);
    let feed = BatchFeed::start(&client, &tasks, &Value::Null, false, Spelling::Camel).unwrap();
    // A caller that gives up (a timeout, an aborted signal) drops the call mid-wait.
    for _ in 0..3 {
        assert!(tokio::time::timeout(Duration::from_millis(20), feed.next()).await.is_err());
    }
    let ended = item(feed.next().await);
    assert_eq!((ended.index, ended.outcome), (0, BatchOutcome::Completed));
    assert_eq!(feed.next().await, None);
}

#[tokio::test]
async fn questions_come_out_with_a_token_and_the_answer_resumes_the_task() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let tasks = json!([{"taskDetails": "buy shoes #sim guardrail=\"Which size?\"", "id": "s"}]);
    let feed = BatchFeed::start(&client, &tasks, &json!({}), true, Spelling::Camel).unwrap();
    let question = feed.next().await.expect("a question");
    let shown = feed.view(&question);
    assert_eq!(shown["question"]["question"], "Which size?");
    assert_eq!(shown["question"]["id"], "s");
    assert!(shown["question"]["sessionId"].is_string() && shown["question"]["taskId"].is_string(), "{shown}");
    let token = u32::try_from(shown["token"].as_u64().unwrap()).unwrap();
    assert!(feed.answer(token, Some("42".into())));
    assert!(!feed.answer(token, Some("43".into())), "a question is answered once");
    let ended = item(feed.next().await);
    assert_eq!(ended.outcome, BatchOutcome::Completed);
    let shown = feed.view(&BatchNext::Item(ended));
    assert_eq!(shown["id"], "s");
    assert!(shown["usage"].as_object().unwrap().keys().all(|k| !k.contains('_')), "Node's usage is camelCase: {shown}");
}

#[tokio::test]
async fn progress_and_summary_are_in_the_callers_spelling() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    for (spelling, previously_done, was_cancelled) in
        [(Spelling::Snake, "previously_done", "was_cancelled"), (Spelling::Camel, "previouslyDone", "wasCancelled")]
    {
        let feed = BatchFeed::start(&client, &json!(["t"]), &Value::Null, false, spelling).unwrap();
        assert_eq!(feed.progress()["total"], 1);
        assert_eq!(feed.progress()[previously_done], 0, "{}", feed.progress());
        while feed.next().await.is_some() {}
        assert!(feed.ended());
        assert_eq!(feed.summary().unwrap()[was_cancelled], false, "{:?}", feed.summary());
    }
}

#[tokio::test]
async fn bad_specs_and_options_name_the_field_as_the_caller_spells_it_before_anything_is_sent() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let refused = |tasks: Value, options: Value, spelling| {
        BatchFeed::start(&client, &tasks, &options, false, spelling).expect_err("refused").to_string()
    };
    let (snake, camel) = (Spelling::Snake, Spelling::Camel);
    let err = refused(json!(["ok", {"task_details": "x", "max_duration": 0}]), Value::Null, snake);
    assert!(err.contains("tasks[1]") && err.contains("max_duration"), "{err}");
    let err = refused(json!(["ok", {"taskDetails": "x", "maxDuration": 0}]), Value::Null, camel);
    assert!(err.contains("tasks[1]") && err.contains("maxDuration"), "{err}");
    // Each language's own spelling only, as for a session's options.
    let err = refused(json!([{"taskDetails": "x", "max_duration": 5}]), Value::Null, camel);
    assert!(err.contains("tasks[0]: unknown option 'max_duration'"), "{err}");
    let err = refused(json!([{"task": "x", "timeoutMs": 5}]), Value::Null, snake);
    assert!(err.contains("unknown option 'timeoutMs'"), "{err}");
    let err = refused(json!([{"task": "x", "timeoutMs": "soon"}]), Value::Null, camel);
    assert!(err.contains("tasks[0]: timeoutMs invalid type"), "{err}");
    let err = refused(json!([{"task": "x", "terminateOnCompletion": true}]), Value::Null, camel);
    assert!(err.contains("unknown option 'terminateOnCompletion'"), "the batch owns its sessions' end: {err}");
    let err = refused(json!([""]), Value::Null, camel);
    assert!(err.contains("tasks[0]: taskDetails"), "{err}");
    let err = refused(json!(["ok"]), json!({"tasksPerSession": 0}), camel);
    assert!(err.contains("tasksPerSession"), "{err}");
    let err = refused(json!(["ok"]), json!({"tasks_per_session": 0}), snake);
    assert!(err.contains("tasks_per_session"), "{err}");
    let err = refused(json!(["ok"]), json!({"concurrency": "many"}), snake);
    assert!(err.contains("concurrency"), "{err}");
    let err = refused(json!(["ok"]), json!({"colour": 1}), snake);
    assert!(err.contains("colour"), "{err}");
    assert_eq!(stat(&sim, "requests.total"), 0);
}

#[tokio::test]
async fn a_spec_in_the_callers_spelling_reaches_the_service_with_its_options() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let tasks =
        json!([{"task_details": "t", "id": 7, "max_cost": 5.0, "timeout": 30, "starting_url": "https://a.example"}]);
    let options = json!({"concurrency": 2, "budget": null, "skip_invalid": true});
    let feed = BatchFeed::start(&client, &tasks, &options, false, Spelling::Snake).unwrap();
    let ended = item(feed.next().await);
    assert_eq!((ended.id.as_deref(), ended.outcome), (Some("7"), BatchOutcome::Completed));
    assert_eq!(feed.finished().await["concurrency_end"], 2);
}

/// A wait for the key's rate limit comes out of the feed as it begins (for the bindings'
/// progress bars), in the caller's spelling, and the progress counts it.
#[tokio::test]
async fn a_wait_for_the_rate_limit_is_a_notice_of_the_feed() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    common::fault(
        &sim,
        json!({"endpoint": "POST /start/start-session", "status": 429, "code": "RATE_LIMIT_EXCEEDED", "retryAfter": 1}),
    )
    .await;
    let feed = BatchFeed::start(&client, &json!(["a #sim duration=1"]), &Value::Null, false, Spelling::Snake).unwrap();
    let mut waits = Vec::new();
    let mut items = 0;
    while let Some(next) = feed.next().await {
        match next {
            BatchNext::RateLimitWait(wait) => waits.push(feed.view(&BatchNext::RateLimitWait(wait))),
            BatchNext::Item(_) => items += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(items, 1);
    assert_eq!(waits.len(), 1, "{waits:?}");
    let wait = &waits[0]["rate_limit_wait"];
    assert_eq!(wait["message"], "waiting for the rate limit: next create in 1 s", "{wait}");
    assert_eq!(wait["what"], "creates");
    assert!(wait["until_ms"].is_u64(), "{wait}");
    assert_eq!(feed.progress()["rate_limit_waits"], 1);
    assert!(feed.progress()["rate_limit_wait"].is_null(), "the wait is over");
}

/// The pacer's own waits, for room in the key's window, are waits for the rate limit too.
#[tokio::test]
async fn the_pacer_waiting_for_room_in_the_window_is_a_rate_limit_wait() {
    let window = Duration::from_secs(1);
    let sim = sim_with(enigma_sim::SimConfig { rate_limit: Some(2), rate_limit_window: window, ..sim_config() }).await;
    let client = client(&sim);
    let options = enigma::BatchOptions { rate_window: window, concurrency: 1, ..enigma::BatchOptions::default() };
    let specs = (0..4).map(|i| enigma::TaskSpec::new(format!("t{i} #sim duration=1"))).collect();
    let mut notices = client.rate_limit_notices();
    let mut batch = client.run_many(specs, options).unwrap();
    while batch.next().await.is_some() {}
    assert!(batch.progress().rate_limit_waits >= 1, "{:?}", batch.progress());
    let wait = notices.next().await.unwrap();
    assert!(wait.message.starts_with("waiting for the rate limit: 2 creates per 1 s, next in"), "{}", wait.message);
    assert_eq!(stat(&sim, "requests.rateLimited"), 0, "the pacer waited instead of collecting 429s");
}
