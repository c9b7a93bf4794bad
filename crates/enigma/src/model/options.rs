//! Options of sessions, tasks and waits: plain data with the contract's field names on the wire
//! (camelCase), and the canonical (Rust, snake_case) names when read from a binding
//! (`model/parse.rs`).

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Defines an option struct with the fields every task takes (at session start, for its first
/// task, and in `newTask`), so that those fields are written once. A macro rather than
/// `#[serde(flatten)]`: serde does not support `deny_unknown_fields` with `flatten`, and a
/// flattened struct loses the path of a bad field, so its error could not name the field.
macro_rules! with_task_fields {
    ($(#[$meta:meta])* pub struct $name:ident { $($own:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($own)*
            /// Time limit, 1 ms to 300 s in whole milliseconds (service default 300 s). Sent as
            /// ms; read from a binding as ms (Python's `max_duration`, Node's `maxDuration`).
            #[serde(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "millis",
                serialize_with = "as_millis"
            )]
            pub max_duration: Option<Duration>,
            /// Input token budget (service default 100000).
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "count")]
            pub max_input_tokens: Option<u64>,
            /// Output token budget (service default 100000).
            #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "count")]
            pub max_output_tokens: Option<u64>,
            /// The http(s) URL the browser opens first.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub starting_url: Option<String>,
            /// Domains the agent must not visit.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub avoid_domains: Option<Vec<String>>,
            /// End the session after this task.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub terminate_on_completion: Option<bool>,
        }
    };
}

with_task_fields! {
    /// Options of `start-session` (contract §2.1) and, with a required task, of `run-task` (§2.3).
    /// Every field is optional; `None` leaves the service's (or the client's) default.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all(serialize = "camelCase"), deny_unknown_fields)]
    pub struct SessionOptions {
        /// An initial task that starts at once.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub task_details: Option<String>,
        /// Use the live (Socket.IO) connection for this session's waits, commands and events;
        /// `None` takes the client's setting ([`crate::ClientBuilder::live_events`]). Not sent
        /// to the service.
        #[serde(default, skip_serializing)]
        pub live_events: Option<bool>,
    }
}

/// The setters of the fields every task takes, on `$name` (or on its `$via` field), written once.
macro_rules! task_setters {
    ($name:ident $(. $via:ident)?) => {
        impl $name {
            /// Sets `max_duration`: the time limit, 1 ms to 300 s in whole milliseconds.
            pub fn max_duration(mut self, limit: Duration) -> Self {
                self$(.$via)?.max_duration = Some(limit);
                self
            }
            /// Sets `max_input_tokens`: the input token budget.
            pub fn max_input_tokens(mut self, tokens: u64) -> Self {
                self$(.$via)?.max_input_tokens = Some(tokens);
                self
            }
            /// Sets `max_output_tokens`: the output token budget.
            pub fn max_output_tokens(mut self, tokens: u64) -> Self {
                self$(.$via)?.max_output_tokens = Some(tokens);
                self
            }
            /// Sets `starting_url`: the http(s) URL the browser opens first.
            pub fn starting_url(mut self, url: impl Into<String>) -> Self {
                self$(.$via)?.starting_url = Some(url.into());
                self
            }
            /// Sets `avoid_domains`: domains the agent must not visit.
            pub fn avoid_domains<I: IntoIterator<Item = S>, S: Into<String>>(mut self, domains: I) -> Self {
                self$(.$via)?.avoid_domains = Some(domains.into_iter().map(Into::into).collect());
                self
            }
        }
    };
}

task_setters!(SessionOptions);
task_setters!(TaskOptions);
task_setters!(RunTaskOptions.session);

impl SessionOptions {
    /// No options: the service's defaults.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets `task_details`: an initial task that starts at once.
    pub fn task_details(mut self, task: impl Into<String>) -> Self {
        self.task_details = Some(task.into());
        self
    }
    /// Sets `terminate_on_completion`: end the session after its task.
    pub fn terminate_on_completion(mut self, yes: bool) -> Self {
        self.terminate_on_completion = Some(yes);
        self
    }
    /// Sets `live_events` for this session (overrides the client's setting).
    pub fn live_events(mut self, on: bool) -> Self {
        self.live_events = Some(on);
        self
    }
}

