//! The SDK against a service that gives only what its docs promise (the simulator's
//! `strict_docs`): no id for a session's initial task, no task ids on events but
//! `task_completed`, no acks, no `task_stopped`, no `paused`. Every flow still ends with the
//! task's real outcome, and the guards of a task (ceiling, deadline) still hold their bound.

mod common;

use std::time::Duration;

use common::{builder, key, sim_with, stat, until_no_session_open};
use enigma::{
    BatchOptions, BatchOutcome, Client, Outcome, RunTaskOptions, SessionOptions, TaskOptions, TaskSpec, WaitOptions,
};
use enigma_sim::{SimConfig, SimHandle};
use tokio::time::Instant;

async fn strict() -> SimHandle {
    sim_with(SimConfig { strict_docs: true, ..common::sim_config() }).await
}

#[tokio::test]
async fn a_one_shot_task_completes_and_is_named_by_its_completion() {
    let sim = strict().await;
    let client = common::client(&sim);
    let result = client.run_task(RunTaskOptions::new("Find the opening hours of the Louvre")).await.unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    assert!(result.message.unwrap().contains("Louvre"));
    assert_eq!(result.task_id.len(), 12, "named by task_completed's documented taskId");
    until_no_session_open(&sim).await;
    assert!(client.open_session_ids().is_empty());
}

#[tokio::test]
async fn the_initial_task_of_a_session_has_a_handle_whose_result_arrives() {
    let sim = strict().await;
    let client = common::client(&sim);
    let session = client.start_session(SessionOptions::new().task_details("Search for keyboards")).await.unwrap();
    assert!(session.info().unwrap().raw.get("taskId").is_none(), "the documented answer names no task");
    let task = session.initial_task().expect("a handle on the initial task").clone();
    let result = task.result(WaitOptions::new().timeout(Duration::from_secs(10))).await.unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(task.id(), Some(result.task_id.as_str()));
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn without_live_events_an_unnamed_initial_task_is_outcome_unknown_not_a_hang() {
    let sim = strict().await;
    let client = builder(&sim).live_events(false).build().unwrap();
    let session = client.start_session(SessionOptions::new().task_details("Search")).await.unwrap();
    let task = session.initial_task().unwrap().clone();
    let err = task.result(WaitOptions::new().timeout(Duration::from_secs(5))).await.unwrap_err();
    assert_eq!(err.code(), "outcome_unknown", "{err}");
    session.terminate().await.unwrap();
    // A one-shot task without live events is named by its newTask answer instead.
    let result = client.run_task(RunTaskOptions::new("Find a hotel")).await.unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn batches_of_several_tasks_per_session_end_with_their_real_outcomes() {
    let sim = strict().await;
    let client = common::client(&sim);
    let specs: Vec<TaskSpec> = (0..6).map(|i| TaskSpec::new(format!("task {i}"))).collect();
    let options = BatchOptions { tasks_per_session: 3, concurrency: 2, ..BatchOptions::default() };
    let mut batch = client.run_many(specs, options).unwrap();
    let mut outcomes = Vec::new();
    while let Some(item) = batch.next().await {
        outcomes.push(item.outcome);
    }
    assert_eq!(outcomes, vec![BatchOutcome::Completed; 6]);
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn a_guardrail_and_a_failure_reach_a_one_shot_task_though_their_events_name_no_task() {
    let sim = strict().await;
    let client = common::client(&sim);
    let asked = client.run_task(RunTaskOptions::new("Log in #sim guardrail=\"Which account?\"")).await.unwrap();
    assert_eq!((asked.outcome, asked.question.as_deref()), (Outcome::Guardrail, Some("Which account?")));
    let failed = client.run_task(RunTaskOptions::new("Open #sim fail=PAGE_CRASH")).await.unwrap_err();
    assert_eq!((failed.code(), failed.server_code()), ("task_failed", Some("PAGE_CRASH")));
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn new_task_returns_a_running_task_that_pause_and_result_reach() {
    let sim =
        sim_with(SimConfig { strict_docs: true, time_scale: 0.1, rate_limit: None, ..SimConfig::default() }).await;
    let client = Client::builder().api_key(key()).base_url(sim.url()).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let started = Instant::now();
    let task = session.new_task(TaskOptions::new("Twenty seconds #sim duration=20")).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(1500), "returned after {:?}", started.elapsed());
    assert_eq!(task.id(), None, "nothing named the task yet: its answer comes when it ends");
    session.pause().await.unwrap();
    session.resume().await.unwrap();
    let result = task.result(WaitOptions::new()).await.unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(task.id(), Some(result.task_id.as_str()));
    session.terminate().await.unwrap();
}

/// At the default inline wait and poll interval: a one-shot task with a ceiling is sent as
/// start-session + newTask once the client has seen that initial tasks are not named, and
/// before its answer names it, the ceiling acts by the spend rate the client has seen.
#[tokio::test]
async fn the_ceiling_holds_its_bound_on_a_service_that_names_tasks_late() {
    let sim =
        sim_with(SimConfig { strict_docs: true, time_scale: 0.1, rate_limit: None, ..SimConfig::default() }).await;
    let client = Client::builder().api_key(key()).base_url(sim.url()).build().unwrap();
    // With nothing learned yet, a task that ends over the ceiling is a cost_limit error.
    let err = client
        .run_task(RunTaskOptions {
            wait: WaitOptions::new().max_cost(0.05),
            ..RunTaskOptions::new("First #sim duration=20 cost=0.1")
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cost_limit", "never a silent success: {err}");
    // The client now knows the spend rate (0.05 USD per wall second) and that initial tasks go unnamed.
    let started = Instant::now();
    let err = client
        .run_task(RunTaskOptions {
            wait: WaitOptions::new().max_cost(0.05),
            ..RunTaskOptions::new("Research laptops #sim duration=400 cost=1.0")
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cost_limit", "{err}");
    assert!(started.elapsed() < Duration::from_secs(5), "stopped before the inline answer: {:?}", started.elapsed());
    let cost = err.usage().and_then(|u| u.cost).unwrap();
    assert!(cost <= 0.05 + 0.01, "stopped at the ceiling by estimate: {cost}");
    assert_eq!(stat(&sim, "requests.byActionType.newTask"), 1, "the second one-shot named its task by newTask");
    assert!(client.terminate_open_sessions().await.is_empty());
    until_no_session_open(&sim).await;
}
