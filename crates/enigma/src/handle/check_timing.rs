//! When a wait on the live connection asks the service over REST anyway.
//!
//! The socket pushes the outcome, but an open socket can go quiet: a long step that says
//! nothing, a stalled server, an outcome event withheld (the documented service sends none for a
//! stop) or lost. So a quiet socket is checked over REST. The first check comes one poll interval
//! into the quiet, as polling would; while the connection stays up and the quiet lasts, each
//! next check waits twice as long as the last, up to [`QUIET_GAP_MAX`] (16 poll intervals at
//! most). A connection that is down (reconnecting) gets a check every poll interval, as polling
//! would. Why the back-off: a backend holding 10,000 quiet sessions made 5,000 checks a second at
//! the default 2 s (issue 23), as much as polling them all, which the socket is there to spare;
//! the back-off brings that to about 330 a second while a quiet task's withheld outcome is still
//! found within 30 s.

use std::time::Duration;

use tokio::time::Instant;

/// While events flow, a REST check this often anyway: a safety net against an outcome event
/// lost on the service's side while other events still come. Long enough that a typical task
/// needs none.
pub(super) const SAFETY_POLL: Duration = Duration::from_secs(60);

/// The longest quiet gap between two checks on a connection that is up (with the default 2 s
/// poll interval; a shorter interval caps it at 16 of them).
pub(super) const QUIET_GAP_MAX: Duration = Duration::from_secs(30);

/// How many poll intervals a quiet gap may grow to, at most.
const QUIET_GAP_MAX_INTERVALS: u32 = 16;

/// How a wait is watching, for the timing of its next REST check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Watching {
    /// No socket (or the cost is watched, which only polls can see): poll every interval.
    Polling,
    /// On a connection that is up.
    SocketUp,
    /// On a connection that is down and reconnecting: as polling would.
    SocketDown,
}

/// When the next REST check is due. `quiet_since`: when the socket last said something (or the
/// client last sent the session a command). `quiet_checks`: the checks made in a row because the socket
/// was quiet (nothing heard in between).
pub(super) fn next_check(
    watching: Watching,
    last_check: Instant,
    quiet_since: Instant,
    interval: Duration,
    quiet_checks: u32,
) -> Instant {
    let gap = match watching {
        Watching::Polling => return last_check + interval,
        Watching::SocketDown => interval,
        Watching::SocketUp => quiet_gap(interval, quiet_checks),
    };
    (last_check.max(quiet_since) + gap).min(last_check + SAFETY_POLL.max(interval))
}

/// The quiet gap after `quiet_checks` quiet checks in a row: the poll interval, doubled for each,
/// up to 16 intervals or 30 s, whichever is shorter (never under the interval itself).
fn quiet_gap(interval: Duration, quiet_checks: u32) -> Duration {
    let cap = (interval * QUIET_GAP_MAX_INTERVALS).min(QUIET_GAP_MAX).max(interval);
    let doubled = interval.saturating_mul(1 << quiet_checks.min(31));
    doubled.min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn a_quiet_socket_is_checked_after_one_interval_then_ever_less_often_up_to_30_s() {
        let two = 2 * S;
        let gaps: Vec<u64> = (0..7).map(|n| quiet_gap(two, n).as_secs()).collect();
        assert_eq!(gaps, [2, 4, 8, 16, 30, 30, 30]);
        // However long the quiet lasts, no overflow.
        assert_eq!(quiet_gap(two, u32::MAX), QUIET_GAP_MAX);
    }

    #[test]
    fn a_short_interval_caps_the_gap_at_16_intervals_and_a_long_one_is_never_shortened() {
        let ten_ms = Duration::from_millis(10);
        assert_eq!(quiet_gap(ten_ms, 0), ten_ms);
        assert_eq!(quiet_gap(ten_ms, 10), ten_ms * 16);
        let minute = 60 * S;
        assert_eq!(quiet_gap(minute, 0), minute);
        assert_eq!(quiet_gap(minute, 5), minute);
    }

    #[test]
    fn polling_and_a_connection_that_is_down_check_every_interval() {
        let start = Instant::now();
        let heard = start + S;
        let two = 2 * S;
        assert_eq!(next_check(Watching::Polling, start, heard, two, 6), start + two);
        assert_eq!(next_check(Watching::SocketDown, start, heard, two, 6), heard + two);
        assert_eq!(next_check(Watching::SocketUp, start, heard, two, 6), heard + QUIET_GAP_MAX);
    }

    #[test]
    fn a_busy_socket_is_still_checked_every_safety_interval() {
        let start = Instant::now();
        // Events keep coming: the last one was just now, 59 s after the last check.
        let heard = start + 59 * S;
        assert_eq!(next_check(Watching::SocketUp, start, heard, 2 * S, 0), start + SAFETY_POLL);
    }
}
