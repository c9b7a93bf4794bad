//! Shared test setup: a simulator on loopback per test, and a client pointed at it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use enigma::{Client, ClientBuilder};
use enigma_sim::{SimConfig, SimHandle, Simulator};
use serde_json::Value;

/// 1 simulated second = 10 ms: a default 3 s task takes 30 ms.
pub const TIME_SCALE: f64 = 0.01;

/// A well-formed key unique to the calling test (limits are per key).
pub fn key() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("enig_test{:0>23}", N.fetch_add(1, Ordering::SeqCst))
}

/// The simulator's settings for tests: fast time, no rate limit (tests that need it turn it on).
///
/// `ENIGMA_TEST_STRICT_DOCS=1` runs them against the documented-only simulator (`strict_docs`):
/// `scripts/test-all.sh` runs the live-event, wait, batch and control tests that way too.
pub fn sim_config() -> SimConfig {
    SimConfig { time_scale: TIME_SCALE, rate_limit: None, strict_docs: strict_docs(), ..SimConfig::default() }
}

/// What a poll of a paused task says: `paused: true` is an extra of the simulator, which the
/// documented service (and the simulator's `strict_docs`) does not send.
pub fn paused_shown() -> bool {
    !strict_docs()
}

/// Whether this run is against the documented-only simulator (see [`sim_config`]).
pub fn strict_docs() -> bool {
    std::env::var("ENIGMA_TEST_STRICT_DOCS").is_ok_and(|v| v == "1")
}

pub async fn sim() -> SimHandle {
    sim_with(sim_config()).await
}

pub async fn sim_with(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("the simulator starts")
}

/// A client for the simulator with quick polls and retries.
pub fn builder(sim: &SimHandle) -> ClientBuilder {
    Client::builder()
        .api_key(key())
        .base_url(sim.url())
        .poll_interval(Duration::from_millis(10))
        .retry_backoff(Duration::from_millis(10))
        .retry_backoff_max(Duration::from_secs(2))
}

pub fn client(sim: &SimHandle) -> Client {
    builder(sim).build().expect("client builds")
}

/// A number in the simulator's stats, by dotted path (`sessions.open`,
/// `requests.byMessage.state:pause`); absent counts are 0.
pub fn stat(sim: &SimHandle, path: &str) -> u64 {
    let stats = sim.stats_json();
    let mut node = &stats;
    let mut rest = path;
    while let Some((head, tail)) = rest.split_once('.') {
        match node.get(head) {
            Some(next) if next.is_object() => {
                node = next;
                rest = tail;
            }
            _ => break,
        }
    }
    node.get(rest).and_then(Value::as_u64).unwrap_or(0)
}

/// POSTs a fault rule to the simulator (`/_sim/faults`).
pub async fn fault(sim: &SimHandle, rule: Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/_sim/faults", sim.url()))
        .json(&rule)
        .send()
        .await
        .expect("fault endpoint answers");
    assert!(response.status().is_success(), "fault rule refused: {}", response.text().await.unwrap_or_default());
}

/// Polls a condition on the stats until it holds (the simulator acts asynchronously on
/// timers), failing after 5 s.
pub async fn eventually(sim: &SimHandle, path: &str, expected: u64) {
    for _ in 0..500 {
        if stat(sim, path) == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{path} never became {expected}: {}", sim.stats_json());
}

/// How many times a message was sent, over REST or the socket (`state:pause`, `newTask`...).
pub fn sent(sim: &SimHandle, message: &str) -> u64 {
    stat(sim, &format!("commands.byMessage.{message}"))
}

/// Waits (up to 5 s) until the simulator has no open session.
pub async fn until_no_session_open(sim: &SimHandle) {
    for _ in 0..500 {
        if stat(sim, "sessions.open") == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("sessions still open: {}", sim.stats_json()["sessions"]);
}
