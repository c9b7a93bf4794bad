//! Faults on the live path: a socket that stays open but goes silent, and events dropped
//! under a flood. A wait must stay correct and never be slower than polling; a stream reader
//! that falls behind is told how many events it missed.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::*;
use enigma::{Event, EventStream, Outcome, Session, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, SimHandle};
use serde_json::json;
use tokio::time::Instant;

/// Events of a `steps=1000` task: a thought, an action and an update per step, and its outcome.
const FLOOD_EVENTS: u64 = 3 * 1000 + 1;

fn short_inline() -> SimConfig {
    SimConfig { inline_wait: Duration::from_millis(100), ..sim_config() }
}

/// A session whose live connection is up (its stream has said `Connected`).
async fn live_session(client: &enigma::Client) -> (Session, EventStream) {
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let mut events = session.events();
    let first = tokio::time::timeout(Duration::from_secs(5), events.next()).await.unwrap();
    assert_eq!(first, Some(Event::Connected));
    (session, events)
}

/// Withholds (or lets through again) the session's events from its sockets, which stay open.
async fn silence(sim: &SimHandle, session_id: &str, silent: bool) {
    let answer = reqwest::Client::new()
        .post(format!("{}/_sim/sockets/silence", sim.url()))
        .json(&json!({ "sessionId": session_id, "silent": silent }))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{}", answer.text().await.unwrap_or_default());
}

/// Before: a wait on a socket that stays open (heartbeats answered) but delivers nothing ran
/// until the 60 s safety poll (up to the heartbeat timeout when pings stop too). Now it checks
/// over REST once the socket has been silent for a poll interval.
#[tokio::test]
async fn a_silent_socket_delays_a_result_by_about_a_poll_interval_not_the_heartbeat_timeout() {
    let sim = sim_with(short_inline()).await;
    let client = builder(&sim).poll_interval(Duration::from_millis(500)).build().unwrap();
    let (session, _events) = live_session(&client).await;
    silence(&sim, session.id(), true).await;

    let started = Instant::now();
    // 300 ms of wall time: well past the inline wait, so the wait is on the socket.
    let task = session.new_task(TaskOptions::new("A short one #sim duration=30")).await.unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), task.result(WaitOptions::new()))
        .await
        .expect("the wait does not sit on the silent socket")
        .unwrap();
    let waited = started.elapsed();

    assert_eq!(result.outcome, Outcome::Completed);
    assert!(waited < Duration::from_secs(5), "waited {waited:?} for a 300 ms task with a 500 ms poll interval");
    assert!(stat(&sim, "requests.byEndpoint.GET /task") >= 1, "a REST check found it: {}", sim.stats_json());
    assert!(stat(&sim, "sockets.eventsWithheld") >= 4, "the socket was silent: {}", sim.stats_json());
    assert_eq!(stat(&sim, "sockets.connected"), 1, "and open: {}", sim.stats_json());
    session.terminate().await.unwrap();
}

/// While the socket is silent the wait polls at the poll interval, like polling would; once
/// events flow again it stops polling.
#[tokio::test]
async fn while_silent_a_wait_polls_at_the_poll_interval_and_stops_when_events_flow() {
    // Slower time than elsewhere: the session (300 simulated seconds) must outlive the test.
    let sim = sim_with(SimConfig { time_scale: 0.05, ..short_inline() }).await;
    let client = builder(&sim).poll_interval(Duration::from_millis(500)).build().unwrap();
    let (session, _events) = live_session(&client).await;
    silence(&sim, session.id(), true).await;
    // 250 s of work in 1000 steps: once events flow, one every ~6 ms of wall time.
    let task = session.new_task(TaskOptions::new("Long #sim duration=250 steps=1000")).await.unwrap();
    let waiter = tokio::spawn({
        let task = task.clone();
        async move { task.result(WaitOptions::new().timeout(Duration::from_secs(60))).await }
    });
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let silent_polls = stat(&sim, "requests.byEndpoint.GET /task");
    assert!((2..=6).contains(&silent_polls), "one poll per 500 ms while silent, not more: {silent_polls}");

    silence(&sim, session.id(), false).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let flowing = stat(&sim, "requests.byEndpoint.GET /task");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(stat(&sim, "requests.byEndpoint.GET /task"), flowing, "no polls while events flow");

    session.stop().await.unwrap();
    assert_eq!(waiter.await.unwrap().unwrap().outcome, Outcome::Stopped);
    session.terminate().await.unwrap();
}

