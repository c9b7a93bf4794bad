//! Pacing of the requests that count against the key's rate limit (creates, newTasks, REST
//! commands), from the `X-RateLimit-*` headers the service sends on every POST answer: a
//! request goes out only while the last reading, less the paced requests still unanswered,
//! leaves room; otherwise it waits for the window's reset or for an answer with a fresher
//! reading. So the runner sends what the key allows and does not collect 429s. Polls and socket
//! commands are not rate limited and are not paced.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::handle::client::Client;

/// How long to wait, with a reset already past, before looking again.
const RECHECK: Duration = Duration::from_millis(250);

pub(crate) struct Pacer {
    client: Client,
    /// Paced requests sent and not answered yet.
    in_flight: Mutex<u32>,
    answered: Notify,
}

/// A paced request in flight; dropping it (when the answer came, or the call was given up)
/// frees its place.
pub(crate) struct PacePermit<'a>(&'a Pacer);

impl Drop for PacePermit<'_> {
    fn drop(&mut self) {
        *self.0.in_flight.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        self.0.answered.notify_waiters();
    }
}

impl Pacer {
    pub(crate) fn new(client: Client) -> Pacer {
        Pacer { client, in_flight: Mutex::new(0), answered: Notify::new() }
    }

    /// Waits until the key has room for one more request, and takes it.
    pub(crate) async fn acquire(&self) -> PacePermit<'_> {
        loop {
            // Registered before looking, so an answer between the look and the wait wakes us.
            let answered = self.answered.notified();
            let wake = {
                let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
                match self.room(*in_flight) {
                    Ok(()) => {
                        *in_flight += 1;
                        return PacePermit(self);
                    }
                    Err(wake) => wake,
                }
            };
            tokio::select! {
                _ = answered => {}
                _ = tokio::time::sleep_until(wake) => {}
            }
        }
    }

    /// `Ok` when one more request fits; else when to look again (an answer also wakes).
    fn room(&self, in_flight: u32) -> Result<(), Instant> {
        let (seen, _) = self.client.rate_limit_seen();
        // Nothing known yet (the first requests, or a service that sends no headers): no pacing.
        // The first burst is at most the concurrency (5 by default), within the service's 10.
        let Some(remaining) = seen.and_then(|info| info.remaining) else { return Ok(()) };
        let info = seen.expect("read above");
        let reset_in = info.reset.map(until_unix);
        // Past the reset, the oldest counted request has left the (sliding) window: one more
        // fits, and its answer brings a fresh reading.
        let past_reset = reset_in.is_some_and(|d| d.is_zero());
        let room = if past_reset { remaining.max(1) } else { remaining };
        if u64::from(in_flight) < room {
            return Ok(());
        }
        Err(Instant::now() + reset_in.filter(|d| !d.is_zero()).unwrap_or(RECHECK))
    }
}

/// Time from now until a Unix time in seconds (zero once passed).
fn until_unix(unix_secs: u64) -> Duration {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    Duration::from_secs(unix_secs).saturating_sub(now)
}
