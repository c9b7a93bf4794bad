//! The tick's fast path: a session with nothing due (no progress point reached, no timeout, no
//! expiry, no pause to land) only moves its running task's clock and charges its key.
//!
//! With thousands of sessions open, that is nearly all of them on nearly every tick. The full
//! path (`progress::tick_session`) clones ids and looks the session, its task and its account up
//! a dozen times; at 10,000 sessions a tick took 14–33 ms under the state's lock, and every
//! request and emit waited behind it. This pass walks the sessions once, touches each task and
//! account once, allocates nothing, and hands the sessions with something due to the full path,
//! untouched, so that path does exactly what it always did.

use crate::state::{Inner, InstanceLink, Task, TaskPhase};

use super::due::{self, Timers};

/// Advances every open session with nothing due to `now`; returns the ids of the others, for the
/// full path.
pub(super) fn advance_steady(inner: &mut Inner, now: f64, timers: &Timers) -> Vec<String> {
    let Inner { sessions, tasks, accounts, .. } = inner;
    let mut due = Vec::new();
    for session in sessions.values().filter(|s| s.is_open()) {
        // Expiry (the instance being away is the full path's to judge: it is due either way).
        if due::past_max_duration(session, now) {
            due.push(session.id.clone());
            continue;
        }
        let Some(task_id) = session.current.as_deref() else {
            // No task: only the idle timeout can be due.
            if due::idle_too_long(session, now, timers) {
                due.push(session.id.clone());
            }
            continue;
        };
        let Some(task) = tasks.get_mut(task_id) else { continue };
        if task.phase.is_final() || task.phase == TaskPhase::Queued {
            continue;
        }
        let progresses = task.phase == TaskPhase::Running && !task.paused;
        let elapsed = if progresses { due::work_done_by(task, now) } else { task.elapsed };
        if session.manual_control || something_due(task, elapsed, now) {
            due.push(session.id.clone());
            continue;
        }
        let cost = task.usage_at(elapsed).cost;
        if cost > task.charged && !accounts.contains_key(&session.key) {
            // The account is made on first use: the full path's `Inner::account`.
            due.push(session.id.clone());
            continue;
        }
        task.last_tick = now;
        task.elapsed = elapsed;
        if cost > task.charged {
            if let Some(account) = accounts.get_mut(&session.key) {
                account.balance -= cost - task.charged;
            }
            task.charged = cost;
        }
    }
    due
}

