//! The lifecycles: starting and ending tasks, ending sessions, and emitting a task's events.

use serde_json::{Value, json};

use crate::responses::{completed_data, usage_json};
use crate::state::{Inner, SessionStatus, Task, TaskPhase};

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
