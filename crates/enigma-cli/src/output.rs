//! Printing results and errors, as text or JSON.

use crate::exit::ExitCode;

use enigma::binding::Spelling;
use enigma::{Error, Event, TaskResult, TaskState, TaskStatus, Usage};
use serde_json::{Value, json};

use crate::exit;

/// Prints a task result and returns its exit code.
pub fn result(result: &TaskResult, json: bool) -> ExitCode {
    if json {
        print_json(result);
    } else {
        match (&result.message, &result.question) {
            (Some(message), _) => println!("{message}"),
            (_, Some(question)) => println!("The agent asks: {question}"),
            _ => println!("Task {}", result.outcome.as_str()),
        }
        eprintln!(
            "outcome: {} · {} · session {} · task {}",
            result.outcome.as_str(),
            usage_line(&result.usage),
            result.session_id,
            result.task_id
        );
    }
    exit::for_outcome(result.outcome)
}

/// Prints a task status.
pub fn status(status: &TaskStatus, json: bool) {
    if json {
        print_json(status);
    } else {
        println!("{} · {}", state_line(&status.state), usage_line(&status.usage));
    }
}

/// Prints an error (to stderr as text, to stdout as JSON on one line, so it also fits the
/// one-object-per-line output of `watch --json`) and returns its exit code.
pub fn report_error(err: &Error, json: bool) -> ExitCode {
    if json {
        println!("{}", json!({ "error": error_json(err) }));
    } else {
        eprintln!("error [{}]: {err}", err.code());
        if let Some(usage) = err.usage() {
            eprintln!("{}", usage_line(usage));
        }
    }
    exit::for_error(err)
}

/// The core's error payload (`Error::payload`, the form Python and Node receive) in the
/// CLI's camelCase. The keys this output always had stay present (`null` when absent).
fn error_json(err: &Error) -> Value {
    let mut body = camel(&err.payload());
    if let Value::Object(fields) = &mut body {
        for key in ["status", "serverCode", "retryAfter", "sessionId", "taskId", "usage"] {
            fields.entry(key).or_insert(Value::Null);
        }
    }
    body
}

/// The one naming style of every JSON the CLI writes (results, statuses, errors, events, ids,
/// `--out` lines, summaries): the API's camelCase, for every key at any depth, except inside
/// `raw`, `payload` and `details`, which hold the service's own JSON as it was received.
pub fn camel<T: serde::Serialize>(value: &T) -> Value {
    enigma::binding::spelled(value, Spelling::Camel)
}

/// Prints a value as JSON, in the CLI's style ([`camel`]), indented.
pub fn print_json<T: serde::Serialize>(value: &T) {
    let value = camel(value);
    println!("{}", serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()));
}

/// `enigma health`'s line: `healthy (5 instances)`, or the status alone when the service does
/// not count its instances.
pub fn health_line(status: &str, instances: Option<u64>) -> String {
    match instances {
        Some(1) => format!("{status} (1 instance)"),
        Some(count) => format!("{status} ({count} instances)"),
        None => status.to_owned(),
    }
}

/// The simulator's `task_stopped` event (an extra, not in the service's docs) as a line:
/// `task stopped · cost $0.0123 · task T`.
fn stopped_line(payload: &Value) -> String {
    let mut line = "task stopped".to_owned();
    if let Some(cost) = payload["usage"]["cost"].as_f64() {
        line.push_str(&format!(" · cost ${cost:.4}"));
    }
    if let Some(task) = payload["taskId"].as_str() {
        line.push_str(&format!(" · task {task}"));
    }
    line
}

pub fn state_line(state: &TaskState) -> String {
    match state {
        TaskState::Running { paused: true } => "paused".to_owned(),
        TaskState::Running { paused: false } => "running".to_owned(),
        TaskState::Completed { .. } => "completed".to_owned(),
        TaskState::Guardrail { question } => format!("guardrail: {question}"),
        TaskState::Failed { code, error } => format!("failed ({code}): {error}"),
        TaskState::Stopped => "stopped".to_owned(),
        TaskState::Terminated => "session ended".to_owned(),
    }
}

pub fn usage_line(usage: &Usage) -> String {
    let mut parts = vec![format!("cost ${:.4}", usage.cost.unwrap_or_default())];
    if let Some(tokens) = usage.total_tokens {
        parts.push(format!("{tokens} tokens"));
    }
    if let Some(time) = usage.completion_time.or(usage.compute_time) {
        parts.push(format!("{time:.1}s"));
    }
    parts.join(" · ")
}

/// One line for a live event; `None` for connection chatter when `all` is false.
pub fn event_line(event: &Event, all: bool) -> Option<String> {
    Some(match event {
        Event::AgentThought { content, .. } => format!("thinking: {content}"),
        Event::Action { name, target: Some(target), .. } => format!("action: {name} → {target}"),
        Event::Action { name, .. } => format!("action: {name}"),
        Event::ResponseUpdate { message, .. } => format!("update: {message}"),
        Event::TaskCompleted { message, .. } => format!("task completed: {message}"),
        Event::Guardrail { question, .. } => format!("the agent asks: {question}"),
        Event::TaskError { code, error, .. } => format!("task failed ({code}): {error}"),
        Event::SessionEnded { reason, .. } => format!("session ended ({reason})"),
        Event::InstanceDisconnected { grace_period_ms, .. } => format!(
            "browser instance disconnected (it has {:.0}s to come back)",
            grace_period_ms.unwrap_or_default() as f64 / 1000.0
        ),
        Event::InstanceReconnected { .. } => "browser instance reconnected".to_owned(),
        Event::Disconnected { reason, will_reconnect } => {
            format!("live connection lost ({reason}){}", if *will_reconnect { ", reconnecting" } else { "" })
        }
        Event::ConnectError { message } => format!("live connection refused: {message}"),
        Event::Raw { payload, .. } if payload["type"] == "task_stopped" => stopped_line(payload),
        _ if !all => return None,
        Event::Connected => "live connection up".to_owned(),
        Event::Reconnecting { attempt } => format!("reconnecting (attempt {attempt})"),
        Event::Raw { name, payload } => format!("{name}: {payload}"),
        _ => format!("{}", event.to_json()),
    })
}
