//! The service's 50 s inline wait, at its default: the create of a task (`newTask`, a one-shot
//! task) is answered only when the task ends or 50 s passed. Everything that guards a task
//! must act while that answer is on its way: the cost ceiling, the wait's deadline,
//! cancellation, and `new_task` itself returns while the task runs.
//!
//! The simulator runs at a tenth of real time with the default inline wait (50 simulated
//! seconds = 5 s of wall time), and the clients keep the default poll interval (2 s), so each
//! test shows its guard acting before the inline answer could have come.

mod common;

use std::time::Duration;

use common::{key, sim_with, stat, until_no_session_open};
use enigma::{Client, RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, SimHandle};
use tokio::time::Instant;

/// Wall time of the inline wait at this scale: 50 simulated seconds.
const INLINE_WAIT_WALL: Duration = Duration::from_secs(5);

async fn sim() -> SimHandle {
    sim_with(SimConfig { time_scale: 0.1, rate_limit: None, ..SimConfig::default() }).await
}

/// A client with every timing at its default (poll interval 2 s).
fn client(sim: &SimHandle) -> Client {
    Client::builder().api_key(key()).base_url(sim.url()).build().unwrap()
}

/// A one-shot task of 1.00 USD over 400 simulated s (0.025 USD a wall second) with a 0.05 USD
/// ceiling: the error it ends with, and how long it took.
async fn research_with_a_ceiling(client: &Client) -> (enigma::Error, Duration) {
    let started = Instant::now();
    let err = client
        .run_task(one_shot("Research laptops #sim duration=400 cost=1.0", WaitOptions::new().max_cost(0.05)))
        .await
        .unwrap_err();
    (err, started.elapsed())
}

fn one_shot(text: &str, wait: WaitOptions) -> RunTaskOptions {
    RunTaskOptions { wait, ..RunTaskOptions::new(text) }
}

