//! Pacing of the requests that count against the key's rate limit (creates, newTasks, REST
//! commands), from the `X-RateLimit-*` headers the service sends on every POST answer: a
//! request goes out only while the last reading, less the paced requests still unanswered,
//! leaves room; otherwise it waits for the window's reset or for an answer with a fresher
//! reading. So the runner sends what the key allows and does not collect 429s. Polls and socket
//! commands are not rate limited and are not paced.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::handle::client::Client;

/// How long to wait, with a reset already past, before looking again.
const RECHECK: Duration = Duration::from_millis(250);

pub(crate) struct Pacer {
    client: Client,
    /// The service's sliding window (60 s, contract §5.1).
    window: Duration,
    /// Paced requests sent and not answered yet, and when each paced request of the last
    /// window was sent. Past a reset the headers are stale until an answer brings new ones (and a
    /// create may answer only when its task ends): the log of our own sends says what the
    /// window holds meanwhile (one process per key, as docs/scaling.md advises).
    state: Mutex<(u32, VecDeque<Instant>)>,
    answered: Notify,
}

/// A paced request in flight; dropping it (when the answer came, or the call was given up)
/// frees its place.
pub(crate) struct PacePermit<'a>(&'a Pacer);

impl Drop for PacePermit<'_> {
    fn drop(&mut self) {
        self.0.state.lock().unwrap_or_else(|e| e.into_inner()).0 -= 1;
        self.0.answered.notify_waiters();
    }
}

impl Pacer {
    pub(crate) fn new(client: Client, window: Duration) -> Pacer {
        Pacer { client, window, state: Mutex::default(), answered: Notify::new() }
    }

    /// Waits until the key has room for one more request, and takes it. A wait is recorded on
    /// the client (see [`Client::rate_limit_wait`]) for as long as it lasts.
    pub(crate) async fn acquire(&self) -> PacePermit<'_> {
        let mut waiting = None;
        loop {
            // Registered before looking, so an answer between the look and the wait wakes us.
            let answered = self.answered.notified();
            let wake = {
                let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                while state.1.front().is_some_and(|sent| now.duration_since(*sent) >= self.window) {
                    state.1.pop_front();
                }
                match self.room(state.0, &state.1) {
                    Ok(()) => {
                        state.0 += 1;
                        state.1.push_back(now);
                        return PacePermit(self);
                    }
                    Err(wake) => wake,
                }
            };
            let until = SystemTime::now() + wake.saturating_duration_since(Instant::now());
            // One wait from the first look that found no room to the permit; a later look that
            // moves the moment joins or begins another (said again: the wait grew).
            let limit = self.client.rate_limit_seen().0.and_then(|info| info.limit);
            let moved = waiting.as_ref().is_none_or(|(at, _)| until_gap(*at, until) >= Duration::from_secs(1));
            if moved {
                waiting = Some((until, self.client.rate_waits().begin(limit, self.window, "creates", until)));
            }
            tokio::select! {
                _ = answered => {}
                _ = tokio::time::sleep_until(wake) => {}
            }
        }
    }

    /// `Ok` when one more request fits; else when to look again (an answer also wakes).
    fn room(&self, in_flight: u32, sent: &VecDeque<Instant>) -> Result<(), Instant> {
        let (seen, _) = self.client.rate_limit_seen();
        // Nothing known yet (the first requests, or a service that sends no headers): no pacing.
        // The first burst is at most the concurrency (5 by default), within the service's 10.
        let Some(remaining) = seen.and_then(|info| info.remaining) else { return Ok(()) };
        let info = seen.expect("read above");
        // Our own log first: a full window waits for its oldest send to leave.
        if let Some(limit) = info.limit
            && sent.len() as u64 >= limit
        {
            return Err(sent.front().map_or(Instant::now() + RECHECK, |oldest| *oldest + self.window));
        }
        let reset_in = info.reset.map(until_unix);
        // Before the reset the reading holds (less what we sent since); past it, the oldest
        // counted request has left the sliding window and the log above is the judge.
        if reset_in.is_some_and(|d| d.is_zero()) || u64::from(in_flight) < remaining {
            return Ok(());
        }
        Err(Instant::now() + reset_in.unwrap_or(RECHECK))
    }
}

fn until_gap(a: SystemTime, b: SystemTime) -> Duration {
    a.duration_since(b).or_else(|_| b.duration_since(a)).unwrap_or_default()
}

/// Time from now until a Unix time in seconds (zero once passed).
fn until_unix(unix_secs: u64) -> Duration {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Duration::from_secs(unix_secs).saturating_sub(now)
}
