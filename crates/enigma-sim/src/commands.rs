//! What sessions can be told to do, independent of the transport (REST now, Socket.IO later).

use serde_json::{Map, Value, json};

use crate::agent::{self, add_task, emit_for_task, end_task, terminate_session};
use crate::errors::ApiError;
use crate::state::{AppState, BrowserOptions, Inner, Session, Task, TaskPhase};
use crate::validate::{TaskRequest, required_str, task_request};

/// Default session lifetime, ms.
const DEFAULT_MAX_DURATION_MS: f64 = 300_000.0;

/// The keys accepted on `KEY_PRESS`, besides any single character.
const NAMED_KEYS: &[&str] = &[
    "Enter",
    "Escape",
    "Tab",
    "Backspace",
    "Delete",
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "PageUp",
    "PageDown",
    "Home",
    "End",
    "Space",
];

/// How many sessions with something due the ticker takes while holding the state (about 25 µs
/// each when their tasks end).
const DUE_PER_HOLD: usize = 64;

/// What a `send-message` did.
#[derive(Debug)]
pub(crate) enum MessageOutcome {
    /// `state`, `interaction`, `guardrail`: answered with "Message sent successfully".
    Ack,
    /// `newTask`: a task was created (running or queued).
    NewTask { task_id: String },
}

impl AppState {
    /// Brings the simulation up to date and returns the locked state with the current time. With
    /// thousands of sessions open, a tick that just happened counts as up to date (`TickPacing`).
    pub(crate) fn advance(&self) -> (std::sync::MutexGuard<'_, Inner>, f64) {
        let mut inner = self.lock();
        let now = self.clock.now();
        if inner.pacing.due() {
            let started = std::time::Instant::now();
            agent::tick(&mut inner, now, &self.config);
            inner.pacing.ticked(started);
        }
        (inner, now)
    }

    /// The ticker's way to bring the simulation up to date: like [`AppState::advance`], but
    /// the sessions with something due (a step's events, a task's end) are taken a few at a
    /// time, letting go of the state between them. A tick that ends a thousand tasks at once
    /// held the lock for 30 ms, while the answers to their creates (the inline wait) and
    /// everything else waited, each holding a runtime worker.
    pub(crate) async fn advance_yielding(&self) {
        let started = std::time::Instant::now();
        let (due, now) = {
            let mut inner = self.lock();
            if !inner.pacing.due() {
                return;
            }
            inner.pacing.begin();
            let now = self.clock.now();
            (agent::tick_steady(&mut inner, now, &self.config), now)
        };
        let mut held = started.elapsed();
        for sessions in due.chunks(DUE_PER_HOLD) {
            tokio::task::yield_now().await;
            let holding = std::time::Instant::now();
            agent::tick_due(&mut self.lock(), sessions, now, &self.config);
            held += holding.elapsed();
        }
        self.lock().pacing.finished(held);
    }

    fn check_balance(&self, inner: &mut Inner, key: &str) -> Result<(), ApiError> {
        let balance = inner.account(key, self.config.initial_balance).balance;
        if balance <= 0.0 {
            return Err(ApiError::insufficient_balance(crate::state::round(balance, 6)));
        }
        Ok(())
    }

    /// Creates a session (start-session, or run-task with `one_shot`), with its initial task if
    /// `req` has one. Returns the session id and the initial task id.
    pub(crate) fn create_session(
        &self,
        key: &str,
        req: &TaskRequest,
        one_shot: bool,
    ) -> Result<(String, Option<String>, f64), ApiError> {
        let (mut inner, now) = self.advance();
        let current = inner.open_sessions_of(key);
        if current >= self.config.max_sessions {
            inner.stats.session_limited += 1;
            return Err(ApiError::session_limit(current, self.config.max_sessions));
        }
        self.check_balance(&mut inner, key)?;
        let session_id = inner.ids.next_id();
        let max_ms = req.max_duration_ms.unwrap_or(DEFAULT_MAX_DURATION_MS);
        let mut session = Session::new(session_id.clone(), key.to_string(), now, max_ms / 1000.0);
        session.terminate_after_task = one_shot || req.terminate_on_completion;
        session.options = BrowserOptions {
            starting_url: req.starting_url.clone(),
            avoid_domains: req.avoid_domains.clone(),
            max_input_tokens: req.max_input_tokens,
            max_output_tokens: req.max_output_tokens,
        };
        inner.sessions.insert(session_id.clone(), session);
        inner.stats.sessions_total += 1;
        inner.stats.max_open_per_key = inner.stats.max_open_per_key.max(u64::from(current) + 1);
        let task_id = req.script.clone().map(|script| {
            let task_id = inner.ids.next_id();
            add_task(&mut inner, Task::new(task_id.clone(), session_id.clone(), script), now);
            task_id
        });
        let balance = inner.account(key, self.config.initial_balance).balance;
        Ok((session_id, task_id, crate::state::round(balance, 6)))
    }

