//! Every documented shape of one answer (docs/api-contract.md §10) read to the same result:
//! against a simulator answering in each variant (`SimConfig::answer_variants`), one by one and
//! all together, a task run through the SDK ends with the same outcome, message and usage (cost
//! and tokens) as against the default answers. Each run covers both paths of an answer: a quick
//! task's inline result and a longer task's pending answer followed by polls (live events off)
//! or by its `task_completed` event (live events on), for `run_task` and for
//! `session.new_task` + `task.result`.

mod common;

use std::time::Duration;

use common::{builder, sim_config, sim_with, until_no_session_open};
use enigma::{Client, Outcome, RunTaskOptions, SessionOptions, TaskOptions, TaskResult, WaitOptions};
use enigma_sim::{AnswerVariant, SimConfig, SimHandle};

/// Ends within the inline wait (3 simulated seconds of 20): answered inline.
const QUICK: &str = "Find the opening hours of the Louvre";
/// Outlasts the inline wait: answered pending, then polled (or told by its event).
const SLOW: &str = "Compare the prices of three keyboards #sim duration=60 cost=0.4 tokens=5000";

/// What must not depend on the answer's shape.
#[derive(Debug, PartialEq)]
struct Seen {
    outcome: Outcome,
    message: Option<String>,
    cost: Option<f64>,
    input_tokens: Option<u64>,
    output_tokens: Option<u64>,
    total_tokens: Option<u64>,
}

impl From<&TaskResult> for Seen {
    fn from(result: &TaskResult) -> Seen {
        Seen {
            outcome: result.outcome,
            message: result.message.clone(),
            cost: result.usage.cost,
            input_tokens: result.usage.input_tokens,
            output_tokens: result.usage.output_tokens,
            total_tokens: result.usage.total_tokens,
        }
    }
}

/// How a result was told: by the inline answer (`result` wrapper), a poll (flat, with
/// `success`) or an event (flat, no `success`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Path {
    Inline,
    Poll,
    Event,
}

fn path(result: &TaskResult) -> Path {
    match (result.raw.get("result").is_some(), result.raw.get("success").is_some()) {
        (true, _) => Path::Inline,
        (false, true) => Path::Poll,
        (false, false) => Path::Event,
    }
}

/// A simulator answering in `variants`, with an inline wait of 20 simulated seconds (200 ms).
async fn sim(variants: &[AnswerVariant]) -> SimHandle {
    let config = SimConfig { answer_variants: variants.to_vec(), inline_wait: Duration::from_secs(20), ..sim_config() };
    sim_with(config).await
}

/// The results of QUICK and SLOW, each run through `run_task` and through `new_task` +
/// `result`, by a client with live events off (inline and polled) and one with them on.
/// Returns them as (label, path, what was seen).
async fn results(variants: &[AnswerVariant]) -> Vec<(String, Path, Seen)> {
    let sim = sim(variants).await;
    let clients = [("polling", builder(&sim).live_events(false).build().unwrap()), ("live", common::client(&sim))];
    let mut seen = Vec::new();
    for (mode, client) in &clients {
        for (name, text) in [("quick", QUICK), ("slow", SLOW)] {
            let result = run_task(client, text).await;
            seen.push((format!("{mode} run_task {name}"), path(&result), Seen::from(&result)));
            let result = new_task(client, text).await;
            seen.push((format!("{mode} new_task {name}"), path(&result), Seen::from(&result)));
        }
    }
    until_no_session_open(&sim).await;
    seen
}

async fn run_task(client: &Client, text: &str) -> TaskResult {
    let options = RunTaskOptions { wait: wait(), ..RunTaskOptions::new(text) };
    client.run_task(options).await.unwrap_or_else(|e| panic!("run_task({text:?}): {e}"))
}

async fn new_task(client: &Client, text: &str) -> TaskResult {
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new(text)).await.unwrap_or_else(|e| panic!("new_task({text:?}): {e}"));
    let result = task.result(wait()).await.unwrap_or_else(|e| panic!("new_task({text:?}).result: {e}"));
    session.terminate().await.unwrap();
    result
}

fn wait() -> WaitOptions {
    WaitOptions::new().timeout(Duration::from_secs(20))
}

/// Runs the tasks against `variants` and against the default answers, and checks that every
/// result is the same, and that the polling client took each path it should.
async fn same_as_default(variants: &[AnswerVariant]) {
    let expected = results(&[]).await;
    let got = results(variants).await;
    assert_eq!(got.len(), expected.len());
    for ((label, path, seen), (_, _, default)) in got.iter().zip(&expected) {
        assert_eq!(seen, default, "{label} under {variants:?} (told by {path:?})");
        assert_eq!(seen.outcome, Outcome::Completed, "{label}");
        assert!(seen.cost.is_some_and(|c| c > 0.0) && seen.input_tokens.is_some(), "{label}: {seen:?}");
        assert_eq!(seen.total_tokens, seen.input_tokens.zip(seen.output_tokens).map(|(i, o)| i + o), "{label}");
        if label.starts_with("polling") {
            let want = if label.ends_with("quick") { Path::Inline } else { Path::Poll };
            assert_eq!(*path, want, "{label} under {variants:?}");
        }
    }
}

#[tokio::test]
async fn inline_without_status() {
    same_as_default(&[AnswerVariant::InlineWithoutStatus]).await;
}

#[tokio::test]
async fn result_without_type() {
    same_as_default(&[AnswerVariant::ResultWithoutType]).await;
}

#[tokio::test]
async fn pending_flag_only() {
    same_as_default(&[AnswerVariant::PendingFlagOnly]).await;
}

#[tokio::test]
async fn pending_status_only() {
    same_as_default(&[AnswerVariant::PendingStatusOnly]).await;
}

#[tokio::test]
async fn usage_in_data() {
    same_as_default(&[AnswerVariant::UsageInData]).await;
}

#[tokio::test]
async fn snake_case_usage() {
    same_as_default(&[AnswerVariant::SnakeCaseUsage]).await;
}

/// All together (the two pending markers exclude each other: once with each).
#[tokio::test]
async fn all_variants_together() {
    for leave_out in [AnswerVariant::PendingStatusOnly, AnswerVariant::PendingFlagOnly] {
        let all: Vec<AnswerVariant> = AnswerVariant::ALL.into_iter().filter(|v| *v != leave_out).collect();
        same_as_default(&all).await;
    }
}

/// The snake_case usage gives no compute time; every other figure is the same.
#[tokio::test]
async fn without_the_camel_case_usage_only_the_compute_time_is_unknown() {
    let sim = sim(&[AnswerVariant::SnakeCaseUsage, AnswerVariant::UsageInData]).await;
    let client = builder(&sim).live_events(false).build().unwrap();
    let result = run_task(&client, QUICK).await;
    assert_eq!(path(&result), Path::Inline);
    assert_eq!(result.usage.compute_time, None, "{:?}", result.usage);
    assert!(result.usage.completion_time.is_some(), "{:?}", result.usage);
    let default = sim_with(SimConfig { inline_wait: Duration::from_secs(20), ..sim_config() }).await;
    let client = builder(&default).live_events(false).build().unwrap();
    let result = run_task(&client, QUICK).await;
    assert!(result.usage.compute_time.is_some(), "{:?}", result.usage);
}
