//! JSON bodies of task answers: inline results of `newTask` / `run-task`, and polls.

use serde_json::{Value, json};

use crate::extras::Extras;
use crate::state::{Task, TaskPhase, Usage};
use crate::time_fmt::iso8601;
use crate::variants::Variants;

/// The text of every pending answer.
pub(crate) const PENDING_MESSAGE: &str = "Task still running. Poll GET /task/:sessionId/:taskId for result.";

/// `{inputTokens, outputTokens, computeTime, cost}`.
pub(crate) fn usage_json(usage: &Usage) -> Value {
    json!({
        "inputTokens": usage.input_tokens,
        "outputTokens": usage.output_tokens,
        "computeTime": usage.compute_time,
        "cost": usage.cost,
    })
}

/// `data` of a completed task.
pub(crate) fn completed_data(task: &Task, now: f64) -> Value {
    let usage = task.usage();
    json!({
        "message": task.script.final_message(),
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.input_tokens + usage.output_tokens,
        "completion_time": task.completion_time(now),
    })
}

fn guardrail_data(question: &str) -> Value {
    json!({ "type": "human_input_needed", "value": question })
}

/// The "still running" answer of `newTask` / `run-task` (both markers, unless a variant
/// leaves one out).
pub(crate) fn pending_body(base_url: &str, task: &Task, variants: Variants) -> Value {
    let mut body = json!({
        "success": true,
        "sessionId": task.session_id,
        "taskId": task.id,
        "status": "pending",
        "pending": true,
        "pollUrl": format!("{base_url}/task/{}/{}", task.session_id, task.id),
        "message": PENDING_MESSAGE,
    });
    variants.pending(&mut body);
    body
}

/// The inline answer of `newTask` / `run-task` once the task ended or asks a guardrail
/// question; `None` while it is still working. Inline answers always name their task (the
/// documented shapes do).
pub(crate) fn inline_body(base_url: &str, task: &Task, now: f64, extras: Extras, variants: Variants) -> Option<Value> {
    let mut body = match &task.phase {
        TaskPhase::Queued | TaskPhase::Running => return None,
        TaskPhase::Guardrail(question) => {
            let mut body = pending_body(base_url, task, variants);
            body["result"] = json!({ "type": "guardrail_trigger", "data": guardrail_data(question) });
            return Some(body);
        }
        TaskPhase::Completed => {
            let mut body = json!({
                "success": true,
                "status": "complete",
                "result": {
                    "type": "task_completed",
                    "data": completed_data(task, now),
                    "usage": usage_json(&task.usage()),
                },
            });
            extras.not_pending(&mut body);
            variants.inline_completed(&mut body);
            body
        }
        TaskPhase::Failed { .. } | TaskPhase::Stopped | TaskPhase::Terminated => poll_body(task, now, extras, variants),
    };
    body["sessionId"] = json!(task.session_id);
    body["taskId"] = json!(task.id);
    Some(body)
}

/// The answer of `GET /task/:sessionId/:taskId`.
pub(crate) fn poll_body(task: &Task, now: f64, extras: Extras, variants: Variants) -> Value {
    let usage = usage_json(&task.usage());
    let mut body = match &task.phase {
        TaskPhase::Queued | TaskPhase::Running => {
            let mut body = json!({ "success": true, "status": "active", "pending": true, "usage": usage });
            if task.paused {
                extras.paused(&mut body);
            }
            if task.phase == TaskPhase::Queued {
                extras.queued(&mut body);
            }
            body
        }
        TaskPhase::Guardrail(question) => {
            let mut body = json!({ "success": true, "type": "guardrail_trigger", "data": guardrail_data(question) });
            extras.usage(&mut body, &usage);
            body
        }
        TaskPhase::Completed => {
            let mut body = json!({
                "success": true,
                "type": "task_completed",
                "data": completed_data(task, now),
                "usage": usage,
                "completedAt": task.completed_at.map(iso8601),
            });
            extras.not_pending(&mut body);
            variants.completed_usage(&mut body);
            body
        }
        TaskPhase::Failed { code, error } => {
            let mut body =
                json!({ "success": false, "status": "failed", "error": error, "code": code, "usage": usage });
            extras.not_pending(&mut body);
            body
        }
        TaskPhase::Stopped => json!({ "success": true, "status": "stopped", "pending": false, "usage": usage }),
        TaskPhase::Terminated => {
            let mut body = json!({ "success": true, "status": "terminated", "pending": false });
            extras.usage(&mut body, &usage);
            body
        }
    };
    extras.poll_ids(&mut body, &task.session_id, &task.id);
    body
}
