//! HTML of a session's live page.

use std::collections::HashMap;

use crate::state::{Session, SessionStatus, Task, TaskPhase};

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn phase_name(task: &Task) -> String {
    match &task.phase {
        TaskPhase::Queued => "queued".into(),
        TaskPhase::Running if task.paused => "paused".into(),
        TaskPhase::Running => "running".into(),
        TaskPhase::Guardrail(q) => format!("waiting for an answer: {q}"),
        TaskPhase::Completed => "completed".into(),
        TaskPhase::Failed { code, .. } => format!("failed ({code})"),
        TaskPhase::Stopped => "stopped".into(),
        TaskPhase::Terminated => "terminated".into(),
    }
}

/// Renders the page: session state, its tasks, and its recent events (newest first).
pub(crate) fn render(session: &Session, tasks: &HashMap<String, Task>) -> String {
    let state = match &session.status {
        SessionStatus::Active if session.manual_control => "active (under manual control)".to_string(),
        SessionStatus::Active if session.current.is_some() => "active".to_string(),
        SessionStatus::Active => "active (idle)".to_string(),
        SessionStatus::Terminated { reason } => format!("terminated ({reason})"),
    };
    let mut rows = String::new();
    for id in &session.task_ids {
        if let Some(task) = tasks.get(id) {
            let usage = task.usage();
            rows.push_str(&format!(
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{:.4}</td></tr>\n",
                escape(id),
                escape(&task.script.text),
                escape(&phase_name(task)),
                usage.cost
            ));
        }
    }
    let options = &session.options;
    let mut settings = format!(
        "startingUrl: {}; avoidDomains: [{}]",
        options.starting_url.as_deref().unwrap_or("none"),
        options.avoid_domains.join(", ")
    );
    if let Some(n) = options.max_input_tokens {
        settings.push_str(&format!("; maxInputTokens: {n}"));
    }
    if let Some(n) = options.max_output_tokens {
        settings.push_str(&format!("; maxOutputTokens: {n}"));
    }
    let events: String =
        session.recent.iter().rev().map(|e| format!("<li><code>{}</code></li>\n", escape(&e.to_string()))).collect();
    format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\">\
         <title>Enigma simulator: session {id}</title></head><body>\n\
         <h1>Session <code>{id}</code></h1>\n<p>State: <strong>{state}</strong></p>\n<p>{settings}</p>\n\
         <p>(Simulated browser: no video; this page refreshes every 2 seconds.)</p>\n\
         <h2>Tasks</h2>\n<table border=\"1\"><tr><th>task</th><th>text</th><th>state</th><th>cost (USD)</th></tr>\n{rows}</table>\n\
         <h2>Recent events</h2>\n<ul>\n{events}</ul>\n</body></html>\n",
        id = escape(&session.id),
        state = escape(&state),
        settings = escape(&settings),
    )
}
