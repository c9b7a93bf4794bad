//! Live events over Socket.IO against the simulator: typed events in order, commands over the
//! socket, every end of a session, instance loss, reconnection without losing an outcome, and
//! waits that need no polling.

mod common;

use std::time::Duration;

use common::*;
use enigma::{Event, EventStream, GuardrailDecision, Outcome, Session, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::SimConfig;
use serde_json::json;

fn short_inline() -> SimConfig {
    SimConfig { inline_wait: Duration::from_millis(100), ..sim_config() }
}

/// Reads events until one matches, failing after 5 s; returns everything read.
async fn until(events: &mut EventStream, mut done: impl FnMut(&Event) -> bool) -> Vec<Event> {
    let mut seen = Vec::new();
    let read = async {
        while let Some(event) = events.next().await {
            let stop = done(&event);
            seen.push(event);
            if stop {
                return true;
            }
        }
        false
    };
    let found = tokio::time::timeout(Duration::from_secs(5), read).await;
    assert!(matches!(found, Ok(true)), "never saw the expected event; saw {seen:#?}");
    seen
}

/// A session whose live connection is up.
async fn live_session(client: &enigma::Client, options: SessionOptions) -> (Session, EventStream) {
    let session = client.start_session(options).await.unwrap();
    let mut events = session.events();
    until(&mut events, |e| matches!(e, Event::Connected)).await;
    (session, events)
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::AgentThought { .. } => Some("agent"),
            Event::Action { .. } => Some("action"),
            Event::ResponseUpdate { .. } => Some("response_update"),
            Event::TaskCompleted { .. } => Some("task_completed"),
            Event::Guardrail { .. } => Some("guardrail"),
            Event::TaskError { .. } => Some("error"),
            Event::SessionEnded { .. } => Some("end_session"),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn every_task_event_arrives_typed_and_in_order() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Search for keyboards #sim steps=2")).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TaskCompleted { .. })).await;
    assert_eq!(
        kinds(&seen),
        ["agent", "action", "response_update", "agent", "action", "response_update", "task_completed"]
    );
    for event in &seen {
        if !matches!(event, Event::Connected) {
            // Every event names its task; the documented events name it on `task_completed` only.
            let named = !strict_docs() || matches!(event, Event::TaskCompleted { .. });
            assert_eq!(event.task_id(), if named { task.id() } else { None }, "{event:?}");
        }
    }
    let Some(Event::TaskCompleted { message, usage, .. }) = seen.last() else { unreachable!() };
    assert!(message.contains("keyboards"));
    assert!(usage.cost.is_some());

    let failing = session.new_task(TaskOptions::new("Open #sim fail=PAGE_CRASH")).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TaskError { .. })).await;
    assert!(matches!(seen.last(), Some(Event::TaskError { code, .. }) if code == "PAGE_CRASH"));
    assert_eq!(failing.result(WaitOptions::new()).await.unwrap_err().server_code(), Some("PAGE_CRASH"));

    session.terminate().await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::SessionEnded { .. })).await;
    assert!(matches!(seen.last(), Some(Event::SessionEnded { reason, .. }) if reason == "terminated"), "{seen:#?}");
    assert!(
        tokio::time::timeout(Duration::from_secs(5), async { while events.next().await.is_some() {} }).await.is_ok(),
        "the stream ends after the session"
    );
}