    /// Applies one `message` object to a session. `key` is the caller's API key (REST) or
    /// `None` when the caller proved itself otherwise (a socket authenticated by session id).
    pub(crate) fn apply_message(
        &self,
        key: Option<&str>,
        session_id: &str,
        message: &Map<String, Value>,
    ) -> Result<MessageOutcome, ApiError> {
        let action_type = required_str(message, "actionType")?;
        // Validate before touching the session.
        let validated = match action_type {
            "newTask" => {
                match message.get("newState").and_then(Value::as_str) {
                    Some("start") => {}
                    None => return Err(ApiError::missing_field("Missing required field 'newState'")),
                    Some(_) => return Err(ApiError::invalid_param("newState", "must be \"start\" for newTask")),
                }
                Validated::NewTask(Box::new(task_request(message, true)?))
            }
            "state" => {
                let state = required_str(message, "newState")?;
                if !["pause", "resume", "stop", "terminate"].contains(&state) {
                    return Err(ApiError::invalid_param("newState", "must be one of pause, resume, stop, terminate"));
                }
                Validated::State(state.to_string())
            }
            "interaction" => Validated::Interaction(validate_interaction(message)?),
            "guardrail" => {
                let answer = match message.get("taskDetails") {
                    Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
                    Some(Value::String(_)) | None | Some(Value::Null) => {
                        return Err(ApiError::missing_field("taskDetails is required"));
                    }
                    Some(_) => return Err(ApiError::invalid_param("taskDetails", "must be a string")),
                };
                let state = required_str(message, "newState")?;
                if !["resume", "stop"].contains(&state) {
                    return Err(ApiError::invalid_param("newState", "must be resume or stop for a guardrail answer"));
                }
                Validated::Guardrail { answer, stop: state == "stop" }
            }
            _ => {
                return Err(ApiError::invalid_param(
                    "actionType",
                    "must be one of newTask, state, interaction, guardrail",
                ));
            }
        };

        let (mut inner, now) = self.advance();
        let session = inner
            .sessions
            .get(session_id)
            .filter(|s| s.is_open() && key.is_none_or(|k| k == s.key))
            .ok_or_else(|| ApiError::session_not_found(session_id))?;
        let owner = session.key.clone();
        let current = session.current.clone();
        match validated {
            Validated::NewTask(req) => {
                self.check_balance(&mut inner, &owner)?;
                let session = &inner.sessions[session_id];
                if session.current.is_some() && session.queued.is_some() {
                    return Err(ApiError::task_already_running());
                }
                let task_id = inner.ids.next_id();
                let mut task = Task::new(task_id.clone(), session_id.to_string(), req.script.expect("validated"));
                task.max_duration = req.max_duration_ms.map(|ms| ms / 1000.0);
                task.terminate_on_completion = req.terminate_on_completion;
                add_task(&mut inner, task, now);
                return Ok(MessageOutcome::NewTask { task_id });
            }
            Validated::State(state) => apply_state(&mut inner, session_id, current.as_deref(), &state, now),
            Validated::Interaction(action) => apply_interaction(&mut inner, session_id, current.as_deref(), action),
            Validated::Guardrail { answer, stop } => {
                let Some(task_id) = current else { return Ok(MessageOutcome::Ack) };
                let task = inner.tasks.get_mut(&task_id).expect("current task exists");
                if !matches!(task.phase, TaskPhase::Guardrail(_)) {
                    return Ok(MessageOutcome::Ack);
                }
                if stop {
                    end_task(&mut inner, &task_id, TaskPhase::Stopped, now);
                } else {
                    task.phase = TaskPhase::Running;
                    task.last_tick = now;
                    task.notify();
                    let content = format!("Thanks, continuing with your answer: {answer}");
                    emit_for_task(&mut inner, &task_id, json!({ "type": "agent", "content": content }));
                }
            }
        }
        Ok(MessageOutcome::Ack)
    }
}

enum Validated {
    NewTask(Box<TaskRequest>),
    State(String),
    Interaction(Map<String, Value>),
    Guardrail { answer: String, stop: bool },
}

