//! `enigma::binding::EventPull` (feature `binding`), what the Python and Node bindings pull live
//! events with: a caller may give up on a pull without losing an event.

mod common;

use std::time::Duration;

use common::*;
use enigma::binding::EventPull;
use enigma::{Event, Session, SessionOptions, TaskOptions};
use enigma_sim::{SimConfig, SimHandle};

fn short_inline() -> SimConfig {
    SimConfig { inline_wait: Duration::from_millis(100), ..sim_config() }
}

/// A session on a simulator of its own, and a pull of its events past the first (`Connected`).
async fn pulled_session() -> (SimHandle, Session, EventPull) {
    let sim = sim_with(short_inline()).await;
    let session = client(&sim).start_session(SessionOptions::new()).await.unwrap();
    let pull = EventPull::new(session.events());
    let first = tokio::time::timeout(Duration::from_secs(5), pull.next()).await.unwrap().take();
    assert!(matches!(first, Some(Event::Connected)), "{first:?}");
    (sim, session, pull)
}

/// `enigma::binding::EventPull`, what the bindings pull with: an answer nobody took goes back to
/// the front, and a pull waiting behind it gets it, so no event is lost or reordered.
#[tokio::test]
async fn a_pulled_event_nobody_took_goes_back_to_the_front() {
    let (_sim, session, pull) = pulled_session().await;
    let next = async || tokio::time::timeout(Duration::from_secs(5), pull.next()).await.unwrap();
    session.new_task(TaskOptions::new("Search for keyboards #sim steps=2")).await.unwrap();

    assert!(matches!(next().await.take(), Some(Event::AgentThought { .. })));
    let given_up = next().await; // its caller stopped waiting: never taken
    let behind = tokio::spawn(pull.next());
    drop(given_up);
    let handed_on = tokio::time::timeout(Duration::from_secs(5), behind).await.unwrap().unwrap().take();
    assert!(matches!(handed_on, Some(Event::Action { .. })), "{handed_on:?}");
    assert!(matches!(next().await.take(), Some(Event::ResponseUpdate { .. })));
}

#[tokio::test]
async fn closing_a_pull_ends_the_one_in_flight_and_every_later_one() {
    let (_sim, _session, pull) = pulled_session().await;
    assert!(!pull.is_closed());
    let in_flight = tokio::spawn(pull.next());
    tokio::task::yield_now().await;
    pull.close();
    let answer = tokio::time::timeout(Duration::from_secs(5), in_flight).await.unwrap().unwrap();
    assert_eq!(answer.take(), None);
    assert!(pull.is_closed());
    assert_eq!(pull.next().await.take(), None);
}