#[tokio::test]
async fn a_completion_pushed_by_the_socket_needs_no_poll() {
    let sim = sim_with(short_inline()).await;
    // Events come more often than the poll interval: the socket is never silent long enough
    // for a REST check.
    let client = builder(&sim).poll_interval(Duration::from_secs(2)).build().unwrap();
    let (session, _events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Compare prices #sim duration=10")).await.unwrap();
    let result = task.result(WaitOptions::new()).await.unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    assert!(result.message.unwrap().contains("Compare prices"));
    assert_eq!(stat(&sim, "requests.byEndpoint.GET /task"), 0, "{}", sim.stats_json());
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_quiet_socket_is_checked_after_a_poll_interval_then_ever_less_often() {
    let sim = sim_with(short_inline()).await;
    let interval = Duration::from_millis(50);
    let client = builder(&sim).poll_interval(interval).build().unwrap();
    let (session, _events) = live_session(&client, SessionOptions::new()).await;
    // One step over 10 s: after its start the task says nothing.
    let task = session.new_task(TaskOptions::new("Read a long page #sim duration=1000 steps=1")).await.unwrap();
    let polls_before = stat(&sim, "requests.byEndpoint.GET /task");
    // 1.6 s of quiet: checks at 50, 150, 350, 750 and 1,550 ms (the gap doubles up to 16
    // intervals), where a check every interval would have made 32.
    let waited = task.result(WaitOptions::new().timeout(Duration::from_millis(1600))).await;
    assert!(matches!(waited, Err(enigma::Error::WaitTimeout { .. })), "{waited:?}");
    let checks = stat(&sim, "requests.byEndpoint.GET /task") - polls_before;
    assert!((3..=8).contains(&checks), "{checks} REST checks in 1.6 s of quiet");
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_stop_sent_by_the_client_is_found_a_poll_interval_later_however_long_the_quiet() {
    // The documented service sends no event for a stopped task: only a check can find it.
    let sim = sim_with(SimConfig { strict_docs: true, ..short_inline() }).await;
    let interval = Duration::from_millis(50);
    let client = builder(&sim).poll_interval(interval).build().unwrap();
    let (session, _events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Read a long page #sim duration=1000 steps=1")).await.unwrap();
    let waiter = tokio::spawn({
        let task = task.clone();
        async move { task.result(WaitOptions::new()).await }
    });
    // Quiet checks at 50, 150, 350, 750 and 1,550 ms: a stop at 1,600 ms would wait for the one
    // at 2,350 ms without the nudge a command gives.
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let stopped_at = tokio::time::Instant::now();
    session.stop().await.unwrap();
    let result = tokio::time::timeout(Duration::from_secs(5), waiter).await.expect("the wait ends").unwrap().unwrap();
    assert_eq!(result.outcome, Outcome::Stopped);
    let found_after = stopped_at.elapsed();
    assert!(found_after < Duration::from_millis(600), "found {found_after:?} after the stop");
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn commands_go_over_the_socket_when_it_is_up() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Browse #sim duration=30")).await.unwrap();
    session.pause().await.unwrap();
    eventually(&sim, "socketMessages.byMessage.state:pause", 1).await;
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert_eq!(task.poll().await.unwrap().state, enigma::TaskState::Running { paused: paused_shown() });
    session.resume().await.unwrap();
    session.click(100, 300).await.unwrap();
    session.stop().await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Stopped);
    assert_eq!(stat(&sim, "socketMessages.byMessage.state:resume"), 1);
    assert_eq!(stat(&sim, "socketMessages.byMessage.interaction:CLICK"), 1);
    assert_eq!(stat(&sim, "requests.byEndpoint.POST /start/send-message"), 1, "only newTask used REST");
    session.terminate().await.unwrap();
    assert_eq!(stat(&sim, "requests.byMessage.state:terminate"), 1, "terminate always uses REST");
    until(&mut events, |e| matches!(e, Event::SessionEnded { .. })).await;
}

#[tokio::test]
async fn a_guardrail_arrives_by_socket_and_the_answer_lets_the_task_finish() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, _events) = live_session(&client, SessionOptions::new()).await;
    let task =
        session.new_task(TaskOptions::new(r#"Checkout #sim duration=10 guardrail="Which address?""#)).await.unwrap();
    let asked = task.result(WaitOptions::new()).await.unwrap();
    assert_eq!((asked.outcome, asked.question.as_deref()), (Outcome::Guardrail, Some("Which address?")));
    session.answer_guardrail("The office", GuardrailDecision::Resume).await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Completed);
    assert_eq!(stat(&sim, "requests.byMessage.guardrail:resume"), 1, "guardrail answers use REST");
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn the_initial_task_is_waited_on_through_the_socket() {
    let sim = sim().await;
    let client = client(&sim);
    let session =
        client.start_session(SessionOptions::new().task_details("Go to amazon.com #sim duration=5")).await.unwrap();
    let result = session.initial_task().unwrap().result(WaitOptions::new()).await.unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    assert!(result.message.unwrap().contains("amazon.com"));
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn no_outcome_is_lost_when_the_server_drops_the_socket() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Long crawl #sim duration=20")).await.unwrap();
    let waiter = tokio::spawn({
        let task = task.clone();
        async move { task.result(WaitOptions::new().timeout(Duration::from_secs(10))).await }
    });
    // The task completes while the socket is down (the client waits ~1 s before reconnecting).
    let dropped = reqwest::Client::new()
        .post(format!("{}/_sim/sockets/drop", sim.url()))
        .json(&json!({ "sessionId": session.id() }))
        .send()
        .await
        .unwrap();
    assert!(dropped.status().is_success());
    let seen = until(&mut events, |e| matches!(e, Event::Connected)).await;
    assert!(seen.iter().any(|e| matches!(e, Event::Disconnected { will_reconnect: true, .. })), "{seen:#?}");
    assert!(!seen.iter().any(|e| matches!(e, Event::TaskCompleted { .. })), "completed while disconnected");
    let result = waiter.await.unwrap().unwrap();
    assert_eq!(result.outcome, Outcome::Completed);
    assert!(stat(&sim, "requests.byEndpoint.GET /task") >= 1, "the REST check after the reconnect found it");
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_flaky_instance_disconnects_and_comes_back() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Browse #sim duration=6 instance=flaky")).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TaskCompleted { .. })).await;
    let lost =
        seen.iter().position(|e| matches!(e, Event::InstanceDisconnected { grace_period_ms: Some(300_000), .. }));
    let back = seen.iter().position(|e| matches!(e, Event::InstanceReconnected { .. }));
    assert!(matches!((lost, back), (Some(l), Some(b)) if l < b), "{seen:#?}");
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Completed);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_lost_instance_ends_the_session_under_its_task() {
    let sim = sim_with(SimConfig { instance_grace: Duration::from_secs(5), ..short_inline() }).await;
    let client = client(&sim);
    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Browse #sim duration=60 instance=lost")).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::SessionEnded { .. })).await;
    assert!(seen.iter().any(|e| matches!(e, Event::InstanceDisconnected { .. })));
    assert!(matches!(seen.last(), Some(Event::SessionEnded { reason, .. }) if reason == "instance_lost"));
    let err = task.result(WaitOptions::new()).await.unwrap_err();
    assert_eq!(err.code(), "session_ended", "{err}");
}

#[tokio::test]
async fn every_end_of_session_reason_is_reported() {
    // Slower time than elsewhere: a session must not expire before its socket connects, even
    // on a loaded machine (3 simulated seconds of idle time are 300 ms here).
    let sim = sim_with(SimConfig { time_scale: 0.1, idle_timeout: Duration::from_secs(3), ..short_inline() }).await;
    let client = client(&sim);
    let reason_of = |seen: &[Event]| match seen.last() {
        Some(Event::SessionEnded { reason, .. }) => reason.clone(),
        other => panic!("{other:?}"),
    };
    let is_end = |e: &Event| matches!(e, Event::SessionEnded { .. });

    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    session.terminate().await.unwrap();
    assert_eq!(reason_of(&until(&mut events, is_end).await), "terminated");

    let (_idle, mut events) = live_session(&client, SessionOptions::new()).await;
    assert_eq!(reason_of(&until(&mut events, is_end).await), "expired");

    let (_short, mut events) = live_session(&client, SessionOptions::new().max_duration(Duration::from_secs(2))).await;
    assert_eq!(reason_of(&until(&mut events, is_end).await), "expired");

    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    session.new_task(TaskOptions::new("Last one").terminate_on_completion(true)).await.unwrap();
    assert_eq!(reason_of(&until(&mut events, is_end).await), "terminateOnCompletion");

    let (session, mut events) = live_session(&client, SessionOptions::new()).await;
    session.new_task(TaskOptions::new("Wrap up #sim end=completed")).await.unwrap();
    assert_eq!(reason_of(&until(&mut events, is_end).await), "completed");
    eventually(&sim, "sessions.open", 0).await;
}

#[tokio::test]
async fn two_streams_on_one_session_both_receive_and_events_of_a_re_attached_session_flow() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, mut first) = live_session(&client, SessionOptions::new()).await;
    let mut second = client.session(session.id()).unwrap().events();
    until(&mut second, |e| matches!(e, Event::Connected)).await;
    session.new_task(TaskOptions::new("Shared view")).await.unwrap();
    until(&mut first, |e| matches!(e, Event::TaskCompleted { .. })).await;
    until(&mut second, |e| matches!(e, Event::TaskCompleted { .. })).await;
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn an_unknown_session_gets_a_connect_error_and_waits_fall_back_to_polling() {
    let sim = sim().await;
    let client = client(&sim);
    let mut events = client.session("zzzzzzzzzzzz").unwrap().events();
    assert!(matches!(events.next().await, Some(Event::ConnectError { .. })));
    assert!(events.next().await.is_none());

    let rest_only = builder(&sim).live_events(false).build().unwrap();
    let session = rest_only.start_session(SessionOptions::new()).await.unwrap();
    let task = session.new_task(TaskOptions::new("Plain polling #sim duration=60")).await.unwrap();
    session.pause().await.unwrap();
    assert_eq!(stat(&sim, "requests.byMessage.state:pause"), 1, "without the socket, commands use REST");
    assert_eq!(stat(&sim, "socketMessages.total"), 0);
    session.stop().await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Stopped);
    session.terminate().await.unwrap();
}

// A multi-thread runtime, as in the bindings: there spawned handlers really run in parallel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_commands_are_applied_in_the_order_they_were_sent() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, _events) = live_session(&client, SessionOptions::new()).await;
    let task = session.new_task(TaskOptions::new("Browse #sim duration=250")).await.unwrap();
    // Each round: pause then resume at once; once both landed the task must be running.
    for round in 1..=40 {
        session.pause().await.unwrap();
        session.resume().await.unwrap();
        eventually(&sim, "socketMessages.byMessage.state:resume", round).await;
        let state = task.poll().await.unwrap().state;
        assert_eq!(
            state,
            enigma::TaskState::Running { paused: false },
            "round {round}: resume was applied before pause"
        );
    }
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_session_can_override_the_clients_live_events_setting() {
    let sim = sim_with(short_inline()).await;
    // The client uses live events; this session keeps to REST.
    let session = client(&sim).start_session(SessionOptions::new().live_events(false)).await.unwrap();
    let mut events = session.events();
    assert!(matches!(events.next().await, Some(Event::ConnectError { .. })));
    session.pause().await.unwrap();
    assert_eq!(stat(&sim, "requests.byMessage.state:pause"), 1, "without the socket, commands use REST");
    assert_eq!(stat(&sim, "sockets.total"), 0);
    session.terminate().await.unwrap();

    // The client keeps to REST; this session (made by run-task) uses live events.
    let rest_only = builder(&sim).live_events(false).build().unwrap();
    let task = rest_only
        .start_task(SessionOptions::new().task_details("Live anyway #sim duration=5").live_events(true))
        .await
        .unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Completed);
    assert_eq!(stat(&sim, "sockets.total"), 1, "the one-shot session's wait used the socket");
}
