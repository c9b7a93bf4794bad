//! Reconnection delays: exponential backoff with jitter.
//!
//! Mirrors the official client's behaviour (`reconnectionDelay`,
//! `reconnectionDelayMax`, `randomizationFactor: 0.5`) so many SDK clients
//! losing the same server do not all come back in the same instant.

use std::time::Duration;

/// Fraction of the nominal delay added or removed at random.
const JITTER: f64 = 0.5;

/// Delay before reconnection attempt `attempt` (1-based).
///
/// The nominal delay doubles per attempt starting at `min`; jitter spreads it by
/// ±50 %; the result always stays within `[min, max]`.
pub(crate) fn reconnect_delay(attempt: u32, min: Duration, max: Duration) -> Duration {
    delay_with_jitter(attempt, min, max, rand::random::<f64>())
}

/// Deterministic core of [`reconnect_delay`]; `unit` is a random number in `[0, 1)`.
fn delay_with_jitter(attempt: u32, min: Duration, max: Duration, unit: f64) -> Duration {
    let max = max.max(min);
    // Cap the exponent: 2^20 × any sane `min` already exceeds any sane `max`,
    // and it keeps the float math far away from overflow.
    let exp = attempt.saturating_sub(1).min(20) as i32;
    let nominal = (min.as_secs_f64() * 2f64.powi(exp)).min(max.as_secs_f64());
    let unit = if unit.is_finite() { unit.clamp(0.0, 1.0) } else { 0.5 };
    // unit 0 → −50 %, 0.5 → nominal, 1 → +50 %.
    let jittered = nominal * (1.0 + JITTER * (2.0 * unit - 1.0));
    Duration::from_secs_f64(jittered.clamp(min.as_secs_f64(), max.as_secs_f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(1);
    const MAX: Duration = Duration::from_secs(5);

    #[test]
    fn grows_exponentially_without_jitter() {
        assert_eq!(delay_with_jitter(1, MIN, MAX, 0.5), Duration::from_secs(1));
        assert_eq!(delay_with_jitter(2, MIN, MAX, 0.5), Duration::from_secs(2));
        assert_eq!(delay_with_jitter(3, MIN, MAX, 0.5), Duration::from_secs(4));
        assert_eq!(delay_with_jitter(4, MIN, MAX, 0.5), MAX);
        assert_eq!(delay_with_jitter(u32::MAX, MIN, MAX, 0.5), MAX);
    }

    #[test]
    fn jitter_stays_in_bounds() {
        for attempt in [0, 1, 2, 3, 10, 1000] {
            for unit in [0.0, 0.1, 0.5, 0.99, 1.0, f64::NAN, -3.0, 7.0] {
                let d = delay_with_jitter(attempt, MIN, MAX, unit);
                assert!(d >= MIN && d <= MAX, "{attempt} {unit} {d:?}");
            }
        }
        assert_eq!(delay_with_jitter(2, MIN, MAX, 0.0), Duration::from_secs(1), "2s − 50 %");
        assert_eq!(delay_with_jitter(2, MIN, MAX, 1.0), Duration::from_secs(3), "2s + 50 %");
    }

    #[test]
    fn max_below_min_is_tolerated() {
        let d = reconnect_delay(3, Duration::from_secs(2), Duration::from_secs(1));
        assert_eq!(d, Duration::from_secs(2));
    }

    #[test]
    fn zero_delays() {
        assert_eq!(reconnect_delay(5, Duration::ZERO, Duration::ZERO), Duration::ZERO);
    }
}
