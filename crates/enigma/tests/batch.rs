//! The batch runner against the simulator: limits, pacing, budget, journal, unknown creates,
//! guardrails, shared sessions, cancellation.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use common::{client, sim_config, sim_with, stat, until_no_session_open};
use enigma::{Batch, BatchItem, BatchOptions, BatchOutcome, TaskSpec};
use enigma_sim::SimConfig;

fn specs(n: usize, directive: &str) -> Vec<TaskSpec> {
    (0..n).map(|i| TaskSpec::new(format!("task {i} #sim {directive}"))).collect()
}

async fn collect(mut batch: Batch) -> (Vec<BatchItem>, enigma::BatchSummary) {
    let mut items = Vec::new();
    while let Some(item) = batch.next().await {
        items.push(item);
    }
    (items, batch.finished().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_tasks_under_the_default_limits_each_end_once_without_429s() {
    // The service's limits (10 POSTs per window, 5 sessions), with a 1 s window so it runs fast.
    let sim =
        sim_with(SimConfig { rate_limit: Some(10), rate_limit_window: Duration::from_secs(1), ..sim_config() }).await;
    let client = client(&sim);
    let options = BatchOptions { rate_window: Duration::from_secs(1), ..BatchOptions::default() };
    let (items, summary) = collect(client.run_many(specs(200, "duration=5"), options).unwrap()).await;
    let indexes: BTreeSet<usize> = items.iter().map(|i| i.index).collect();
    assert_eq!(items.len(), 200, "one item per task");
    assert_eq!(indexes.len(), 200, "each task ends exactly once");
    assert!(
        items.iter().all(|i| i.outcome == BatchOutcome::Completed),
        "{:?}",
        items.iter().find(|i| i.outcome != BatchOutcome::Completed)
    );
    assert_eq!(summary.count(BatchOutcome::Completed), 200);
    assert_eq!(stat(&sim, "tasks.started"), 200, "no task created twice");
    assert!(stat(&sim, "sessions.maxOpenPerKey") <= 5, "{}", sim.stats_json()["sessions"]);
    let (limited, requests) = (stat(&sim, "requests.rateLimited"), stat(&sim, "requests.total"));
    eprintln!("200 tasks: {requests} requests, {limited} refused with 429, {:.1}s", summary.wall_secs);
    assert!(limited * 50 <= requests, "429s {limited} of {requests} requests (more than 2%)");
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn the_budget_stops_running_tasks_and_starts_no_new_ones() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let options = BatchOptions { budget: Some(1.0), ..BatchOptions::default() };
    let (items, summary) = collect(client.run_many(specs(20, "duration=60 cost=0.5"), options).unwrap()).await;
    assert!(summary.budget_reached, "{summary:?}");
    assert!(summary.not_started > 0, "{summary:?}");
    assert!(
        items
            .iter()
            .any(|i| i.outcome == BatchOutcome::Stopped && i.error.as_ref().is_some_and(|e| e.code == "budget")),
        "{items:?}"
    );
    assert!(stat(&sim, "commands.byMessage.state:stop") >= 1, "stops sent: {}", sim.stats_json()["commands"]);
    assert_eq!(stat(&sim, "tasks.started") as usize, items.len(), "nothing started past the budget");
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn a_per_task_max_cost_stops_that_task() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let mut spec = TaskSpec::new("expensive #sim duration=60 cost=5");
    spec.max_cost = Some(0.2);
    let (items, _) = collect(client.run_many(vec![spec], BatchOptions::default()).unwrap()).await;
    assert_eq!(items[0].outcome, BatchOutcome::Stopped);
    assert_eq!(items[0].error.as_ref().unwrap().code, "cost_limit");
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn lost_create_answers_are_unknown_and_resubmitted_only_when_asked() {
    let sim = sim_with(sim_config()).await;
    let http = reqwest::Client::new();
    let fault = serde_json::json!({"endpoint": "POST /start/start-session", "action": "drop", "count": 2});
    http.post(format!("{}/_sim/faults", sim.url())).json(&fault).send().await.unwrap();
    let dir = tempdir();
    let journal = dir.join("run.jsonl");
    let client = client(&sim);
    let options = BatchOptions { concurrency: 1, journal: Some(journal.clone()), ..BatchOptions::default() };
    let (items, _) = collect(client.run_many(specs(6, ""), options.clone()).unwrap()).await;
    let unknown: Vec<_> = items.iter().filter(|i| i.outcome == BatchOutcome::Unknown).collect();
    assert_eq!(unknown.len(), 2, "{items:?}");
    assert_eq!(unknown[0].error.as_ref().unwrap().code, "outcome_unknown");
    assert_eq!(stat(&sim, "tasks.started"), 6, "the lost ones were created once, not resubmitted");

    // A rerun with the journal sends nothing: the finished ones and the unknown ones are done.
    let (again, summary) = collect(client.run_many(specs(6, ""), options.clone()).unwrap()).await;
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(summary.previously_done, 6);
    assert_eq!(stat(&sim, "tasks.started"), 6);

    // retry_unknown is the explicit choice to run them again.
    let retry = BatchOptions { retry_unknown: true, ..options };
    let (retried, _) = collect(client.run_many(specs(6, ""), retry).unwrap()).await;
    assert_eq!(retried.len(), 2);
    assert!(retried.iter().all(|i| i.outcome == BatchOutcome::Completed));
    assert_eq!(stat(&sim, "tasks.started"), 8);
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn a_journal_with_a_torn_last_line_is_repaired_and_reported() {
    let sim = sim_with(sim_config()).await;
    let dir = tempdir();
    let journal = dir.join("run.jsonl");
    let client = client(&sim);
    let options = BatchOptions { journal: Some(journal.clone()), ..BatchOptions::default() };
    collect(client.run_many(specs(3, ""), options.clone()).unwrap()).await;
    let mut text = std::fs::read_to_string(&journal).unwrap();
    let torn_line = text.lines().count() + 1;
    text.push_str("{\"i\":1,\"event\":\"ende");
    std::fs::write(&journal, text).unwrap();
    let (items, summary) = collect(client.run_many(specs(3, ""), options).unwrap()).await;
    assert!(items.is_empty());
    assert_eq!(summary.journal_torn_line, Some(torn_line), "{summary:?}");
    assert!(std::fs::read_to_string(&journal).unwrap().ends_with('\n'), "the torn line was cut off");
}

#[tokio::test]
async fn a_journal_that_does_not_match_the_input_is_refused_before_anything_is_sent() {
    let sim = sim_with(sim_config()).await;
    let dir = tempdir();
    let journal = dir.join("run.jsonl");
    let client = client(&sim);
    let options = BatchOptions { journal: Some(journal), ..BatchOptions::default() };
    collect(client.run_many(specs(2, ""), options.clone()).unwrap()).await;
    let requests = stat(&sim, "requests.total");
    let other = vec![TaskSpec::new("something else"), TaskSpec::new("and more")];
    let err = client.run_many(other, options).unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(err.to_string().contains("does not match"), "{err}");
    assert_eq!(stat(&sim, "requests.total"), requests);
}

#[tokio::test]
async fn a_guardrail_ends_its_task_by_default_and_a_handler_can_answer_it() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let task = "buy shoes #sim guardrail=\"Which size?\"";
    let (items, _) = collect(client.run_many(vec![TaskSpec::new(task)], BatchOptions::default()).unwrap()).await;
    assert_eq!(items[0].outcome, BatchOutcome::Guardrail);
    assert_eq!(items[0].question.as_deref(), Some("Which size?"));
    until_no_session_open(&sim).await;

    let handler: enigma::GuardrailHandler =
        Arc::new(|q| Box::pin(async move { (q.question == "Which size?").then(|| "42".to_owned()) }));
    let options = BatchOptions { on_guardrail: Some(handler), ..BatchOptions::default() };
    let (items, _) = collect(client.run_many(vec![TaskSpec::new(task)], options).unwrap()).await;
    assert_eq!(items[0].outcome, BatchOutcome::Completed, "{items:?}");
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn tasks_per_session_runs_tasks_in_sequence_in_fewer_sessions() {
    let sim = sim_with(sim_config()).await;
    let client = client(&sim);
    let options = BatchOptions { concurrency: 2, tasks_per_session: 3, ..BatchOptions::default() };
    let (items, _) = collect(client.run_many(specs(6, ""), options).unwrap()).await;
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(|i| i.outcome == BatchOutcome::Completed), "{items:?}");
    assert_eq!(stat(&sim, "sessions.total"), 2);
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn a_session_limit_lowers_the_concurrency_without_failing_tasks() {
    let sim = sim_with(SimConfig { max_sessions: 2, ..sim_config() }).await;
    let client = client(&sim);
    let (items, summary) = collect(client.run_many(specs(10, "duration=10"), BatchOptions::default()).unwrap()).await;
    assert_eq!(items.len(), 10);
    assert!(items.iter().all(|i| i.outcome == BatchOutcome::Completed), "{items:?}");
    assert!(summary.concurrency_end <= 2, "{summary:?}");
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn cancelling_terminates_every_session_and_journals_the_interrupted_tasks() {
    let sim = sim_with(sim_config()).await;
    let dir = tempdir();
    let journal = dir.join("run.jsonl");
    let client = client(&sim);
    let options = BatchOptions { journal: Some(journal.clone()), ..BatchOptions::default() };
    let batch = client.run_many(specs(10, "duration=1000"), options.clone()).unwrap();
    while stat(&sim, "tasks.running") < 5 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    batch.cancel();
    let summary = batch.finished().await;
    assert!(summary.was_cancelled);
    assert_eq!(summary.cancelled, 5, "{summary:?}");
    assert_eq!(stat(&sim, "sessions.open"), 0, "every session terminated before finished() returned");
    let text = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(text.matches("\"event\":\"cancelled\"").count(), 5, "{text}");
}

fn tempdir() -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("enigma-batch-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
