//! When something is due for a session or its task: the rules the tick's full path
//! (`progress`) and its fast path (`steady`) share, so the two cannot drift apart.

use crate::clock::EPS;
use crate::config::SimConfig;
use crate::state::{Session, Task};

/// The settings the agent's timers need, in simulated seconds.
pub(super) struct Timers {
    pub(super) idle_timeout: f64,
    pub(super) initial_balance: f64,
    pub(super) instance_grace: f64,
}

impl Timers {
    pub(super) fn new(config: &SimConfig) -> Self {
        Timers {
            idle_timeout: config.idle_timeout.as_secs_f64(),
            initial_balance: config.initial_balance,
            instance_grace: config.instance_grace.as_secs_f64(),
        }
    }
}

/// The session has lived its `maxDuration`.
pub(super) fn past_max_duration(session: &Session, now: f64) -> bool {
    now - session.created + EPS >= session.max_duration
}

/// The session has had no task (running or queued) for the idle timeout.
pub(super) fn idle_too_long(session: &Session, now: f64, timers: &Timers) -> bool {
    session.current.is_none() && session.queued.is_none() && now - session.idle_since + EPS >= timers.idle_timeout
}

/// The task has run its `maxDuration`.
pub(super) fn timed_out(task: &Task, now: f64) -> bool {
    matches!((task.max_duration, task.started), (Some(limit), Some(started)) if now - started + EPS >= limit)
}

/// The work a progressing task has done by `now` (its clock moved since its last tick).
pub(super) fn work_done_by(task: &Task, now: f64) -> f64 {
    (task.elapsed + (now - task.last_tick).max(0.0)).min(task.script.duration)
}

/// The work at which the task reaches progress point `point`: points are half a step apart
/// (see `progress`).
pub(super) fn point_at(task: &Task, point: u32) -> f64 {
    point as f64 * (task.script.duration / task.script.steps as f64) / 2.0
}

/// Whether `elapsed` seconds of work reach the task's next progress point.
pub(super) fn reaches_next_point(task: &Task, elapsed: f64) -> bool {
    elapsed + EPS >= point_at(task, task.point)
}
