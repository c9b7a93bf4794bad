//! Simulated time: wall-clock time divided by the configured time scale.

use std::time::{Duration, Instant};

/// Tolerance for comparing simulated times.
pub(crate) const EPS: f64 = 1e-9;

/// The smallest time scale accepted; smaller values are raised to it.
const MIN_SCALE: f64 = 1e-6;

/// Converts between wall-clock time and simulated time.
#[derive(Clone, Debug)]
pub(crate) struct SimClock {
    start: Instant,
    scale: f64,
}

impl SimClock {
    pub(crate) fn new(scale: f64) -> Self {
        let scale = if scale.is_finite() && scale > MIN_SCALE { scale } else { MIN_SCALE };
        SimClock { start: Instant::now(), scale }
    }

    /// Simulated seconds since the simulator started.
    pub(crate) fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64() / self.scale
    }

    /// Wall-clock duration of a simulated duration.
    pub(crate) fn wall(&self, simulated: Duration) -> Duration {
        Duration::from_secs_f64(simulated.as_secs_f64() * self.scale)
    }

    /// Wall-clock duration of a number of simulated seconds.
    pub(crate) fn wall_secs(&self, simulated_secs: f64) -> Duration {
        Duration::from_secs_f64((simulated_secs * self.scale).max(0.0))
    }
}
