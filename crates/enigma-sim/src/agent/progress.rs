//! The scripted agent's progress: every tick advances the open sessions and their tasks.
//!
//! A task's work is `script.duration` simulated seconds split into `script.steps` steps. Progress
//! points are spaced half a step apart: point `2k` starts step `k` (an `agent` thought and an
//! `action`), point `2k+1` is its `response_update`, point `2*steps` is completion. The
//! guardrail question and the scripted failure happen at point 2 (after the first step).

use serde_json::json;

use super::due::{self, Timers};
use super::instance;
use super::lifecycle::{emit_for_task, end_task, terminate_session};
use super::steady::advance_steady;
use crate::config::SimConfig;
use crate::directives::failure_text;
use crate::state::{Inner, InstanceLink, TaskPhase};

const ACTIONS: &[(&str, &str)] = &[
    ("navigate", "the starting page"),
    ("click_element", "search box"),
    ("type_text", "search box"),
    ("click_element", "first result"),
    ("scroll", "results list"),
    ("extract_content", "page content"),
];

/// Advances every open session to simulated time `now`.
pub(crate) fn tick(inner: &mut Inner, now: f64, config: &SimConfig) {
    let due = tick_steady(inner, now, config);
    tick_due(inner, &due, now, config);
}

/// A tick's first part: most sessions have nothing due but their clock and charge, done in one
/// pass. Returns the sessions that have, for [`tick_due`].
pub(crate) fn tick_steady(inner: &mut Inner, now: f64, config: &SimConfig) -> Vec<String> {
    advance_steady(inner, now, &Timers::new(config))
}

/// A tick's second part, for the sessions `tick_steady` returned (or some of them: the ticker
/// takes them a few at a time). One closed meanwhile is passed over.
pub(crate) fn tick_due(inner: &mut Inner, session_ids: &[String], now: f64, config: &SimConfig) {
    let timers = Timers::new(config);
    for session_id in session_ids {
        if inner.sessions.get(session_id).is_some_and(|s| s.is_open()) {
            tick_session(inner, session_id, now, &timers);
        }
    }
}

/// The tick without its fast path: every open session through `tick_session` (what the fast
/// path is checked against).
#[cfg(test)]
pub(super) fn tick_every_session_fully(inner: &mut Inner, now: f64, config: &SimConfig) {
    let timers = Timers::new(config);
    let open: Vec<String> = inner.sessions.values().filter(|s| s.is_open()).map(|s| s.id.clone()).collect();
    for session_id in open {
        tick_session(inner, &session_id, now, &timers);
    }
}

fn tick_session(inner: &mut Inner, session_id: &str, now: f64, timers: &Timers) {
    let Some(session) = inner.sessions.get(session_id) else { return };
    // While its instance is away, the grace period (not maxDuration) decides the session's fate.
    if due::past_max_duration(session, now) && !instance::is_down(inner, session_id) {
        terminate_session(inner, session_id, "expired", "Session reached its maxDuration and was terminated", now);
        return;
    }
    let Some(session) = inner.sessions.get(session_id) else { return };
    if let Some(task_id) = session.current.clone() {
        advance_task(inner, &task_id, now, timers);
    }
    let Some(session) = inner.sessions.get(session_id) else { return };
    if session.is_open() && due::idle_too_long(session, now, timers) {
        terminate_session(inner, session_id, "expired", "Session expired after being idle without a task", now);
    }
}

