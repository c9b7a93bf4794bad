//! Per-key sliding-window rate limiting of the POST endpoints (60 s of wall time by default).

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, HeaderValue};

use crate::config::RateLimitScope;

/// What a limiter check tells the client, as `X-RateLimit-*` headers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds when the oldest counted request leaves the window.
    pub reset: u64,
    /// Seconds to wait, when the request was refused.
    pub retry_after: Option<u64>,
}

impl RateInfo {
    /// Adds the `X-RateLimit-*` headers.
    pub(crate) fn apply(&self, headers: &mut HeaderMap) {
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(self.reset));
    }
}

/// Sliding-window log of accepted requests per budget.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limit: Option<u32>,
    scope: RateLimitScope,
    window: Duration,
    windows: HashMap<String, VecDeque<Instant>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: Option<u32>, scope: RateLimitScope, window: Duration) -> Self {
        RateLimiter { limit, scope, window, windows: HashMap::new() }
    }

    /// Counts one request of `key` to `endpoint`; `None` when limiting is off.
    /// Refused requests are not counted.
    pub(crate) fn check(&mut self, key: &str, endpoint: &str) -> Option<RateInfo> {
        let limit = self.limit?;
        let bucket = match self.scope {
            RateLimitScope::Shared => key.to_string(),
            RateLimitScope::PerEndpoint => format!("{key}\n{endpoint}"),
        };
        let now = Instant::now();
        let length = self.window;
        let window = self.windows.entry(bucket).or_default();
        while window.front().is_some_and(|t| now.duration_since(*t) >= length) {
            window.pop_front();
        }
        let accepted = (window.len() as u32) < limit;
        if accepted {
            window.push_back(now);
        }
        let until_free = window.front().map(|t| length.saturating_sub(now.duration_since(*t))).unwrap_or(length);
        let unix_now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let reset = (unix_now + until_free).as_secs_f64().ceil() as u64;
        Some(RateInfo {
            limit,
            remaining: limit.saturating_sub(window.len() as u32),
            reset,
            retry_after: (!accepted).then(|| until_free.as_secs_f64().ceil().max(1.0) as u64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_limit() {
        let mut rl = RateLimiter::new(Some(2), RateLimitScope::Shared, Duration::from_secs(60));
        assert_eq!(rl.check("k", "a").unwrap().remaining, 1);
        assert_eq!(rl.check("k", "b").unwrap().remaining, 0);
        let refused = rl.check("k", "a").unwrap();
        assert!(refused.retry_after.unwrap() >= 59);
        assert!(rl.check("other", "a").unwrap().retry_after.is_none());
    }

    #[test]
    fn per_endpoint_scope() {
        let mut rl = RateLimiter::new(Some(1), RateLimitScope::PerEndpoint, Duration::from_secs(60));
        assert!(rl.check("k", "a").unwrap().retry_after.is_none());
        assert!(rl.check("k", "b").unwrap().retry_after.is_none());
        assert!(rl.check("k", "a").unwrap().retry_after.is_some());
    }
}