#[tokio::test]
async fn the_cost_ceiling_of_a_one_shot_task_acts_during_the_inline_wait() {
    let sim = sim().await;
    let client = client(&sim);
    // The ceiling is reached at 2 s.
    let (err, took) = research_with_a_ceiling(&client).await;
    assert_eq!(err.code(), "cost_limit", "{err}");
    assert!(took < INLINE_WAIT_WALL, "stopped after {took:?}, before the inline answer could come");
    // The bound: the ceiling plus one poll interval's spend (2 s x 0.025), plus slack.
    let cost = err.usage().and_then(|u| u.cost).unwrap();
    assert!(cost > 0.05 && cost <= 0.05 + 0.05 + 0.01, "spent {cost}");
    assert!(stat(&sim, "commands.byMessage.state:stop") >= 1, "{}", sim.stats_json()["commands"]);
    assert_eq!(stat(&sim, "tasks.started"), 1, "created once");
    assert!(client.terminate_open_sessions().await.is_empty());
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn a_task_that_ends_over_the_ceiling_is_never_a_silent_success() {
    let sim = sim().await;
    let client = client(&sim);
    // Ends (or is stopped) past the 0.10 ceiling within its first look: either way an error.
    let err = client
        .run_task(one_shot("Quick but dear #sim duration=0.1 cost=0.5", WaitOptions::new().max_cost(0.10)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cost_limit", "{err}");
    assert!(err.usage().and_then(|u| u.cost).unwrap() > 0.10, "{err:?}");
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn the_timeout_of_a_one_shot_task_fires_on_time_during_the_inline_wait() {
    let sim = sim().await;
    let client = client(&sim);
    let started = Instant::now();
    let wait = WaitOptions::new().timeout(Duration::from_millis(500));
    let err = client.run_task(one_shot("A 30 s task #sim duration=30", wait)).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.code(), "wait_timeout", "{err}");
    assert!(took >= Duration::from_millis(500) && took < Duration::from_millis(1500), "timed out after {took:?}");
    // The task goes on: its session is the caller's to end, and tracked.
    assert_eq!(client.open_session_ids().len(), 1);
    assert!(client.terminate_open_sessions().await.is_empty());
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn dropping_a_one_shot_task_during_the_inline_wait_terminates_its_session_at_once() {
    let sim = sim().await;
    let client = client(&sim);
    let run = client.run_task(RunTaskOptions::new("A long one #sim duration=300"));
    assert!(tokio::time::timeout(Duration::from_secs(1), run).await.is_err(), "still running at 1 s");
    let dropped = Instant::now();
    until_no_session_open(&sim).await;
    assert!(dropped.elapsed() < Duration::from_secs(2), "terminated at once, not when the inline wait ended");
    assert_eq!(stat(&sim, "commands.byMessage.state:terminate"), 1);
    assert_eq!(stat(&sim, "tasks.started"), 1);
}

#[tokio::test]
async fn new_task_returns_while_the_task_runs_so_pause_pauses_it() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let started = Instant::now();
    let task = session.new_task(TaskOptions::new("Search for keyboards #sim duration=100")).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(1500), "new_task took {:?}", started.elapsed());
    session.pause().await.unwrap();
    let status = task.poll().await.unwrap();
    assert!(!status.state.is_final(), "the task is still running: {status:?}");
    assert_eq!(status.raw["paused"], true, "and paused (the simulator says so in polls): {status:?}");
    session.terminate().await.unwrap();
    assert_eq!(stat(&sim, "tasks.started"), 1);
    until_no_session_open(&sim).await;
}

#[cfg_attr(not(feature = "live"), ignore = "needs the live connection (feature `live`)")]
#[tokio::test]
async fn events_arrive_as_they_happen_not_when_the_create_is_answered() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let mut events = session.events();
    assert_eq!(events.next().await, Some(enigma::Event::Connected));
    let sent = Instant::now();
    let _task = session.new_task(TaskOptions::new("Twenty seconds #sim duration=20 steps=4")).await.unwrap();
    let first = loop {
        match events.next().await.unwrap() {
            enigma::Event::AgentThought { .. } => break sent.elapsed(),
            _ => continue,
        }
    };
    let completed = loop {
        if let enigma::Event::TaskCompleted { .. } = events.next().await.unwrap() {
            break sent.elapsed();
        }
    };
    assert!(first < Duration::from_millis(500), "the first thought came after {first:?}");
    assert!(completed > Duration::from_millis(1800), "the task took its 2 s: {completed:?}");
    session.terminate().await.unwrap();
}

/// Without live events nothing names the task before the create's answer (like a service that
/// names tasks only there): the ceiling then acts by estimate, with the highest spend rate the
/// client has seen, and needs no task id to stop.
#[tokio::test]
async fn without_live_events_the_ceiling_acts_by_estimate_before_the_task_is_named() {
    let sim = sim().await;
    let client = Client::builder().api_key(key()).base_url(sim.url()).live_events(false).build().unwrap();
    // A first task teaches the client the spend rate (0.025 USD per wall second).
    let learn = client.run_task(RunTaskOptions::new("Learn #sim duration=40 cost=0.1")).await.unwrap();
    assert_eq!(learn.outcome, enigma::Outcome::Completed);
    let (err, took) = research_with_a_ceiling(&client).await;
    assert_eq!(err.code(), "cost_limit", "{err}");
    assert!(took < INLINE_WAIT_WALL, "stopped after {took:?}, before the task could be named");
    let cost = err.usage().and_then(|u| u.cost).unwrap();
    assert!(cost <= 0.05 + 0.01, "the estimate stops it at the ceiling: spent {cost}");
    assert!(err.task_id().is_some(), "the stop brought the create's answer, which names the task");
    assert!(client.terminate_open_sessions().await.is_empty());
    until_no_session_open(&sim).await;
    assert_eq!(stat(&sim, "tasks.started"), 2);
}

#[tokio::test]
async fn a_batch_budget_counts_running_spend_from_the_first_second_and_stops_at_it() {
    use enigma::{BatchOptions, BatchOutcome, TaskSpec};
    let sim = sim().await;
    let client = client(&sim);
    // Three tasks of 1.00 USD over 400 simulated s (0.025 USD a wall second each), budget 0.30:
    // the three together reach it at 4 s, inside their inline wait.
    let specs: Vec<TaskSpec> = (0..3).map(|i| TaskSpec::new(format!("task {i} #sim duration=400 cost=1.0"))).collect();
    let started = Instant::now();
    let options = BatchOptions { budget: Some(0.30), concurrency: 3, ..BatchOptions::default() };
    let mut batch = client.run_many(specs, options).unwrap();
    let mut outcomes = Vec::new();
    while let Some(item) = batch.next().await {
        outcomes.push(item.outcome);
    }
    let summary = batch.finished().await;
    assert_eq!(outcomes, vec![BatchOutcome::Stopped; 3], "{summary:?}");
    assert!(started.elapsed() < Duration::from_secs(8), "stopped after {:?}", started.elapsed());
    // The bound: the budget plus one poll interval's spend of each running task.
    assert!(summary.budget_reached && summary.spent <= 0.30 + 3.0 * 0.05 + 0.02, "{summary:?}");
    until_no_session_open(&sim).await;
}
