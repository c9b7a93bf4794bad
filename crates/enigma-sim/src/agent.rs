//! The scripted agent and the lifecycles: starting, advancing and ending tasks and sessions.
//!
//! A task's work is `script.duration` simulated seconds split into `script.steps` steps. Progress
//! points are spaced half a step apart: point `2k` starts step `k` (an `agent` thought and an
//! `action`), point `2k+1` is its `response_update`, point `2*steps` is completion. The
//! guardrail question and the scripted failure happen at point 2 (after the first step).

use serde_json::{Value, json};

use crate::config::SimConfig;
use crate::directives::failure_text;
use crate::instance::{self, InstanceLink};
use crate::responses::{completed_data, usage_json};
use crate::state::{Inner, SessionStatus, Task, TaskPhase};

/// Tolerance for comparing simulated times.
pub(crate) const EPS: f64 = 1e-9;

const ACTIONS: &[(&str, &str)] = &[
    ("navigate", "the starting page"),
    ("click_element", "search box"),
    ("type_text", "search box"),
    ("click_element", "first result"),
    ("scroll", "results list"),
    ("extract_content", "page content"),
];

/// Starts a task: at once when the session is free, else queued behind the current one.
pub(crate) fn add_task(inner: &mut Inner, task: Task, now: f64) {
    let task_id = task.id.clone();
    let session_id = task.session_id.clone();
    inner.stats.tasks_started += 1;
    inner.tasks.insert(task_id.clone(), task);
    let session = inner.sessions.get_mut(&session_id).expect("task of a known session");
    session.task_ids.push(task_id.clone());
    if session.current.is_none() {
        session.current = Some(task_id.clone());
        start_task(inner, &task_id, now);
    } else {
        session.queued = Some(task_id);
    }
}

fn start_task(inner: &mut Inner, task_id: &str, now: f64) {
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    task.phase = TaskPhase::Running;
    task.started = Some(now);
    task.last_tick = now;
    task.notify();
}

/// The settings the agent's timers need, in simulated seconds.
struct Timers {
    idle_timeout: f64,
    initial_balance: f64,
    instance_grace: f64,
}

/// Advances every open session to simulated time `now`.
pub(crate) fn tick(inner: &mut Inner, now: f64, config: &SimConfig) {
    let timers = Timers {
        idle_timeout: config.idle_timeout.as_secs_f64(),
        initial_balance: config.initial_balance,
        instance_grace: config.instance_grace.as_secs_f64(),
    };
    let open: Vec<String> = inner.sessions.values().filter(|s| s.is_open()).map(|s| s.id.clone()).collect();
    for session_id in open {
        tick_session(inner, &session_id, now, &timers);
    }
}

fn tick_session(inner: &mut Inner, session_id: &str, now: f64, timers: &Timers) {
    let Some(session) = inner.sessions.get(session_id) else { return };
    // While its instance is away, the grace period (not maxDuration) decides the session's fate.
    if now - session.created + EPS >= session.max_duration && !instance::is_down(inner, session_id) {
        terminate_session(inner, session_id, "expired", "Session reached its maxDuration and was terminated", now);
        return;
    }
    let Some(session) = inner.sessions.get(session_id) else { return };
    let idle_timeout = timers.idle_timeout;
    if let Some(task_id) = session.current.clone() {
        advance_task(inner, &task_id, now, timers);
    }
    let Some(session) = inner.sessions.get(session_id) else { return };
    if session.is_open()
        && session.current.is_none()
        && session.queued.is_none()
        && now - session.idle_since + EPS >= idle_timeout
    {
        terminate_session(inner, session_id, "expired", "Session expired after being idle without a task", now);
    }
}