/// Whether this tick must take the full path for the task: a timeout, an instance away, a pause
/// to land, or a progress point reached at `elapsed` (an event to emit, or the end).
fn something_due(task: &Task, elapsed: f64, now: f64) -> bool {
    if due::timed_out(task, now) {
        return true;
    }
    if matches!(task.link, InstanceLink::Down { .. }) {
        return true;
    }
    if task.pause_requested && task.phase == TaskPhase::Running {
        return true;
    }
    task.phase == TaskPhase::Running && !task.paused && due::reaches_next_point(task, elapsed)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::lifecycle::add_task;
    use super::super::progress::{tick, tick_every_session_fully};
    use crate::config::SimConfig;
    use crate::directives::parse;
    use crate::state::{Inner, Session, Task};

    /// Sessions in every situation the tick meets: tasks short and long, many steps, a guardrail,
    /// a failure, a time limit, a pause asked for, manual control, a queued task, an idle session
    /// that expires, one that reaches its maxDuration, and a key with no account yet.
    fn sessions(config: &SimConfig) -> Inner {
        let mut inner = Inner::new(config);
        let scripts = [
            Some("Long #sim duration=80000 steps=1"),
            Some("Short #sim duration=2 steps=1"),
            Some("Many steps #sim duration=3 steps=7 cost=0.5"),
            Some("Ask #sim duration=2 steps=3 guardrail=\"Which size?\""),
            Some("Break #sim duration=2 steps=2 fail=PAGE_CRASH"),
            Some("Timed #sim duration=50 steps=5"),
            Some("Paused #sim duration=10 steps=4"),
            Some("Manual #sim duration=10 steps=4"),
            Some("First #sim duration=1 steps=1"),
            None,
            Some("Expiring #sim duration=100 steps=2"),
        ];
        for (n, script) in scripts.iter().enumerate() {
            let id = format!("session-{n}");
            let key = if n == 2 { "enig_new_key".to_owned() } else { "enig_key".to_owned() };
            let max_duration = if n == 10 { 7.0 } else { 3600.0 };
            let mut session = Session::new(id.clone(), key, 0.0, max_duration);
            session.manual_control = n == 7;
            inner.sessions.insert(id.clone(), session);
            let Some(script) = script else { continue };
            let mut task = Task::new(format!("task-{n}"), id.clone(), parse(script).expect("script"));
            if n == 5 {
                task.max_duration = Some(4.0);
            }
            add_task(&mut inner, task, 0.0);
            if n == 6 {
                inner.tasks.get_mut("task-6").expect("task").pause_requested = true;
            }
            if n == 8 {
                let queued = Task::new("task-8b".into(), id, parse("Then #sim duration=2 steps=2").expect("script"));
                add_task(&mut inner, queued, 0.0);
            }
        }
        inner.account("enig_key", config.initial_balance);
        inner
    }

    /// What an observer can see of the state: events sent, tasks' progress, balances.
    fn observed(inner: &Inner) -> Vec<String> {
        let mut seen: Vec<String> = inner
            .sessions
            .values()
            .map(|s| format!("{} {:?} {:?} {:?} {:?}", s.id, s.status, s.current, s.queued, events(s)))
            .collect();
        seen.extend(inner.tasks.values().map(|t| {
            format!("{} {:?} {} {} {} {} {}", t.id, t.phase, t.elapsed, t.point, t.charged, t.paused, t.last_tick)
        }));
        // Rounded: sessions are visited in each map's own order, and a sum of charges in
        // another order may differ in its last bits.
        seen.extend(inner.accounts.iter().map(|(key, account)| format!("{key} {:.9}", account.balance)));
        seen.sort();
        seen
    }

    /// A session's events without `completedAt`: the wall clock when the task ended, which the
    /// two runs read a moment apart.
    fn events(session: &Session) -> Vec<serde_json::Value> {
        let mut events: Vec<serde_json::Value> = session.recent.iter().cloned().collect();
        for event in &mut events {
            if let Some(data) = event.get_mut("data").and_then(|d| d.as_object_mut()) {
                data.remove("completedAt");
            }
        }
        events
    }

    #[test]
    fn the_fast_path_leaves_every_session_as_the_full_path_would() {
        let config = SimConfig { idle_timeout: Duration::from_secs(5), ..SimConfig::default() };
        let mut fast = sessions(&config);
        let mut full = sessions(&config);
        // Ticks of uneven lengths, through every step, the guardrail, the failure, the time
        // limit, the pause, the idle timeout and the maxDuration.
        let mut now = 0.0;
        for n in 0..120 {
            now += 0.05 + (n % 7) as f64 * 0.037;
            if n == 30 {
                // A pause asked for between two progress points, as a `state` command would.
                for inner in [&mut fast, &mut full] {
                    inner.tasks.get_mut("task-0").expect("task").pause_requested = true;
                }
            }
            tick(&mut fast, now, &config);
            tick_every_session_fully(&mut full, now, &config);
            assert_eq!(observed(&fast), observed(&full), "after the tick at {now}");
        }
        // The run met what it was meant to: ended tasks, a pending question, an expired session.
        let done = fast.tasks.values().filter(|t| t.phase.is_final()).count();
        assert!(done >= 5, "{done} tasks ended");
        assert!(fast.tasks["task-1"].usage().cost > 0.0);
        assert!(fast.tasks["task-0"].elapsed > 3.0, "the long task's clock moved");
        assert!(!fast.sessions["session-9"].is_open(), "the idle session expired");
        assert!(!fast.sessions["session-10"].is_open(), "the session reached its maxDuration");
        assert!(fast.tasks["task-6"].paused);
        assert!(fast.tasks["task-0"].paused, "the pause asked for mid-step landed");
    }
}
