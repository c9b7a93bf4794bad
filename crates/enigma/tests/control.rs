//! Control messages and their effects: pause, resume, stop, terminate, interactions, guardrails,
//! failures, the cost ceiling.

mod common;

use std::time::Duration;

use common::*;
use enigma::{GuardrailDecision, Outcome, SessionOptions, TaskOptions, TaskState, Typing, WaitOptions};
use enigma_sim::SimConfig;

fn short_inline() -> SimConfig {
    SimConfig { inline_wait: Duration::from_millis(100), ..sim_config() }
}

#[tokio::test]
async fn pause_freezes_progress_and_cost_and_resume_continues() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Browse #sim duration=30 cost=0.3")).await.unwrap();
    session.pause().await.unwrap();
    // A pause lands within one simulated second (10 ms here).
    tokio::time::sleep(Duration::from_millis(40)).await;
    let before = task.poll().await.unwrap();
    assert_eq!(before.state, TaskState::Running { paused: paused_shown() }, "{:?}", before.raw);
    tokio::time::sleep(Duration::from_millis(100)).await; // 10 simulated seconds
    let after = task.poll().await.unwrap();
    assert_eq!(after.usage.cost, before.usage.cost, "cost froze while paused");
    session.resume().await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let resumed = task.poll().await.unwrap();
    assert_eq!(resumed.state, TaskState::Running { paused: false });
    let result = task.result(WaitOptions::new()).await.unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    assert_eq!(sent(&sim, "state:pause"), 1);
    assert_eq!(sent(&sim, "state:resume"), 1);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn stop_ends_the_task_and_the_session_takes_a_new_one() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Long search #sim duration=60")).await.unwrap();
    session.stop().await.unwrap();
    let result = task.result(WaitOptions::new()).await.unwrap();
    assert_eq!(result.outcome, Outcome::Stopped);
    let next = session.new_task(TaskOptions::new("Navigate to homepage instead")).await.unwrap();
    assert_eq!(next.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Completed);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn terminate_ends_the_session_under_its_task_and_refuses_later_commands_locally() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Long search #sim duration=60")).await.unwrap();
    session.terminate().await.unwrap();
    let err = task.result(WaitOptions::new()).await.unwrap_err();
    assert_eq!(err.code(), "session_ended", "{err}");
    assert_eq!(err.task_id(), task.id());
    let sent = stat(&sim, "requests.total");
    let refused = session.pause().await.unwrap_err();
    assert_eq!(refused.code(), "session_ended");
    assert_eq!(stat(&sim, "requests.total"), sent, "refused without a request");
    // A fresh handle asks the service, which says the session is gone.
    let err = client.session(session.id()).unwrap().pause().await.unwrap_err();
    assert_eq!((err.code(), err.status()), ("session_not_found", Some(404)));
    assert_eq!(stat(&sim, "sessions.open"), 0);
}