fn advance_task(inner: &mut Inner, task_id: &str, now: f64, timers: &Timers) {
    let initial_balance = timers.initial_balance;
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    if task.phase.is_final() || task.phase == TaskPhase::Queued {
        return;
    }
    if let (Some(limit), Some(started)) = (task.max_duration, task.started)
        && now - started + EPS >= limit
    {
        let error = format!("Task timed out: it exceeded its maxDuration of {} ms", (limit * 1000.0).round() as u64);
        end_task(inner, task_id, TaskPhase::Failed { code: "TASK_TIMEOUT".into(), error }, now);
        return;
    }
    let manual = inner.sessions.get(&task.session_id).is_some_and(|s| s.manual_control);
    let dt = (now - task.last_tick).max(0.0);
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
        task.elapsed = (task.elapsed + dt).min(task.script.duration);
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
        let step_len = task.script.duration / steps as f64;
        let point = task.point;
        let at = point as f64 * step_len / 2.0;
        if task.elapsed + EPS < at {
            return None;
        }
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

/// Emits a `message` event on the session of a task, with the task's id as an extra (see
/// [`crate::extras::Extras::event_task_id`]; `task_completed` carries its documented `taskId` itself).
pub(crate) fn emit_for_task(inner: &mut Inner, task_id: &str, mut event: Value) {
    let Some(session_id) = inner.tasks.get(task_id).map(|t| t.session_id.clone()) else { return };
    inner.extras.event_task_id(&mut event, task_id);
    if let Some(session) = inner.sessions.get_mut(&session_id) {
        session.emit_message(event);
    }
}

/// Ends a task with a final phase, emits its event, and moves the session on
/// (terminate on completion, start the queued task, or go idle).
pub(crate) fn end_task(inner: &mut Inner, task_id: &str, phase: TaskPhase, now: f64) {
    let Some(task) = inner.tasks.get_mut(task_id) else { return };
    if task.phase.is_final() {
        return;
    }
    let was_started = task.started.is_some();
    task.phase = phase.clone();
    task.ended = Some(now);
    task.paused = false;
    task.pause_requested = false;
    if phase == TaskPhase::Completed {
        task.completed_at = Some(std::time::SystemTime::now());
    }
    task.notify();
    let terminate_after = task.terminate_on_completion;
    let end_completed = task.script.end_completed;
    let session_id = task.session_id.clone();
    let event = match &phase {
        TaskPhase::Completed => {
            inner.stats.tasks_completed += 1;
            let task = &inner.tasks[task_id];
            let mut event = json!({
                "type": "task_completed",
                "taskId": task_id,
                "data": completed_data(task, now),
                "usage": usage_json(&task.usage()),
            });
            inner.extras.completed_event(&mut event, task.completed_at);
            inner.variants.completed_usage(&mut event);
            Some(event)
        }
        TaskPhase::Failed { code, error } => {
            inner.stats.tasks_failed += 1;
            Some(json!({ "type": "error", "error": error, "code": code }))
        }
        TaskPhase::Stopped => {
            inner.stats.tasks_stopped += 1;
            let usage = usage_json(&inner.tasks[task_id].usage());
            inner.extras.task_stopped_event(task_id, usage)
        }
        _ => None,
    };
    if let Some(event) = event {
        emit_for_task(inner, task_id, event);
    }
    let Some(session) = inner.sessions.get_mut(&session_id) else { return };
    if session.queued.as_deref() == Some(task_id) {
        session.queued = None;
        return;
    }
    if session.current.as_deref() != Some(task_id) {
        return;
    }
    session.current = None;
    if phase == TaskPhase::Terminated || !session.is_open() {
        return;
    }
    if end_completed && was_started {
        terminate_session(inner, &session_id, "completed", "Session completed: its task has finished", now);
        return;
    }
    if (terminate_after || session.terminate_after_task) && was_started {
        terminate_session(
            inner,
            &session_id,
            "terminateOnCompletion",
            "Session ended after its task finished (terminateOnCompletion)",
            now,
        );
        return;
    }
    session.idle_since = now;
    session.manual_control = false;
    if let Some(next) = session.queued.take() {
        session.current = Some(next.clone());
        start_task(inner, &next, now);
    }
}

/// Ends a session for good: its running and queued tasks become `terminated`.
pub(crate) fn terminate_session(inner: &mut Inner, session_id: &str, reason: &str, message: &str, now: f64) {
    let Some(session) = inner.sessions.get_mut(session_id) else { return };
    if !session.is_open() {
        return;
    }
    session.status = SessionStatus::Terminated { reason: reason.to_string() };
    let tasks: Vec<String> = session.current.take().into_iter().chain(session.queued.take()).collect();
    for task_id in tasks {
        if let Some(task) = inner.tasks.get_mut(&task_id)
            && !task.phase.is_final()
        {
            task.phase = TaskPhase::Terminated;
            task.ended = Some(now);
            task.notify();
        }
    }
    if let Some(session) = inner.sessions.get_mut(session_id) {
        session.emit("end_session", json!({ "type": "end_session", "reason": reason, "message": message }));
    }
}
