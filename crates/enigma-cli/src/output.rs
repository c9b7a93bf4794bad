//! Printing results and errors, as text or JSON.

use std::process::ExitCode;

use enigma::binding::Spelling;
use enigma::{Error, Event, TaskResult, TaskState, TaskStatus, Usage};
use serde_json::{Value, json};

use crate::exit;

/// Prints a task result and returns its exit code.
pub fn result(result: &TaskResult, json: bool) -> ExitCode {
    if json {
        print_json(&serde_json::to_value(result).unwrap_or(Value::Null));
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
        print_json(&serde_json::to_value(status).unwrap_or(Value::Null));
    } else {
        println!("{} · {}", state_line(&status.state), usage_line(&status.usage));
    }
}

/// Prints an error (to stderr as text, to stdout as JSON) and returns its exit code.
pub fn report_error(err: &Error, json: bool) -> ExitCode {
    if json {
        print_json(&json!({ "error": error_json(err) }));
    } else {
        eprintln!("error [{}]: {err}", err.code());
        if let Some(usage) = err.usage() {
            eprintln!("{}", usage_line(usage));
        }
    }
    exit::for_error(err)
}

/// The core's error payload (`Error::payload`, the form Python and Node receive) in the
/// CLI's camelCase. The keys this output always had stay present (`null` when absent), and
/// `usage` keeps the same form as in a result, so scripts written against it keep working.
fn error_json(err: &Error) -> Value {
    let mut body = enigma::binding::spelled(&err.payload(), Spelling::Camel);
    if let Value::Object(fields) = &mut body {
        for key in ["status", "serverCode", "retryAfter", "sessionId", "taskId", "usage"] {
            fields.entry(key).or_insert(Value::Null);
        }
        if let Some(usage) = err.usage() {
            fields.insert("usage".into(), serde_json::to_value(usage).unwrap_or(Value::Null));
        }
    }
    body
}

pub fn print_json(value: &Value) {
    println!("{}", serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()));
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
        _ if !all => return None,
        Event::Connected => "live connection up".to_owned(),
        Event::Reconnecting { attempt } => format!("reconnecting (attempt {attempt})"),
        Event::Raw { name, payload } => format!("{name}: {payload}"),
        _ => format!("{}", event.to_json()),
    })
}