/// Reads a stream until the completion of `task_id` (this reader keeps up: the last event of
/// a flood always reaches it); then sets `done`.
fn watch_for_completion(mut events: EventStream, task_id: String, done: Arc<AtomicBool>) {
    tokio::spawn(async move {
        while let Some(event) = events.next().await {
            if matches!(event, Event::TaskCompleted { .. }) && event.task_id() == Some(&task_id) {
                done.store(true, Ordering::SeqCst);
                return;
            }
        }
    });
}

/// A waiter too busy to read its events while a flood passes misses them, its own outcome
/// among them: it learns of the gap and asks over REST at once (not a poll interval later).
#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn a_wait_that_missed_its_outcome_in_a_flood_checks_over_rest() {
    let sim = sim_with(short_inline()).await;
    let client = builder(&sim).poll_interval(Duration::from_secs(5)).build().unwrap();
    let (session, events) = live_session(&client).await;
    let waited = session.new_task(TaskOptions::new("First #sim duration=30")).await.unwrap();
    let flood = session.new_task(TaskOptions::new("Flood after it #sim steps=1000 duration=10")).await.unwrap();
    let flood_passed = Arc::new(AtomicBool::new(false));
    watch_for_completion(events, flood.wait_for_id().await.unwrap(), flood_passed.clone());

    // A re-attached handle: its wait starts with a REST check, whose progress callback blocks
    // its thread until the flood (after the waited task's outcome) has reached the client.
    let handle = client.task(session.id(), &waited.wait_for_id().await.unwrap()).unwrap();
    let mut unblocked = None;
    let result = tokio::time::timeout(
        Duration::from_secs(20),
        handle.result_with_progress(WaitOptions::new(), |_| {
            if unblocked.is_none() {
                tokio::task::block_in_place(|| {
                    let deadline = std::time::Instant::now() + Duration::from_secs(10);
                    while !flood_passed.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                });
                unblocked = Some(Instant::now());
            }
        }),
    )
    .await
    .unwrap()
    .unwrap();

    assert_eq!(result.outcome, Outcome::Completed);
    assert!(result.message.unwrap().contains("First"));
    let after_flood = unblocked.expect("the first check reported progress").elapsed();
    assert!(after_flood < Duration::from_secs(3), "asked at once, not after the 5 s silence: {after_flood:?}");
    assert_eq!(stat(&sim, "requests.byEndpoint.GET /task"), 2, "the first check and the one after the gap");
    session.terminate().await.unwrap();
}

/// A stream read too slowly for a flood yields `Event::Lagged` with the number it missed;
/// what it read plus what it missed is every event of the task.
#[tokio::test]
async fn a_slow_stream_reader_is_told_how_many_events_it_missed() {
    let sim = sim_with(short_inline()).await;
    let client = client(&sim);
    let (session, mut events) = live_session(&client).await;
    // A second stream that keeps up tells when the flood has reached the client.
    let mut fast = session.events();
    assert_eq!(fast.next().await, Some(Event::Connected));
    let flood = session.new_task(TaskOptions::new("Flood #sim steps=1000 duration=10")).await.unwrap();
    let flood_passed = Arc::new(AtomicBool::new(false));
    watch_for_completion(fast, flood.wait_for_id().await.unwrap(), flood_passed.clone());
    for _ in 0..1000 {
        if flood_passed.load(Ordering::SeqCst) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(flood_passed.load(Ordering::SeqCst), "the flood reached the client");

    let (mut read, mut missed, mut lagged) = (0u64, 0u64, 0);
    let drained = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(event) = events.next().await {
            match event {
                Event::Lagged { missed: n } => {
                    lagged += 1;
                    missed += n;
                }
                Event::TaskCompleted { .. } => {
                    read += 1;
                    return;
                }
                _ => read += 1,
            }
        }
    })
    .await;
    assert!(drained.is_ok(), "the completion came after the gap");
    assert!(lagged >= 1 && missed > 0, "told of the gap: {lagged} lagged events, {missed} missed");
    assert_eq!(read + missed, FLOOD_EVENTS, "read {read} + missed {missed}");
    session.terminate().await.unwrap();
}
