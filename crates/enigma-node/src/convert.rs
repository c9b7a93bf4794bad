//! JS objects in and out: option objects to core options, core values to plain data objects.
//! Numbers arrive as `f64` and are checked here, so a negative or fractional count is a
//! validation error rather than a silent wrap-around.

use std::time::Duration;

use enigma::options::{OptionsKind, Spelling};
use enigma::{SessionInfo, TaskResult, TaskState, TaskStatus, Usage};
use napi_derive::napi;
use serde_json::{Value, json};

use crate::errors::{invalid, to_napi};

/// `snake_case` to `camelCase` (the Node spelling of a core field name).
pub(crate) fn to_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// A whole number >= 0 from a JS number.
pub(crate) fn whole(field: &str, value: Option<f64>) -> napi::Result<Option<u64>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9.0e15 => Ok(Some(v as u64)),
        Some(v) => Err(invalid(field, format!("must be a whole number >= 0, got {v}"))),
    }
}

/// A duration from a JS number of milliseconds (> 0).
pub(crate) fn millis(field: &str, value: Option<f64>) -> napi::Result<Option<Duration>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 => Ok(Some(Duration::from_secs_f64(v / 1000.0))),
        Some(v) => Err(invalid(field, format!("must be a positive number of milliseconds, got {v}"))),
    }
}

/// A window coordinate.
pub(crate) fn coordinate(field: &str, value: f64) -> napi::Result<u32> {
    match whole(field, Some(value))? {
        Some(v) if v <= u64::from(u32::MAX) => Ok(v as u32),
        _ => Err(invalid(field, format!("must be a whole number of pixels, got {value}"))),
    }
}

/// Options as JS passed them (one object per call, read and checked by the core in Node's
/// spelling: `maxDuration`, `timeoutMs`).
pub(crate) fn read_options<T>(
    value: Option<Value>,
    read: fn(Value, Spelling) -> Result<T, enigma::options::OptionsError>,
) -> napi::Result<T> {
    read(value.unwrap_or(Value::Null), Spelling::Camel).map_err(|err| to_napi(err.into()))
}

/// The core's option fields in Node's spelling, by kind (`session`, `task`, `wait`), for the
/// test that checks `index.d.ts` against them.
#[napi]
pub fn option_fields() -> std::collections::HashMap<String, Vec<String>> {
    OptionsKind::ALL.iter().map(|k| (k.name().to_owned(), k.spelled_fields(Spelling::Camel))).collect()
}

/// Tokens, time and cost (every field optional: the service reports what it knows).
#[napi(object, use_nullable = true)]
pub struct UsageData {
    pub cost: Option<f64>,
    pub input_tokens: Option<f64>,
    pub output_tokens: Option<f64>,
    pub total_tokens: Option<f64>,
    pub compute_time: Option<f64>,
    pub completion_time: Option<f64>,
}

pub(crate) fn usage_data(u: &Usage) -> UsageData {
    let n = |v: Option<u64>| v.map(|v| v as f64);
    UsageData {
        cost: u.cost,
        input_tokens: n(u.input_tokens),
        output_tokens: n(u.output_tokens),
        total_tokens: n(u.total_tokens),
        compute_time: u.compute_time,
        completion_time: u.completion_time,
    }
}

pub(crate) fn usage_json(u: &Usage) -> Value {
    json!({
        "cost": u.cost, "inputTokens": u.input_tokens, "outputTokens": u.output_tokens,
        "totalTokens": u.total_tokens, "computeTime": u.compute_time, "completionTime": u.completion_time,
    })
}

/// The result of a wait.
#[napi(object, use_nullable = true)]
pub struct TaskResultData {
    /// `completed`, `guardrail` or `stopped`.
    pub outcome: String,
    pub message: Option<String>,
    pub question: Option<String>,
    pub usage: UsageData,
    pub task_id: String,
    pub session_id: String,
    pub completed_at: Option<String>,
    pub raw: Value,
}

pub(crate) fn result_data(r: TaskResult) -> TaskResultData {
    TaskResultData {
        outcome: r.outcome.as_str().to_owned(),
        message: r.message,
        question: r.question,
        usage: usage_data(&r.usage),
        task_id: r.task_id,
        session_id: r.session_id,
        completed_at: r.completed_at,
        raw: r.raw,
    }
}

/// One look at a task.
#[napi(object, use_nullable = true)]
pub struct TaskStatusData {
    /// `running`, `completed`, `guardrail`, `failed`, `stopped` or `terminated`.
    pub state: String,
    pub paused: bool,
    pub message: Option<String>,
    pub question: Option<String>,
    pub completed_at: Option<String>,
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub usage: UsageData,
    pub raw: Value,
}

pub(crate) fn status_data(s: TaskStatus) -> TaskStatusData {
    let mut out = TaskStatusData {
        state: String::new(),
        paused: false,
        message: None,
        question: None,
        completed_at: None,
        error_code: None,
        error: None,
        usage: usage_data(&s.usage),
        raw: s.raw,
    };
    out.state = s.state.name().to_owned();
    match s.state {
        TaskState::Running { paused } => out.paused = paused,
        TaskState::Completed { message, completed_at } => {
            out.message = Some(message);
            out.completed_at = completed_at;
        }
        TaskState::Guardrail { question } => out.question = Some(question),
        TaskState::Failed { code, error } => {
            out.error_code = Some(code);
            out.error = Some(error);
        }
        TaskState::Stopped | TaskState::Terminated => {}
    }
    out
}

/// The viewport.
#[napi(object)]
pub struct Dimensions {
    pub width: f64,
    pub height: f64,
}

/// What start-session answered.
#[napi(object, use_nullable = true)]
pub struct SessionInfoData {
    pub socket_url: Option<String>,
    pub web_view_url: Option<String>,
    pub web_rtc_url: Option<String>,
    pub dimensions: Option<Dimensions>,
    pub initial_prompt: Option<String>,
    pub expires_in: Option<f64>,
    pub balance: Option<f64>,
    pub message: Option<String>,
    pub raw: Value,
}

pub(crate) fn info_data(i: &SessionInfo) -> SessionInfoData {
    SessionInfoData {
        socket_url: i.socket_url.clone(),
        web_view_url: i.web_view_url.clone(),
        web_rtc_url: i.web_rtc_url.clone(),
        dimensions: i.dimensions.map(|(w, h)| Dimensions { width: w as f64, height: h as f64 }),
        initial_prompt: i.initial_prompt.clone(),
        expires_in: i.expires_in.map(|v| v as f64),
        balance: i.balance,
        message: i.message.clone(),
        raw: i.raw.clone(),
    }
}

/// `GET /start/health`.
#[napi(object, use_nullable = true)]
pub struct HealthData {
    pub status: String,
    pub instances_available: Option<bool>,
    pub instance_count: Option<f64>,
    pub timestamp: Option<String>,
    pub raw: Value,
}

pub(crate) fn health_data(h: enigma::Health) -> HealthData {
    HealthData {
        status: h.status,
        instances_available: h.instances_available,
        instance_count: h.instance_count.map(|v| v as f64),
        timestamp: h.timestamp,
        raw: h.raw,
    }
}

/// `GET /start/active-sockets`.
#[napi(object)]
pub struct ActiveSocketsData {
    pub sockets: Vec<String>,
    pub count: f64,
    pub raw: Value,
}

pub(crate) fn sockets_data(a: enigma::ActiveSockets) -> ActiveSocketsData {
    ActiveSocketsData { sockets: a.sockets, count: a.count as f64, raw: a.raw }
}
