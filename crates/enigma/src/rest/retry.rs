//! When a failed request may be sent again, and how long to wait first (contract §5).

use std::time::Duration;

use rand::Rng;

/// How safe a request is to repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryPolicy {
    /// Reads and state commands: repeating them changes nothing. Retried on connection errors,
    /// 429 and 5xx.
    Safe,
    /// Creates something billable (start-session, run-task, newTask): retried only when the
    /// service provably did no work (rate limit 429, 503, connection never made). A lost answer
    /// becomes `OutcomeUnknown`.
    Create,
    /// Not idempotent but creates nothing (a click, typed text, a guardrail answer): retried only
    /// when the service provably did no work.
    Once,
}

/// What one attempt saw.
#[derive(Debug)]
pub(crate) enum Attempt<'a> {
    /// An HTTP error answer.
    Answered { status: u16, server_code: Option<&'a str>, retry_after: Option<Duration> },
    /// No answer.
    NoAnswer { never_sent: bool },
    /// An answer that cannot be read: never retried.
    Undecodable,
}

impl RetryPolicy {
    /// `Some(retry_after)` when the attempt may be repeated (`retry_after` as the service asked).
    pub(crate) fn retry_after(self, attempt: &Attempt<'_>) -> Option<Option<Duration>> {
        match *attempt {
            Attempt::Answered { status: 429, server_code: Some("SESSION_LIMIT_REACHED"), .. } => None,
            // Rejected before any work began: safe for every request.
            Attempt::Answered { status: 429 | 503, retry_after, .. } => Some(retry_after),
            Attempt::Answered { status: 500..=599, retry_after, .. } if self == RetryPolicy::Safe => Some(retry_after),
            Attempt::Answered { .. } => None,
            Attempt::NoAnswer { never_sent: true } => Some(None),
            Attempt::NoAnswer { never_sent: false } if self == RetryPolicy::Safe => Some(None),
            Attempt::NoAnswer { .. } | Attempt::Undecodable => None,
        }
    }
}

/// Whether an HTTP error answer to a create request proves that nothing was created: the
/// service refused the request itself (any 4xx: key, balance, validation, limits, conflicts,
/// rate limit) or had no instance to run it (503). Any other status (a 502 or 504 from a gateway
/// that gave up while the service worked on, another 5xx, anything unexpected) leaves the outcome
/// unknown: the session or task may exist.
pub(crate) fn proves_nothing_created(status: u16) -> bool {
    matches!(status, 400..=499 | 503)
}

/// The delay before retry number `attempt + 1`: the service's `Retry-After` when given, else
/// exponential backoff with full jitter capped at `max`. `None` when the service asks for a
/// longer wait than `ceiling` (`retry_after_max`): sleeping that long inside a call would look
/// like a hang, so the error goes back to the caller, who decides.
pub(crate) fn retry_delay(
    attempt: u32,
    retry_after: Option<Duration>,
    base: Duration,
    max: Duration,
    ceiling: Duration,
) -> Option<Duration> {
    if let Some(after) = retry_after {
        // Honoured as asked, even above the backoff maximum: resending earlier is refused again.
        return (after <= ceiling).then_some(after);
    }
    let ceiling = base.saturating_mul(1u32 << attempt.min(16)).min(max);
    // Full jitter spreads clients that failed together, but keep half the ceiling as a floor so
    // a retry never hammers a struggling server immediately.
    let half = ceiling / 2;
    Some(half + rand::rng().random_range(Duration::ZERO..=half))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16, code: Option<&str>) -> Attempt<'_> {
        Attempt::Answered { status, server_code: code, retry_after: None }
    }

    #[test]
    fn create_requests_retry_only_when_no_work_was_done() {
        let create = RetryPolicy::Create;
        assert!(create.retry_after(&answered(429, Some("RATE_LIMIT_EXCEEDED"))).is_some());
        assert!(create.retry_after(&answered(503, None)).is_some());
        assert!(create.retry_after(&Attempt::NoAnswer { never_sent: true }).is_some());
        assert!(create.retry_after(&answered(500, None)).is_none());
        assert!(create.retry_after(&Attempt::NoAnswer { never_sent: false }).is_none());
        assert!(create.retry_after(&answered(429, Some("SESSION_LIMIT_REACHED"))).is_none());
    }

    #[test]
    fn only_4xx_and_503_prove_a_create_did_nothing() {
        for status in [400, 401, 402, 403, 404, 409, 422, 429, 503] {
            assert!(proves_nothing_created(status), "{status}");
        }
        for status in [200, 302, 500, 501, 502, 504, 599] {
            assert!(!proves_nothing_created(status), "{status}");
        }
    }

    #[test]
    fn safe_requests_retry_on_5xx_and_lost_answers_but_never_on_4xx() {
        let safe = RetryPolicy::Safe;
        assert!(safe.retry_after(&answered(500, None)).is_some());
        assert!(safe.retry_after(&Attempt::NoAnswer { never_sent: false }).is_some());
        for status in [400, 401, 402, 403, 404, 409] {
            assert!(safe.retry_after(&answered(status, None)).is_none(), "{status}");
        }
        assert!(safe.retry_after(&Attempt::Undecodable).is_none());
    }

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after_up_to_the_ceiling() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        let ceiling = Duration::from_secs(60);
        for attempt in 0..10 {
            let d = retry_delay(attempt, None, base, max, ceiling).unwrap();
            let cap = base.saturating_mul(1 << attempt).min(max);
            assert!(d >= cap / 2 && d <= cap, "{attempt}: {d:?}");
        }
        let secs = Duration::from_secs;
        assert_eq!(retry_delay(0, Some(secs(40)), base, max, ceiling), Some(secs(40)), "above the backoff max");
        assert_eq!(retry_delay(0, Some(secs(60)), base, max, ceiling), Some(secs(60)), "the ceiling itself");
        assert_eq!(retry_delay(0, Some(secs(61)), base, max, ceiling), None, "past the ceiling: no sleep");
        assert_eq!(
            retry_delay(3, Some(Duration::from_millis(300)), base, max, ceiling),
            Some(Duration::from_millis(300))
        );
    }
}
