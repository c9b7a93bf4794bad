//! Reading a session's records (a recording's lines, or the SDK's own log of a live session)
//! into a [`Timeline`]: every record in the recording format (`docs/recording.md`) is folded in
//! the order it happened.
//!
//! An `http` record's `t` is when its request was sent (`docs/recording.md`), and its answer
//! came `ms` later: a task starts at `t`, and an answer's outcome lands at `t + ms/1000` (a
//! `newTask` held by the 50 s inline wait spans the wait).

use std::collections::{HashMap, VecDeque};

use serde_json::Value;

use super::model::{CommandLine, Mark, MarkKind, SpendPoint, TaskBar, Timeline};
use crate::model::classify::{TaskState, classify};
use crate::model::usage::Usage;

/// Folds records into a timeline.
#[derive(Default)]
pub(crate) struct Builder {
    timeline: Timeline,
    session_id: Option<String>,
    by_id: HashMap<String, usize>,
    /// Tasks whose create went out and that no answer or event named yet, oldest first.
    unnamed: VecDeque<usize>,
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// Seconds from a record (`t`), 0 when missing or negative.
fn seconds(record: &Value) -> f64 {
    record.get("t").and_then(Value::as_f64).filter(|t| t.is_finite() && *t >= 0.0).unwrap_or(0.0)
}

impl Builder {
    pub(crate) fn new(source: &str) -> Builder {
        let mut builder = Builder::default();
        builder.timeline.source = source.to_owned();
        builder
    }

    /// The session the records are of.
    pub(crate) fn session(&mut self, session_id: &str, started_at: Option<String>) {
        self.session_id = Some(session_id.to_owned());
        self.timeline.title = format!("Session {session_id}");
        self.timeline.started_at = started_at;
    }

    pub(crate) fn finish(mut self) -> Timeline {
        let last_task = self.timeline.tasks.iter().map(|t| t.end.unwrap_or(t.start)).fold(0.0, f64::max);
        self.timeline.duration = self.timeline.duration.max(last_task);
        if self.timeline.title.is_empty() {
            self.timeline.title = "Session".into();
        }
        self.timeline
    }

    /// Folds one record; a record of an unknown type is passed over.
    pub(crate) fn record(&mut self, record: &Value) {
        let t = seconds(record);
        self.timeline.duration = self.timeline.duration.max(t);
        match text(record, "type") {
            Some("header") => {
                if let Some(id) = text(record, "sessionId") {
                    self.session(id, text(record, "wall").map(str::to_owned));
                }
            }
            Some("http") => self.http(record, t),
            Some("event") => {
                let data = record.get("data").cloned().unwrap_or(Value::Null);
                self.event(text(record, "event").unwrap_or("message"), &data, t);
            }
            Some("command") => {
                if let Some(message) = record.get("data") {
                    self.message(message, t, None);
                }
            }
            Some("truncated") => {
                let bytes = record.get("bytes").and_then(Value::as_u64).unwrap_or(0);
                self.session_mark(
                    t,
                    MarkKind::Session,
                    format!("recording truncated at its size bound ({bytes} bytes)"),
                );
            }
            _ => {}
        }
    }

    /// A task whose create went out at `t`.
    pub(crate) fn start_task(&mut self, t: f64, text: &str) -> usize {
        self.timeline.tasks.push(TaskBar {
            session_id: self.session_id.clone(),
            text: text.to_owned(),
            start: t,
            outcome: "running".into(),
            ..TaskBar::default()
        });
        let index = self.timeline.tasks.len() - 1;
        self.unnamed.push_back(index);
        index
    }

    /// Names a task; returns its index. A task an event named first (its create's answer came
    /// later, as a create held by the inline wait does) is the same task: the bar the answer
    /// made (the last one) merges into it, giving it its text and its start.
    pub(crate) fn name_task(&mut self, index: usize, id: &str) -> usize {
        if let Some(&known) = self.by_id.get(id) {
            if known != index && index + 1 == self.timeline.tasks.len() && self.timeline.tasks[index].marks.is_empty() {
                let made = self.timeline.tasks.pop().expect("the last bar");
                self.unnamed.retain(|i| *i != index);
                let task = &mut self.timeline.tasks[known];
                if task.text.is_empty() {
                    task.text = made.text;
                }
                task.start = task.start.min(made.start);
            }
            return known;
        }
        self.unnamed.retain(|i| *i != index);
        self.timeline.tasks[index].id = Some(id.to_owned());
        self.by_id.insert(id.to_owned(), index);
        index
    }