fn advance_task(inner: &mut Inner, task_id: &str, now: f64, timers: &Timers) {
    let initial_balance = timers.initial_balance;
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    if task.phase.is_final() || task.phase == TaskPhase::Queued {
        return;
    }
    if due::timed_out(task, now) {
        let limit = task.max_duration.unwrap_or_default();
        let error = format!("Task timed out: it exceeded its maxDuration of {} ms", (limit * 1000.0).round() as u64);
        end_task(inner, task_id, TaskPhase::Failed { code: "TASK_TIMEOUT".into(), error }, now);
        return;
    }
    let manual = inner.sessions.get(&task.session_id).is_some_and(|s| s.manual_control);
    let work_done = due::work_done_by(task, now);
    task.last_tick = now;
    // No progress while the instance is away (nor on the tick it comes back).
    let link = task.link;
    if let InstanceLink::Down { since } = link
        && instance::advance(inner, task_id, since, now, timers.instance_grace)
    {
        return;
    }
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    let link_up = !matches!(link, InstanceLink::Down { .. });
    if link_up && task.phase == TaskPhase::Running && !task.paused && !manual {
        task.elapsed = work_done;
        if let Some(outcome) = run_points(inner, task_id, now, timers.instance_grace) {
            charge(inner, task_id, initial_balance);
            end_task(inner, task_id, outcome, now);
            return;
        }
    }
    charge(inner, task_id, initial_balance);
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    if task.pause_requested && task.phase == TaskPhase::Running {
        // The current action is done: the pause lands now.
        task.pause_requested = false;
        task.paused = true;
        task.notify();
        let event = json!({ "type": "agent", "content": "Paused after finishing the current action." });
        emit_for_task(inner, task_id, event);
    }
}

/// Charges the key the cost accrued since the last charge.
fn charge(inner: &mut Inner, task_id: &str, initial_balance: f64) {
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    let cost = task.usage().cost;
    let delta = cost - task.charged;
    if delta <= 0.0 {
        return;
    }
    task.charged = cost;
    let session_id = task.session_id.clone();
    let Some(key) = inner.sessions.get(&session_id).map(|s| s.key.clone()) else { return };
    inner.account(&key, initial_balance).balance -= delta;
}

/// Emits the events of every progress point reached; returns an outcome when the task ends.
fn run_points(inner: &mut Inner, task_id: &str, now: f64, grace: f64) -> Option<TaskPhase> {
    loop {
        let task = inner.tasks.get_mut(task_id)?;
        let steps = task.script.steps;
        let point = task.point;
        if !due::reaches_next_point(task, task.elapsed) {
            return None;
        }
        let at = due::point_at(task, point);
        if point == steps && task.script.instance.is_some() && task.link == InstanceLink::Up {
            task.elapsed = at;
            instance::disconnect(inner, task_id, now, grace);
            return None;
        }
        if point == 2 {
            if let (Some(question), false) = (task.script.guardrail.clone(), task.guardrail_asked) {
                task.guardrail_asked = true;
                task.elapsed = at;
                task.phase = TaskPhase::Guardrail(question.clone());
                task.notify();
                let event = json!({
                    "type": "guardrail_trigger",
                    "data": { "type": "human_input_needed", "value": question },
                });
                emit_for_task(inner, task_id, event);
                return None;
            }
            if let Some(code) = task.script.fail.clone() {
                task.elapsed = at;
                let error = failure_text(&code);
                return Some(TaskPhase::Failed { code, error });
            }
        }
        if point == 2 * steps {
            return Some(TaskPhase::Completed);
        }
        task.point += 1;
        let step = point / 2;
        let text = task.script.text.clone();
        let session_id = task.session_id.clone();
        if point % 2 == 0 {
            let (name, mut target) = ACTIONS[step as usize % ACTIONS.len()];
            let starting_url = inner.sessions.get(&session_id).and_then(|s| s.options.starting_url.clone());
            if step == 0
                && let Some(url) = &starting_url
            {
                target = url;
            }
            let thought = if step == 0 {
                format!("Planning how to: {text}")
            } else {
                format!("Step {}/{steps}: continuing with \"{text}\"", step + 1)
            };
            emit_for_task(inner, task_id, json!({ "type": "agent", "content": thought }));
            let action = json!({ "type": "action", "data": { "name": name, "target": target } });
            emit_for_task(inner, task_id, action);
        } else {
            let update = format!("Step {} of {steps} done", step + 1);
            let event = json!({ "type": "response_update", "data": { "message": update } });
            emit_for_task(inner, task_id, event);
        }
    }
}
