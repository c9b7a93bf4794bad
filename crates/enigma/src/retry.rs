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

/// The delay before retry number `attempt + 1`: the service's `Retry-After` when given
/// (capped), else exponential backoff with full jitter.
pub(crate) fn backoff_delay(attempt: u32, retry_after: Option<Duration>, base: Duration, max: Duration) -> Duration {
    if let Some(after) = retry_after {
        return after.min(max);
    }
    let ceiling = base.saturating_mul(1u32 << attempt.min(16)).min(max);
    // Full jitter spreads clients that failed together, but keep half the ceiling as a floor so
    // a retry never hammers a struggling server immediately.
    let half = ceiling / 2;
    half + rand::rng().random_range(Duration::ZERO..=half)
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
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        for attempt in 0..10 {
            let d = backoff_delay(attempt, None, base, max);
            let ceiling = base.saturating_mul(1 << attempt).min(max);
            assert!(d >= ceiling / 2 && d <= ceiling, "{attempt}: {d:?}");
        }
        assert_eq!(backoff_delay(0, Some(Duration::from_secs(3)), base, max), max);
        assert_eq!(backoff_delay(0, Some(Duration::from_millis(300)), base, max), Duration::from_millis(300));
    }
}