    /// The task an id names (the oldest unnamed one takes a new id; a task seen first on an
    /// event starts then); without an id, the task running last.
    fn task_for(&mut self, id: Option<&str>, t: f64) -> Option<usize> {
        match id {
            Some(id) => {
                if let Some(index) = self.by_id.get(id) {
                    return Some(*index);
                }
                let index = match self.unnamed.front() {
                    Some(index) => *index,
                    None => self.start_task(t, ""),
                };
                self.name_task(index, id);
                Some(index)
            }
            None => self.timeline.tasks.iter().rposition(|task| task.end.is_none()).or_else(|| {
                // An event of a task nothing announced (a session started elsewhere).
                (!self.timeline.tasks.is_empty()).then(|| self.timeline.tasks.len() - 1)
            }),
        }
    }

    fn http(&mut self, record: &Value, t: f64) {
        let ms = record.get("ms").and_then(Value::as_f64).filter(|ms| ms.is_finite() && *ms >= 0.0).unwrap_or(0.0);
        let sent = t;
        let t = t + ms / 1000.0;
        let path = text(record, "path").unwrap_or_default();
        let method = text(record, "method").unwrap_or("GET");
        let request = record.get("request").cloned().unwrap_or(Value::Null);
        let response = record.get("response").cloned().unwrap_or(Value::Null);
        let status = record.get("status").and_then(Value::as_u64);
        let failed = status.is_none_or(|s| s >= 400) || record.get("error").is_some_and(|e| !e.is_null());
        match path {
            "/start/start-session" | "/start/run-task" if !failed => {
                if let Some(id) = text(&response, "sessionId")
                    && self.session_id.is_none()
                {
                    self.session(id, None);
                }
                if let Some(details) = text(&request, "taskDetails").filter(|d| !d.is_empty()) {
                    let index = self.start_task(sent, details);
                    self.answered(index, &response, t);
                }
            }
            "/start/send-message" => {
                if let Some(message) = request.get("message") {
                    let index = self.message(message, sent, (!failed).then_some(&response));
                    if let Some(index) = index {
                        self.answered(index, &response, t);
                    }
                }
            }
            _ if path.starts_with("/task/") && !failed => {
                let task_id = path.rsplit('/').next().filter(|id| !id.is_empty());
                if let Some(index) = self.task_for(task_id, t) {
                    self.body(index, &response, t);
                }
            }
            _ => {}
        }
        if failed {
            let code = record
                .get("error")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| text(&response, "code").or_else(|| text(&response, "message")).map(str::to_owned));
            let what = match (status, code) {
                (Some(status), Some(code)) => format!("{method} {path}: {status} {code}"),
                (Some(status), None) => format!("{method} {path}: {status}"),
                (None, Some(code)) => format!("{method} {path}: {code}"),
                (None, None) => format!("{method} {path}: no answer"),
            };
            self.session_mark(t, MarkKind::Error, what);
        }
    }

    /// A message to the session (over REST or the socket): a new task (its index), or a
    /// command line.
    fn message(&mut self, message: &Value, t: f64, answer: Option<&Value>) -> Option<usize> {
        match text(message, "actionType")? {
            "newTask" => {
                // A refused create started nothing.
                answer?;
                Some(self.start_task(t, text(message, "taskDetails").unwrap_or_default()))
            }
            "state" => {
                let state = text(message, "newState").unwrap_or("state");
                self.command(t, state, None);
                None
            }
            "guardrail" => {
                let decision = text(message, "newState").unwrap_or("resume");
                let detail = format!("{} ({decision})", text(message, "taskDetails").unwrap_or_default());
                self.command(t, "guardrail", Some(detail));
                None
            }
            "interaction" => {
                let kind = message.get("action").and_then(|a| text(a, "type")).unwrap_or("interaction");
                self.command(t, "interaction", Some(kind.to_owned()));
                None
            }
            _ => None,
        }
    }

    fn command(&mut self, t: f64, name: &str, detail: Option<String>) {
        self.timeline.commands.push(CommandLine { t, name: name.to_owned(), detail });
    }

    /// A create's answer: the task's id, and its inline outcome if it came with one.
    fn answered(&mut self, index: usize, response: &Value, t: f64) {
        let index = match text(response, "taskId") {
            Some(id) => self.name_task(index, id),
            None => index,
        };
        if response.get("result").is_some() || text(response, "status").is_some_and(|s| s != "pending") {
            self.body(index, response, t);
        }
    }

