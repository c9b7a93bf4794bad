//! How often the whole simulation is brought up to date.
//!
//! Every request (and every socket that connects) brings the agent up to date before it is
//! answered, and a tick visits every open session: with thousands of sessions open, a tick per
//! request made opening them quadratic (a simulator busy ticking, its answers and events late).
//! A full tick is skipped when the last one ended less than a few times its own cost ago: with a
//! few sessions that is microseconds (every request still sees the simulation as of its arrival);
//! with thousands, the simulator spends at most a fifth of its time ticking, and what a request
//! sees is at most a few tick costs old.

use std::time::{Duration, Instant};

/// A full tick waits at least this many times the cost of the previous one after its end.
const SPACING: u32 = 4;

/// When the last full tick ended and what it cost; whether one is under way.
#[derive(Debug, Default)]
pub(crate) struct TickPacing {
    last: Option<(Instant, Duration)>,
    /// The ticker's tick lets go of the state between its parts (`AppState::advance_yielding`):
    /// no other tick starts meanwhile.
    under_way: bool,
}

impl TickPacing {
    /// Whether a full tick is due now.
    pub(crate) fn due(&self) -> bool {
        !self.under_way && self.due_at(Instant::now())
    }

    /// Notes a full tick that started at `started` and just ended.
    pub(crate) fn ticked(&mut self, started: Instant) {
        self.record(started, Instant::now());
    }

    /// Notes a tick taken in parts: under way until [`TickPacing::finished`].
    pub(crate) fn begin(&mut self) {
        self.under_way = true;
    }

    /// Notes the end of a tick taken in parts, which held the state for `cost` in all.
    pub(crate) fn finished(&mut self, cost: Duration) {
        self.under_way = false;
        self.last = Some((Instant::now(), cost));
    }

    fn due_at(&self, now: Instant) -> bool {
        self.last.is_none_or(|(ended, cost)| now.saturating_duration_since(ended) >= cost * SPACING)
    }

    fn record(&mut self, started: Instant, ended: Instant) {
        self.last = Some((ended, ended.saturating_duration_since(started)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tick_is_due_at_first_and_again_once_a_few_of_its_costs_have_passed() {
        let mut pacing = TickPacing::default();
        assert!(pacing.due());
        let start = Instant::now();
        let ms = Duration::from_millis;
        pacing.record(start, start + ms(20));
        assert!(!pacing.due_at(start + ms(20)), "right after a 20 ms tick");
        assert!(!pacing.due_at(start + ms(20) + ms(20) * SPACING - ms(1)));
        assert!(pacing.due_at(start + ms(20) + ms(20) * SPACING));
        // A cheap tick (a few sessions) leaves the next one due almost at once.
        pacing.record(start, start + Duration::from_micros(5));
        assert!(pacing.due_at(start + ms(1)));
    }

    #[test]
    fn no_tick_is_due_while_one_is_under_way_and_its_cost_is_what_it_held() {
        let mut pacing = TickPacing::default();
        pacing.begin();
        assert!(!pacing.due(), "a tick is under way");
        pacing.finished(Duration::from_millis(50));
        assert!(!pacing.due(), "four times 50 ms have not passed");
        pacing.finished(Duration::ZERO);
        assert!(pacing.due());
    }
}