with_task_fields! {
    /// Options of a `newTask` message (contract §3).
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all(serialize = "camelCase"), deny_unknown_fields)]
    pub struct TaskOptions {
        /// What the agent should do (required, non-empty).
        pub task_details: String,
    }
}

impl TaskOptions {
    /// A task with the given instructions and the service's defaults.
    pub fn new(task_details: impl Into<String>) -> Self {
        TaskOptions { task_details: task_details.into(), ..Self::default() }
    }
    /// Sets `terminate_on_completion`: end the session after this task.
    pub fn terminate_on_completion(mut self, yes: bool) -> Self {
        self.terminate_on_completion = Some(yes);
        self
    }
}

/// How to wait for a task's result. Read from a binding, `timeout` is in seconds (Python's
/// `timeout`; Node's `timeoutMs` is converted, see `model/parse.rs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitOptions {
    /// Give up after this long (the task goes on; the error holds its handle). `None`: no limit.
    #[serde(default, deserialize_with = "seconds")]
    pub timeout: Option<Duration>,
    /// Stop the task when its cost passes this many USD (the wait sends `stop` and fails with
    /// [`Error::CostLimit`](crate::Error::CostLimit)); a task that ends over it is a
    /// `cost_limit` error too, never a silent success.
    ///
    /// The bound: once the service has named the task, its cost is polled every poll interval
    /// (running cost is only visible on polls), so the spend at the stop is at most the ceiling
    /// plus one poll interval's spend (plus the stop's round trip). Before the task is named
    /// (a service that names it only when its create answers, up to 50 s), it is stopped when
    /// the time since it was sent times the highest spend rate this client has seen on a task
    /// reaches the ceiling; with no rate seen yet, nothing bounds that first stretch but the
    /// service's answer, after which polls take over.
    #[serde(default)]
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
    /// Sets the wait's deadline: give up after this long (the session is then terminated).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.wait.timeout = Some(timeout);
        self
    }
    /// Sets the wait's cost ceiling (USD): the task is stopped when its cost passes it.
    pub fn max_cost(mut self, usd: f64) -> Self {
        self.wait.max_cost = Some(usd);
        self
    }
    /// Sets `live_events` for this run's session (overrides the client's setting).
    pub fn live_events(mut self, on: bool) -> Self {
        self.session.live_events = Some(on);
        self
    }
}

/// A whole number >= 0, from an integer or a float without fraction (JavaScript has only
/// floats), so that `1.5`, `-5` and `"60000"` are refused with a reason.
pub(super) fn count<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    struct Count;
    impl serde::de::Visitor<'_> for Count {
        type Value = Option<u64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number >= 0")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            u64::try_from(v).map(Some).map_err(|_| E::custom(format!("must be a whole number >= 0, got {v}")))
        }
        fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Self::Value, E> {
            u64::try_from(v).map(Some).map_err(|_| E::custom(format!("must be at most {}, got {v}", u64::MAX)))
        }
        fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Self::Value, E> {
            Err(E::custom(format!("must be a whole number >= 0, got {v}")))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // 2^53: the largest whole number a JavaScript number holds exactly.
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0 {
                Ok(Some(v as u64))
            } else {
                Err(E::custom(format!("must be a whole number >= 0, got {v}")))
            }
        }
    }
    deserializer.deserialize_any(Count)
}

/// A duration from a whole number of milliseconds (read like [`count`]).
fn millis<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    Ok(count(deserializer)?.map(Duration::from_millis))
}

/// A duration as a whole number of milliseconds (the rules refuse a fraction of one before
/// anything is sent).
fn as_millis<S: serde::Serializer>(duration: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    duration.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)).serialize(s)
}

/// A duration as a number of seconds.
pub(super) fn as_seconds<S: serde::Serializer>(duration: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
    duration.map(|d| d.as_secs_f64()).serialize(s)
}

/// A duration from a number of seconds (>= 0).
pub(super) fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    match Option::<f64>::deserialize(deserializer)? {
        None => Ok(None),
        Some(s) => Duration::try_from_secs_f64(s)
            .map(Some)
            .map_err(|_| serde::de::Error::custom("must be a non-negative duration")),
    }
}
