//! Waits for the key's rate limit, as data every display can show: the batch pacer's waits for
//! room in the window and the REST layer's sleeps after a 429 both say "we are waiting for the
//! rate limit until T" here, so the CLI's progress bar, Python's tqdm bar and Node's
//! `onProgress` all tell the user why nothing moves instead of sitting silent.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tokio::sync::watch;

/// One wait for the key's rate limit (see [`Client::rate_limit_wait`](crate::Client::rate_limit_wait)).
/// Its serde form is snake_case, like [`Usage`](crate::Usage)'s; the bindings respell it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateLimitWait {
    /// The requests the key may send per window (`X-RateLimit-Limit`), when the service said.
    pub limit: Option<u64>,
    /// The window's length, seconds (60 on the service).
    pub window_secs: f64,
    /// What waits: `creates` (sessions and tasks) or `requests`.
    pub what: &'static str,
    /// When the next request may go, Unix milliseconds.
    pub until_ms: u64,
    /// The wait as every display words it, when it began:
    /// `waiting for the rate limit: 10 creates/min, next in 5 s`.
    pub message: String,
}

impl RateLimitWait {
    fn new(limit: Option<u64>, window: Duration, what: &'static str, until: SystemTime) -> RateLimitWait {
        let mut wait = RateLimitWait {
            limit,
            window_secs: window.as_secs_f64(),
            what,
            until_ms: unix_ms(until),
            message: String::new(),
        };
        wait.message = wait.text_at(SystemTime::now());
        wait
    }

    /// The wait as words at `now` (the seconds left counting down):
    /// `waiting for the rate limit: 10 creates/min, next in 5 s`.
    pub fn text_at(&self, now: SystemTime) -> String {
        let left = self.until_ms.saturating_sub(unix_ms(now));
        // Whole seconds, rounded up: "next in 0 s" would read as no wait at all.
        let next = left.div_ceil(1000);
        match self.limit {
            Some(limit) => {
                format!("waiting for the rate limit: {limit} {}{}, next in {next} s", self.what, per(self.window_secs))
            }
            None => format!("waiting for the rate limit: next {} in {next} s", singular(self.what)),
        }
    }
}

/// `/min` for the service's minute, else `per 2 s`.
fn per(window_secs: f64) -> String {
    if (window_secs - 60.0).abs() < 0.5 { "/min".to_owned() } else { format!(" per {window_secs} s") }
}

fn singular(what: &str) -> &str {
    what.strip_suffix('s').unwrap_or(what)
}

fn unix_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64
}

/// What the tracker holds: how many waits began, the latest one, and how many waiters share it.
#[derive(Debug, Clone, Default)]
struct WaitState {
    count: u64,
    latest: Option<RateLimitWait>,
    waiters: usize,
}

/// The client's record of rate-limit waits (one per client: its key's limit). Waiters that
/// wait for the same moment (the batch's workers, all held by one full window) share one wait,
/// so a display says it once.
#[derive(Debug)]
pub(crate) struct RateWaits {
    state: watch::Sender<WaitState>,
}

/// A wait under way; dropping it (the request went, or was given up) ends the caller's share.
pub(crate) struct Waiting<'a> {
    waits: &'a RateWaits,
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.waits.state.send_modify(|state| state.waiters = state.waiters.saturating_sub(1));
    }
}

impl Default for RateWaits {
    fn default() -> Self {
        RateWaits { state: watch::Sender::new(WaitState::default()) }
    }
}

impl RateWaits {
    /// Says a wait for the rate limit begins, until `until`. Joins the wait under way when it
    /// ends about then (within a second); otherwise a new wait is counted.
    pub(crate) fn begin(
        &self,
        limit: Option<u64>,
        window: Duration,
        what: &'static str,
        until: SystemTime,
    ) -> Waiting<'_> {
        let wait = RateLimitWait::new(limit, window, what, until);
        self.state.send_modify(|state| {
            let joins =
                state.waiters > 0 && state.latest.as_ref().is_some_and(|w| w.until_ms.abs_diff(wait.until_ms) < 1000);
            if !joins {
                state.count += 1;
                state.latest = Some(wait);
            }
            state.waiters += 1;
        });
        Waiting { waits: self }
    }

    /// The wait under way, if any.
    pub(crate) fn current(&self) -> Option<RateLimitWait> {
        let state = self.state.borrow();
        state.latest.clone().filter(|_| state.waiters > 0)
    }

    /// How many waits began so far.
    pub(crate) fn count(&self) -> u64 {
        self.state.borrow().count
    }

    /// The waits that begin from now on, one by one.
    pub(crate) fn notices(&self) -> RateLimitNotices {
        let receiver = self.state.subscribe();
        let told = receiver.borrow().count;
        RateLimitNotices { receiver, told }
    }
}

/// The waits for the rate limit that begin after it was made, one by one, for a display that
/// says so at once ([`Client::rate_limit_notices`](crate::Client::rate_limit_notices)).
#[derive(Debug)]
pub struct RateLimitNotices {
    receiver: watch::Receiver<WaitState>,
    told: u64,
}

impl RateLimitNotices {
    /// The next wait to begin (the latest, when several began since the last call); `None`
    /// once the client is gone. Cancellation-safe: a call dropped before it returns loses no
    /// wait.
    pub async fn next(&mut self) -> Option<RateLimitWait> {
        loop {
            {
                let state = self.receiver.borrow_and_update();
                if state.count > self.told
                    && let Some(wait) = state.latest.clone()
                {
                    self.told = state.count;
                    return Some(wait);
                }
            }
            self.receiver.changed().await.ok()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_reads_as_the_limit_and_the_seconds_left() {
        let now = SystemTime::now();
        let wait = RateLimitWait::new(Some(10), Duration::from_secs(60), "creates", now + Duration::from_millis(4200));
        assert_eq!(wait.text_at(now), "waiting for the rate limit: 10 creates/min, next in 5 s");
        assert_eq!(
            wait.text_at(now + Duration::from_secs(10)),
            "waiting for the rate limit: 10 creates/min, next in 0 s"
        );
        let short = RateLimitWait::new(Some(2), Duration::from_secs(2), "requests", now + Duration::from_secs(1));
        assert_eq!(short.text_at(now), "waiting for the rate limit: 2 requests per 2 s, next in 1 s");
        let unknown = RateLimitWait::new(None, Duration::from_secs(60), "creates", now + Duration::from_secs(3));
        assert_eq!(unknown.text_at(now), "waiting for the rate limit: next create in 3 s");
    }

    #[test]
    fn waiters_for_the_same_moment_share_one_wait_and_it_ends_with_the_last() {
        let waits = RateWaits::default();
        let until = SystemTime::now() + Duration::from_secs(5);
        let minute = Duration::from_secs(60);
        let first = waits.begin(Some(10), minute, "creates", until);
        let second = waits.begin(Some(10), minute, "creates", until + Duration::from_millis(300));
        assert_eq!(waits.count(), 1);
        drop(first);
        assert!(waits.current().is_some(), "one waiter is left");
        drop(second);
        assert_eq!(waits.current(), None);
        let _later = waits.begin(Some(10), minute, "creates", until + Duration::from_secs(60));
        assert_eq!(waits.count(), 2);
    }
}
