//! When a wait with a cost ceiling looks next. Running cost is only visible on polls, so a
//! ceiling checked every poll interval can be passed by up to one interval's spend. Polls are
//! not rate-limited: a ceiling looks again when the cost, at the spend rate seen, would reach
//! it, so the stop comes close to the ceiling rather than up to an interval past it.

use std::time::Duration;

use tokio::time::Instant;

/// The shortest gap between two looks brought forward by the ceiling, as a share of the poll
/// interval (and never under [`MIN_GAP`]): a rate that overestimates costs a few extra polls.
const GAP_SHARE: u32 = 10;
const MIN_GAP: Duration = Duration::from_millis(50);

/// A wait's cost ceiling and what it has seen of the task's spend.
pub(crate) struct Ceiling {
    limit: f64,
    /// The latest cost seen, and when.
    last: Option<(Instant, f64)>,
    /// The task's own spend rate (USD a second), from its two latest looks.
    rate: Option<f64>,
}

impl Ceiling {
    /// `sent_at`: when the task's create was sent, if known; its cost was nothing then, so
    /// the first look already tells a rate.
    pub(crate) fn new(limit: f64, sent_at: Option<Instant>) -> Ceiling {
        Ceiling { limit, last: sent_at.map(|at| (at, 0.0)), rate: None }
    }

    /// A cost seen now.
    pub(crate) fn saw(&mut self, cost: f64) {
        let now = Instant::now();
        if let Some((then, before)) = self.last {
            let secs = now.duration_since(then).as_secs_f64();
            if secs > 0.0 && cost > before {
                self.rate = Some((cost - before) / secs);
            }
        }
        self.last = Some((now, cost));
    }

    /// When to look next: a poll interval after `last_check`, or sooner, when the cost would
    /// reach the ceiling at the task's own rate (else `fallback_rate`, the highest the client
    /// has seen on any task).
    pub(crate) fn next_look(&self, last_check: Instant, interval: Duration, fallback_rate: Option<f64>) -> Instant {
        let regular = last_check + interval;
        let (Some((at, cost)), Some(rate)) = (self.last, self.rate.or(fallback_rate)) else { return regular };
        if rate.is_nan() || rate <= 0.0 || cost >= self.limit {
            return regular;
        }
        let gap = (interval / GAP_SHARE).max(MIN_GAP);
        let reach = Duration::try_from_secs_f64((self.limit - cost) / rate).unwrap_or(interval);
        regular.min(at + reach.max(gap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_next_look_comes_when_the_cost_would_reach_the_ceiling() {
        let interval = Duration::from_secs(2);
        let mut ceiling = Ceiling::new(0.10, None);
        let start = Instant::now();
        assert_eq!(ceiling.next_look(start, interval, None), start + interval, "nothing seen: the interval");
        ceiling.saw(0.0);
        tokio::time::advance(Duration::from_secs(1)).await;
        ceiling.saw(0.025); // 0.025 USD a second: 0.10 is reached 3 s after this look
        let now = Instant::now();
        assert_eq!(ceiling.next_look(now, interval, None), now + interval, "3 s away: the interval comes first");
        tokio::time::advance(Duration::from_secs(2)).await;
        ceiling.saw(0.075);
        let now = Instant::now();
        assert_eq!(ceiling.next_look(now, interval, None), now + Duration::from_secs(1));
        ceiling.saw(0.0999);
        let soon = ceiling.next_look(Instant::now(), interval, None);
        assert_eq!(soon, Instant::now() + Duration::from_millis(200), "never sooner than a tenth of the interval");
    }

    #[tokio::test(start_paused = true)]
    async fn a_task_without_a_rate_of_its_own_uses_the_clients() {
        let interval = Duration::from_secs(2);
        let mut ceiling = Ceiling::new(0.10, None);
        ceiling.saw(0.05);
        let now = Instant::now();
        assert_eq!(ceiling.next_look(now, interval, Some(0.1)), now + Duration::from_millis(500));
        assert_eq!(ceiling.next_look(now, interval, Some(0.0)), now + interval);
    }

    #[tokio::test(start_paused = true)]
    async fn the_first_look_tells_a_rate_from_the_moment_the_task_was_sent() {
        let interval = Duration::from_secs(2);
        let mut ceiling = Ceiling::new(0.10, Some(Instant::now()));
        tokio::time::advance(Duration::from_millis(100)).await;
        ceiling.saw(0.01); // 0.1 USD a second: the ceiling is 0.9 s away
        let now = Instant::now();
        assert_eq!(ceiling.next_look(now, interval, None), now + Duration::from_millis(900));
    }
}
