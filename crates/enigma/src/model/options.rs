//! Options of sessions, tasks and waits, with the contract's field names on the wire.

use std::time::Duration;

use serde::Serialize;

/// Options of `start-session` (contract §2.1) and, with a required task, of `run-task` (§2.3).
/// Every field is optional; `None` leaves the service's default.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionOptions {
    /// An initial task that starts at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_details: Option<String>,
    /// Session lifetime in ms, 1..=300000 (service default 300000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<u64>,
    /// Input token budget (service default 100000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_input_tokens: Option<u64>,
    /// Output token budget (service default 100000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u64>,
    /// The http(s) URL the browser opens first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_url: Option<String>,
    /// Domains the agent must not visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avoid_domains: Option<Vec<String>>,
    /// End the session after its first task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminate_on_completion: Option<bool>,
}

impl SessionOptions {
    /// No options: the service's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets `task_details`.
    pub fn task_details(mut self, task: impl Into<String>) -> Self {
        self.task_details = Some(task.into());
        self
    }
    /// Sets `max_duration` (ms).
    pub fn max_duration(mut self, ms: u64) -> Self {
        self.max_duration = Some(ms);
        self
    }
    /// Sets `starting_url`.
    pub fn starting_url(mut self, url: impl Into<String>) -> Self {
        self.starting_url = Some(url.into());
        self
    }
    /// Sets `avoid_domains`.
    pub fn avoid_domains<I: IntoIterator<Item = S>, S: Into<String>>(mut self, domains: I) -> Self {
        self.avoid_domains = Some(domains.into_iter().map(Into::into).collect());
        self
    }
    /// Sets `terminate_on_completion`.
    pub fn terminate_on_completion(mut self, yes: bool) -> Self {
        self.terminate_on_completion = Some(yes);
        self
    }
}

/// Options of a `newTask` message (contract §3).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskOptions {
    /// What the agent should do (required, non-empty).
    pub task_details: String,
    /// Task time limit in ms, 1..=300000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_duration: Option<u64>,
    /// Input token budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_input_tokens: Option<u64>,
    /// Output token budget.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u64>,
    /// An http(s) URL to open first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_url: Option<String>,
    /// Domains the agent must not visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avoid_domains: Option<Vec<String>>,
    /// End the session after this task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminate_on_completion: Option<bool>,
}

impl TaskOptions {
    /// A task with the given instructions and the service's defaults.
    pub fn new(task_details: impl Into<String>) -> Self {
        TaskOptions { task_details: task_details.into(), ..Self::default() }
    }
    /// Sets `max_duration` (ms).
    pub fn max_duration(mut self, ms: u64) -> Self {
        self.max_duration = Some(ms);
        self
    }
    /// Sets `starting_url`.
    pub fn starting_url(mut self, url: impl Into<String>) -> Self {
        self.starting_url = Some(url.into());
        self
    }
    /// Sets `terminate_on_completion`.
    pub fn terminate_on_completion(mut self, yes: bool) -> Self {
        self.terminate_on_completion = Some(yes);
        self
    }
}

/// How to wait for a task's result.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WaitOptions {
    /// Give up after this long (the task goes on; the error holds its handle). `None`: no limit.
    pub timeout: Option<Duration>,
    /// Stop the task when its cost passes this many USD.
    pub max_cost: Option<f64>,
}

impl WaitOptions {
    /// Wait without limits.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the deadline.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
    /// Sets the cost ceiling (USD).
    pub fn max_cost(mut self, usd: f64) -> Self {
        self.max_cost = Some(usd);
        self
    }
}

/// Options of `run-task`: the session's options (its task required) and how to wait.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunTaskOptions {
    /// The session and its task (`task_details` required).
    pub session: SessionOptions,
    /// How to wait for the result.
    pub wait: WaitOptions,
}

impl RunTaskOptions {
    /// A one-shot task with the service's defaults.
    pub fn new(task_details: impl Into<String>) -> Self {
        RunTaskOptions { session: SessionOptions::new().task_details(task_details), wait: WaitOptions::new() }
    }
}