    fn event(&mut self, name: &str, data: &Value, t: f64) {
        match name {
            "message" => self.message_event(data, t),
            "end_session" => {
                let reason = text(data, "reason").unwrap_or("ended");
                self.session_mark(t, MarkKind::Session, format!("session ended ({reason})"));
                for task in self.timeline.tasks.iter_mut().filter(|task| task.end.is_none()) {
                    task.end = Some(t);
                    task.outcome = "terminated".into();
                }
            }
            other => {
                let said = text(data, "message").map(|m| format!("{other}: {m}")).unwrap_or_else(|| other.to_owned());
                let kind = if other == "instance:disconnected" { MarkKind::Error } else { MarkKind::Session };
                self.session_mark(t, kind, said);
            }
        }
    }

    fn message_event(&mut self, data: &Value, t: f64) {
        let kind = text(data, "type").unwrap_or_default();
        // An event before any task announced is a task's nonetheless (one started elsewhere,
        // or a session's initial task the answer did not describe).
        let index = match self.task_for(text(data, "taskId"), t) {
            Some(index) => index,
            None => self.start_task(t, ""),
        };
        let inner = data.get("data").cloned().unwrap_or(Value::Null);
        let mark = |kind: MarkKind, text: String| Some(Mark { t, kind, text });
        let mark = match kind {
            "agent" => mark(MarkKind::Agent, text(data, "content").unwrap_or_default().to_owned()),
            "action" => {
                let name = text(&inner, "name").unwrap_or("action");
                mark(
                    MarkKind::Action,
                    text(&inner, "target").map_or(name.to_owned(), |target| format!("{name}: {target}")),
                )
            }
            "response_update" => mark(MarkKind::Update, text(&inner, "message").unwrap_or_default().to_owned()),
            // Outcomes (and guardrails) are read by the classifier, as every body is.
            "task_completed" | "guardrail_trigger" | "error" => None,
            other => mark(MarkKind::Session, format!("event {other}")),
        };
        match mark {
            Some(mark) => self.timeline.tasks[index].marks.push(mark),
            None => self.body(index, data, t),
        }
    }

    /// Any task-bearing body (an answer, a poll, an event), read by the one classifier: its
    /// cost, and how the task ended or what it asks.
    fn body(&mut self, index: usize, body: &Value, t: f64) {
        let Ok(status) = classify(body) else { return };
        self.cost(index, &status.usage, t);
        let task = &mut self.timeline.tasks[index];
        let (kind, said) = match &status.state {
            TaskState::Running { .. } => return,
            TaskState::Guardrail { question } => {
                // The same task goes on once answered: a mark, not an end (asked once, seen often).
                if task.marks.iter().any(|m| m.kind == MarkKind::Guardrail && m.text == *question) {
                    return;
                }
                task.marks.push(Mark { t, kind: MarkKind::Guardrail, text: question.clone() });
                task.outcome = "guardrail".into();
                return;
            }
            TaskState::Completed { message, .. } => (MarkKind::Outcome, format!("completed: {message}")),
            TaskState::Failed { code, error } => (MarkKind::Error, format!("failed ({code}): {error}")),
            TaskState::Stopped => (MarkKind::Outcome, "stopped".to_owned()),
            TaskState::Terminated => (MarkKind::Outcome, "terminated".to_owned()),
        };
        if task.end.is_some() && task.outcome != "terminated" {
            return; // already ended (polls repeat the final answer)
        }
        task.end = Some(task.end.unwrap_or(t).min(t));
        task.outcome = status.state.name().to_owned();
        task.marks.push(Mark { t, kind, text: said });
    }

    fn cost(&mut self, index: usize, usage: &Usage, t: f64) {
        let Some(cost) = usage.cost.filter(|c| c.is_finite()) else { return };
        let task = &mut self.timeline.tasks[index];
        if task.cost == Some(cost) {
            return;
        }
        task.cost = Some(cost);
        let usd = self.timeline.tasks.iter().filter_map(|task| task.cost).sum();
        self.timeline.spend.push(SpendPoint { t, usd });
    }

    fn session_mark(&mut self, t: f64, kind: MarkKind, text: String) {
        self.timeline.marks.push(Mark { t, kind, text });
    }
}