#[tokio::test]
async fn every_interaction_is_sent() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Fill the form #sim duration=30")).await.unwrap();
    session.take_over().await.unwrap();
    session.click(512, 400).await.unwrap();
    session.double_click(0, 155).await.unwrap();
    session.type_text("hello", Typing::HumanLike).await.unwrap();
    session.press_key("Enter").await.unwrap();
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert_eq!(
        task.poll().await.unwrap().state,
        TaskState::Running { paused: paused_shown() },
        "take-over pauses the agent"
    );
    session.release().await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Completed);
    for kind in ["takeOverControl", "releaseControl", "CLICK", "DOUBLE_CLICK", "TYPE", "KEY_PRESS"] {
        assert_eq!(sent(&sim, &format!("interaction:{kind}")), 1, "{kind}");
    }
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_guardrail_is_answered_and_the_same_task_completes() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task =
        session.new_task(TaskOptions::new(r#"Buy a book #sim guardrail="I need login credentials""#)).await.unwrap();
    let asked = task.result(WaitOptions::new()).await.unwrap();
    assert_eq!(asked.outcome, Outcome::Guardrail);
    assert_eq!(asked.question.as_deref(), Some("I need login credentials"));
    session.answer_guardrail("Use the guest checkout", GuardrailDecision::Resume).await.unwrap();
    let done = task.result(WaitOptions::new()).await.unwrap();
    assert_eq!(done.outcome, Outcome::Completed, "{done:?}");
    assert_eq!(sent(&sim, "guardrail:resume"), 1);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_guardrail_answered_with_stop_ends_the_task() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new(r#"Buy #sim guardrail="Which card?""#)).await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Guardrail);
    session.answer_guardrail("Never mind", GuardrailDecision::Stop).await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Stopped);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn each_failure_code_is_a_task_failed_error_with_usage() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    for code in ["NAVIGATION_TIMEOUT", "ELEMENT_NOT_FOUND", "PAGE_CRASH", "TASK_TIMEOUT", "SESSION_EXPIRED"] {
        let session = client.start_session(SessionOptions::new()).await.unwrap();
        let task = session.new_task(TaskOptions::new(format!("Open the page #sim fail={code}"))).await.unwrap();
        let err = task.result(WaitOptions::new()).await.unwrap_err();
        assert_eq!(err.code(), "task_failed", "{err}");
        assert_eq!(err.server_code(), Some(code));
        assert!(err.usage().is_some_and(|u| u.cost.is_some()), "{err:?}");
        session.terminate().await.unwrap();
    }
}

#[tokio::test]
async fn a_failure_inside_the_inline_wait_is_a_task_failed_error_too() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Open #sim fail=PAGE_CRASH")).await.unwrap();
    let err = task.result(WaitOptions::new()).await.unwrap_err();
    assert_eq!(err.server_code(), Some("PAGE_CRASH"));
    assert_eq!(stat(&sim, "requests.byEndpoint.GET /task"), 0);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn the_cost_ceiling_stops_the_task() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Expensive #sim duration=100 cost=1.0")).await.unwrap();
    let err = task.result(WaitOptions::new().max_cost(0.05)).await.unwrap_err();
    assert_eq!(err.code(), "cost_limit", "{err}");
    let cost = err.usage().and_then(|u| u.cost).unwrap();
    assert!(cost > 0.05 && cost < 1.0, "stopped early, at {cost}");
    assert_eq!(sent(&sim, "state:stop"), 1);
    let after = client.task_of(&err).unwrap().poll().await.unwrap();
    assert_eq!(after.state, TaskState::Stopped);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_wait_timeout_keeps_the_task_which_can_be_waited_on_again() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Slow #sim duration=10")).await.unwrap();
    let err = task.result(WaitOptions::new().timeout(Duration::from_millis(20))).await.unwrap_err();
    assert_eq!(err.code(), "wait_timeout");
    let held = client.task_of(&err).expect("the error names the task");
    assert_eq!(held.id(), task.id());
    assert_eq!(held.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Completed);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn with_session_terminates_on_success_error_and_cancellation() {
    let sim = sim().await;
    let client = client(&sim);
    let ok: Result<u32, enigma::Error> = client.with_session(SessionOptions::new(), |_s| async { Ok(7) }).await;
    assert_eq!(ok.unwrap(), 7);
    assert_eq!(stat(&sim, "sessions.open"), 0);

    let failed: Result<(), enigma::Error> = client
        .with_session(SessionOptions::new(), |s| async move {
            s.new_task(TaskOptions::new("x #sim fail=PAGE_CRASH")).await?.result(WaitOptions::new()).await?;
            Ok(())
        })
        .await;
    assert_eq!(failed.unwrap_err().code(), "task_failed");
    assert_eq!(stat(&sim, "sessions.open"), 0);

    let cancelled = tokio::time::timeout(
        Duration::from_millis(50),
        client.with_session(SessionOptions::new(), |_s| async {
            tokio::time::sleep(Duration::from_secs(60)).await;
            Ok::<_, enigma::Error>(())
        }),
    )
    .await;
    assert!(cancelled.is_err(), "the work was cancelled");
    eventually(&sim, "sessions.open", 0).await;
    assert_eq!(stat(&sim, "sessions.total"), 3);
}

#[tokio::test]
async fn task_of_re_attaches_the_task_a_wait_error_names_and_nothing_else() {
    let sim = sim().await;
    let client = client(&sim);
    let timeout =
        enigma::Error::WaitTimeout { session_id: "s1".into(), task_id: Some("t1".into()), waited: Duration::ZERO };
    let task = client.task_of(&timeout).expect("a wait timeout names its task");
    assert_eq!((task.session_id(), task.id()), ("s1", Some("t1")));
    let ended = enigma::Error::SessionEnded { session_id: "s1".into(), task_id: Some("t1".into()) };
    assert!(client.task_of(&ended).is_none(), "only a wait's errors hand a task back");
}