fn apply_state(inner: &mut Inner, session_id: &str, current: Option<&str>, state: &str, now: f64) {
    match state {
        "terminate" => terminate_session(inner, session_id, "terminated", "Session terminated by user", now),
        "stop" => {
            if let Some(task_id) = current {
                end_task(inner, task_id, TaskPhase::Stopped, now);
            }
        }
        "pause" => {
            if let Some(task) = current.and_then(|id| inner.tasks.get_mut(id))
                && task.is_running()
                && !task.paused
            {
                task.pause_requested = true;
            }
        }
        "resume" => {
            if let Some(task) = current.and_then(|id| inner.tasks.get_mut(id)) {
                let was_paused = task.paused;
                task.pause_requested = false;
                task.paused = false;
                task.last_tick = now;
                task.notify();
                if was_paused {
                    let task_id = task.id.clone();
                    let event = json!({ "type": "agent", "content": "Resuming where I left off." });
                    emit_for_task(inner, &task_id, event);
                }
            }
        }
        _ => {}
    }
}

fn apply_interaction(inner: &mut Inner, session_id: &str, current: Option<&str>, action: Map<String, Value>) {
    let kind = action.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
    let extras = inner.extras;
    let Some(session) = inner.sessions.get_mut(session_id) else { return };
    let mut event = match kind.as_str() {
        "takeOverControl" => {
            session.manual_control = true;
            json!({ "type": "agent", "content": "A human has taken control of the browser; waiting." })
        }
        "releaseControl" => {
            session.manual_control = false;
            json!({ "type": "agent", "content": "Control released; continuing." })
        }
        "CLICK" | "DOUBLE_CLICK" => json!({
            "type": "action",
            "data": { "name": kind.to_lowercase(), "target": format!("({}, {})", action["x"], action["y"]) },
        }),
        "TYPE" => json!({ "type": "action", "data": { "name": "type", "target": action["text"] } }),
        _ => json!({ "type": "action", "data": { "name": "key_press", "target": action["key"] } }),
    };
    if event["type"] == "action" {
        extras.user_source(&mut event);
    }
    if let Some(task_id) = current {
        extras.event_task_id(&mut event, task_id);
    }
    if let Some(session) = inner.sessions.get_mut(session_id) {
        session.emit_message(event);
    }
}

fn validate_interaction(message: &Map<String, Value>) -> Result<Map<String, Value>, ApiError> {
    let action = match message.get("action") {
        Some(Value::Object(a)) => a.clone(),
        None | Some(Value::Null) => return Err(ApiError::missing_field("Missing required field 'action'")),
        Some(_) => return Err(ApiError::invalid_param("action", "must be an object")),
    };
    let kind = match action.get("type") {
        Some(Value::String(t)) => t.as_str(),
        None | Some(Value::Null) => return Err(ApiError::missing_field("Missing required field 'action.type'")),
        Some(_) => return Err(ApiError::invalid_param("action.type", "must be a string")),
    };
    let coord = |name: &str, lo: f64, hi: f64| -> Result<(), ApiError> {
        match action.get(name).and_then(Value::as_f64) {
            Some(v) if (lo..=hi).contains(&v) => Ok(()),
            Some(_) => {
                Err(ApiError::invalid_param(&format!("action.{name}"), &format!("must be between {lo} and {hi}")))
            }
            None => Err(ApiError::missing_field(format!("Missing required field 'action.{name}'"))),
        }
    };
    match kind {
        "takeOverControl" | "releaseControl" => {}
        "CLICK" | "DOUBLE_CLICK" => {
            coord("x", 0.0, 1024.0)?;
            coord("y", 0.0, 755.0)?;
        }
        "TYPE" => match action.get("text") {
            Some(Value::String(_)) => {}
            None | Some(Value::Null) => return Err(ApiError::missing_field("Missing required field 'action.text'")),
            Some(_) => return Err(ApiError::invalid_param("action.text", "must be a string")),
        },
        "KEY_PRESS" => {
            let key = match action.get("key") {
                Some(Value::String(k)) => k.as_str(),
                None | Some(Value::Null) => return Err(ApiError::missing_field("Missing required field 'action.key'")),
                Some(_) => return Err(ApiError::invalid_param("action.key", "must be a string")),
            };
            if !(NAMED_KEYS.contains(&key) || key.chars().count() == 1) {
                return Err(ApiError::invalid_param(
                    "action.key",
                    &format!("must be one character or one of {}", NAMED_KEYS.join(", ")),
                ));
            }
        }
        _ => {
            return Err(ApiError::invalid_param(
                "action.type",
                "must be one of takeOverControl, releaseControl, CLICK, DOUBLE_CLICK, TYPE, KEY_PRESS",
            ));
        }
    }
    Ok(action)
}
