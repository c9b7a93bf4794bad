//! Money safety: no session is left billing behind a one-shot call or a cancelled call, and bad
//! input never reaches the service.

mod common;

use std::time::Duration;

use common::*;
use enigma::{Outcome, RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};

#[tokio::test]
async fn a_run_task_that_ends_in_a_guardrail_terminates_its_session_before_returning() {
    let sim = sim().await;
    let client = client(&sim);
    let result = client.run_task(RunTaskOptions::new(r#"Buy a book #sim guardrail="Which card?""#)).await.unwrap();
    assert_eq!(result.outcome, Outcome::Guardrail);
    assert_eq!(result.question.as_deref(), Some("Which card?"));
    // Already ended when the call returns: no waiting, nothing for anyone to track.
    assert_eq!(stat(&sim, "sessions.open"), 0, "{}", sim.stats_json());
    assert_eq!(stat(&sim, "requests.byMessage.state:terminate"), 1);
    assert!(client.open_session_ids().is_empty());
}

#[tokio::test]
async fn wait_for_cleanups_returns_once_a_cancelled_start_has_terminated_its_session() {
    let sim = sim().await;
    let client = client(&sim);
    fault(&sim, serde_json::json!({"endpoint": "POST /start/start-session", "action": "delay", "delayMs": 300})).await;
    let started = tokio::time::timeout(Duration::from_millis(50), client.start_session(SessionOptions::new())).await;
    assert!(started.is_err(), "cancelled while the answer was on its way");
    assert!(enigma::pending_cleanups() >= 1, "the create is tracked while its answer is on its way");
    assert_eq!(enigma::wait_for_cleanups(Duration::from_secs(10)).await, 0);
    // No `eventually`: once the cleanups are done, the session is gone.
    assert_eq!(stat(&sim, "sessions.total"), 1);
    assert_eq!(stat(&sim, "sessions.open"), 0);
}

#[tokio::test]
async fn wait_for_cleanups_covers_cancelled_run_task_and_with_session() {
    let sim = sim().await;
    let client = client(&sim);
    let run = client.run_task(RunTaskOptions::new("Long one-shot #sim duration=1000"));
    assert!(tokio::time::timeout(Duration::from_millis(150), run).await.is_err());
    let with = client.with_session(SessionOptions::new(), |session| async move {
        session.new_task(TaskOptions::new("Long #sim duration=1000")).await?.result(WaitOptions::new()).await
    });
    assert!(tokio::time::timeout(Duration::from_millis(150), with).await.is_err());
    assert_eq!(enigma::wait_for_cleanups(Duration::from_secs(10)).await, 0);
    assert_eq!(stat(&sim, "sessions.total"), 2);
    assert_eq!(stat(&sim, "sessions.open"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cleanup_finishes_even_when_the_runtime_that_cancelled_is_gone() {
    // The binding situation: a call is cancelled, and the caller's runtime is torn down at once.
    // The cleanups run on the runtime they were spawned on; a process must wait before shutting
    // it down. Here: cancel on a runtime, wait on it, then drop it.
    let sim = sim().await;
    fault(&sim, serde_json::json!({"endpoint": "POST /start/start-session", "action": "delay", "delayMs": 300})).await;
    let url = sim.url();
    let key = key();
    let open_after = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let client = enigma::Client::builder().api_key(key).base_url(url).build().unwrap();
            let start = client.start_session(SessionOptions::new());
            let _ = tokio::time::timeout(Duration::from_millis(50), start).await;
            enigma::wait_for_cleanups(Duration::from_secs(10)).await
        })
    });
    // Joined off the test's runtime, which serves the simulator meanwhile.
    assert_eq!(tokio::task::spawn_blocking(move || open_after.join().unwrap()).await.unwrap(), 0);
    assert_eq!(stat(&sim, "sessions.open"), 0, "{}", sim.stats_json());
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request_at_every_entry_point() {
    let sim = sim().await;
    let client = client(&sim);
    let refused = |err: enigma::Error, field: &str| {
        assert_eq!(err.code(), "validation", "{err}");
        assert!(err.to_string().contains(field), "{err}");
    };
    refused(client.run_task(RunTaskOptions::new("")).await.unwrap_err(), "task_details");
    refused(client.run_task(RunTaskOptions::new("  \n")).await.unwrap_err(), "task_details");
    let bad_cost = RunTaskOptions { wait: WaitOptions::new().max_cost(-1.0), ..RunTaskOptions::new("x") };
    refused(client.run_task(bad_cost).await.unwrap_err(), "max_cost");
    refused(client.start_task(SessionOptions::new().task_details("")).await.unwrap_err(), "task_details");
    refused(client.start_session(SessionOptions::new().task_details(" ")).await.unwrap_err(), "task_details");
    refused(
        client.start_session(SessionOptions::new().max_duration(Duration::ZERO)).await.unwrap_err(),
        "max_duration",
    );
    let with =
        client.with_session(SessionOptions::new().starting_url("nope"), |_| async { Ok::<_, enigma::Error>(()) });
    refused(with.await.unwrap_err(), "starting_url");
    let session = client.session("abcdefabcdef").unwrap();
    refused(session.new_task(TaskOptions::new("")).await.unwrap_err(), "task_details");
    assert_eq!(stat(&sim, "requests.total"), 0, "{}", sim.stats_json());
    assert_eq!(stat(&sim, "sessions.total"), 0);
}

#[tokio::test]
async fn a_run_task_whose_wait_times_out_hands_its_session_to_the_client() {
    let sim = sim().await;
    let client = client(&sim);
    // 3000 s at the tests' time scale: 30 s, far beyond the wait.
    let mut options = RunTaskOptions::new("Read every review #sim duration=3000");
    options.wait = WaitOptions::new().timeout(Duration::from_millis(200));
    let err = client.run_task(options).await.unwrap_err();
    assert_eq!(err.code(), "wait_timeout");
    let session_id = err.session_id().expect("the timeout names its session").to_owned();
    // The task goes on, so does its session: the client knows it, and can end it.
    assert_eq!(client.open_session_ids(), vec![session_id]);
    assert_eq!(stat(&sim, "sessions.open"), 1);
    assert!(client.terminate_open_sessions().await.is_empty());
    assert_eq!(stat(&sim, "sessions.open"), 0);
    assert!(client.open_session_ids().is_empty());
}
