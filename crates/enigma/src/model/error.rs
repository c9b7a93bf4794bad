//! One error type for the whole SDK, with stable codes (`ErrorCode`, in `error_code.rs`) that
//! the bindings map to their own exception classes (they map codes, never message texts).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::spelling::Spelling;
use super::usage::Usage;

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The rate-limit headers of a response (contract §5.1).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct RateLimitInfo {
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the window resets, Unix seconds.
    pub reset: Option<u64>,
}

/// What the service said when it answered with an HTTP error.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiErrorDetails {
    /// HTTP status.
    pub status: u16,
    /// The service's own code, e.g. `SESSION_NOT_FOUND`.
    pub server_code: Option<String>,
    /// The service's text (`message` or `error`).
    pub message: String,
    /// `details`, when given (e.g. `{current, limit}` on a session limit).
    pub details: Option<Value>,
    /// `balance`, on 402.
    pub balance: Option<f64>,
    /// `Retry-After`, when given.
    pub retry_after: Option<Duration>,
    /// The rate-limit headers, when given.
    pub rate_limit: Option<RateLimitInfo>,
    /// The body as received: at most 4 KiB of it (cut at a character boundary, `…` appended),
    /// with bytes that are not UTF-8 shown as U+FFFD.
    pub body: String,
}

/// Which kind of HTTP error the service answered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    /// 401: no key, bad key, revoked or expired key.
    Authentication,
    /// 403: account deactivated.
    PermissionDenied,
    /// 402: balance exhausted or payment failed.
    InsufficientBalance,
    /// 429 `RATE_LIMIT_EXCEEDED`.
    RateLimited,
    /// 429 `SESSION_LIMIT_REACHED`: too many concurrent sessions.
    SessionLimit,
    /// 404 (or the documented 401 "Session not found") for a session.
    SessionNotFound,
    /// 404 for a task.
    TaskNotFound,
    /// 409: a task runs and another is already queued.
    TaskAlreadyRunning,
    /// 400 or 422: the service refused the request's parameters. Its code is `validation`, like
    /// [`Error::Validation`]; it differs by having a `status` (400/422), `server_code` and
    /// `server_message`, and no field name.
    InvalidRequest,
    /// 5xx or an unexpected status.
    Server,
}

/// The error under an SDK error (I/O, HTTP, TLS, WebSocket, JSON), what
/// [`std::error::Error::source`] returns; shared so that [`Error`] stays `Clone`.
///
/// It dereferences to the error itself (`source()` hands out that error, so
/// `downcast_ref::<std::io::Error>()` and friends work on it), and is not an error of its own.
#[derive(Clone)]
pub struct ErrorSource(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl ErrorSource {
    /// Keeps `error` as the source of an [`Error`].
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> ErrorSource {
        ErrorSource(Arc::new(error))
    }
}

impl std::ops::Deref for ErrorSource {
    type Target = dyn std::error::Error + Send + Sync + 'static;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}

impl std::fmt::Debug for ErrorSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

/// Every error the SDK returns. Match on the variants, or on [`Error::code`], the stable code
/// the three languages share; a wait's timeout keeps the task running, and
/// [`Client::task_of`](crate::Client::task_of) re-attaches to it.
///
/// [`std::error::Error::source`] leads to the error underneath when there is one: the
/// `reqwest`, `std::io`, TLS or WebSocket error of a [`Error::Connection`], the `serde_json`
/// error of a [`Error::Decode`], the cause of an [`Error::OutcomeUnknown`]. The message
/// ([`Display`](std::fmt::Display)) already includes their text, so a report that prints the
/// chain repeats it; match on [`Error::code`], never on the text.
///
/// Semver: the enum is `#[non_exhaustive]` (new variants come in minor releases); so is
/// [`ErrorCode`](crate::ErrorCode), whose policy covers both (see its documentation).
///
/// ```
/// use std::time::Duration;
/// use enigma::{Client, Error, SessionOptions, WaitOptions};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sim = enigma_sim::Simulator::start(enigma_sim::SimConfig::for_tests()).await?;
/// # let client = enigma::Client::builder().api_key("enig_docexampledocexampledocexample").base_url(sim.url())
/// #     .poll_interval(std::time::Duration::from_millis(10)).build()?;
///
/// // Bad input is refused before anything is sent, naming the field.
/// let bad = client.start_session(SessionOptions::new().starting_url("amazon.com")).await.unwrap_err();
/// assert!(matches!(&bad, Error::Validation { field, .. } if field == "starting_url"));
///
/// // A wait that times out leaves its task running: re-attach and wait again.
/// let task = client.start_task(SessionOptions::new().task_details("A long one #sim duration=60")).await?;
/// let err = task.result(WaitOptions::new().timeout(Duration::from_millis(50))).await.unwrap_err();
/// assert_eq!(err.code(), "wait_timeout");
/// let again = client.task_of(&err).expect("a timeout names its task");
/// again.session().terminate().await?;
///
/// // No key: a typed error, the key never shown.
/// let keyless = Client::builder().api_key("").base_url(sim.url()).build()?;
/// let err = keyless.start_session(SessionOptions::new()).await.unwrap_err();
/// assert!(matches!(err, Error::MissingApiKey), "{err}");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an HTTP error.
    #[error("{} (HTTP {}{}): {}", kind_text(*.kind), .details.status, code_suffix(.details.server_code.as_deref()), .details.message)]
    Api {
        /// Which kind of error.
        kind: ApiErrorKind,
        /// What the service said.
        details: Box<ApiErrorDetails>,
    },
    /// No API key was configured for a call that needs one. The message says how to get going:
    /// the key, or the built-in simulator (the bindings show their own language's line).
    #[error("{}", super::missing_key::rust())]
    MissingApiKey,
    /// Input refused locally, before anything was sent: its `status()` is `None` and it names
    /// the field. (The service's own 400/422 refusals share the code `validation` but are
    /// [`Error::Api`] with [`ApiErrorKind::InvalidRequest`]: they have a `status`.)
    #[error("invalid {field}: {reason}")]
    Validation {
        /// The offending parameter, as the user spells it in Rust (snake_case).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The agent failed the task.
    #[error("task {task_id} failed with {server_code}: {message}")]
    TaskFailed {
        /// The session of the task.
        session_id: String,
        /// The task.
        task_id: String,
        /// The service's code, e.g. `NAVIGATION_TIMEOUT`.
        server_code: String,
        /// The service's text.
        message: String,
        /// Usage at the failure.
        usage: Box<Usage>,
    },
    /// The wait's deadline passed; the task goes on and can be waited on again: re-attach with
    /// [`Client::task_of`](crate::Client::task_of) (or [`Client::task`](crate::Client::task) and
    /// the ids). Errors are data: they carry ids, not handles.
    #[error("{} still running after waiting {:.1}s", task_name(.task_id.as_deref()), .waited.as_secs_f64())]
    WaitTimeout {
        /// The task's session.
        session_id: String,
        /// The task, still running; `None` when the service had not named it yet (its create's
        /// answer had not come).
        task_id: Option<String>,
        /// How long the wait lasted.
        waited: Duration,
    },
    /// The cost ceiling of a wait was passed; the SDK sent `stop`. Re-attach to the task with
    /// [`Client::task_of`](crate::Client::task_of).
    #[error("{} stopped: {}", task_name(.task_id.as_deref()), cost_text(.usage.cost, *.limit))]
    CostLimit {
        /// The task's session.
        session_id: String,
        /// The stopped task; `None` when the service had not named it when it was stopped.
        task_id: Option<String>,
        /// Usage when the limit was seen passed.
        usage: Box<Usage>,
        /// The limit, USD.
        limit: f64,
    },
    /// The session ended (terminated, expired, lost) while a task was running or a command was due.
    #[error("session {session_id} ended{}", .task_id.as_deref().map(|t| format!(" under task {t}")).unwrap_or_default())]
    SessionEnded {
        /// The session.
        session_id: String,
        /// The task that was running, if any.
        task_id: Option<String>,
    },
    /// The service could not be reached, or the connection failed before an answer.
    #[error("connection error: {message}")]
    Connection {
        /// What went wrong.
        message: String,
        /// Whether the request provably never reached the service.
        never_sent: bool,
        /// The I/O, HTTP, TLS or WebSocket error underneath, when there is one.
        #[source]
        source: Option<ErrorSource>,
    },
    /// A request that creates something (a session or a task) was sent, and what came back does
    /// not prove that nothing was created: the answer was lost or unreadable (cut connection,
    /// timeout, a 2xx that cannot be decoded), or an error status other than 4xx and 503 (a 502
    /// or 504 from a gateway that gave up while the service went on, a 500). It may have taken
    /// effect. It is not retried, to never start (and bill) the same work twice.
    #[error("{operation} was sent but no usable answer came back ({message}); it may have started{}", .session_id.as_deref().map(|s| format!(" in session {s}")).unwrap_or_default())]
    OutcomeUnknown {
        /// `start-session`, `run-task` or `newTask`.
        operation: String,
        /// The session concerned, when known.
        session_id: Option<String>,
        /// What happened to the answer.
        message: String,
        /// What went wrong with the answer (the connection's or the decoding's error, or the
        /// error answer itself), when known.
        #[source]
        source: Option<ErrorSource>,
    },
    /// The service answered something the SDK cannot read.
    #[error("unexpected answer from the service: {message}; body: {body}")]
    Decode {
        /// What was wrong.
        message: String,
        /// The body (truncated for very long bodies).
        body: String,
        /// The parser's error (`serde_json`, UTF-8), when the body did not parse.
        #[source]
        source: Option<ErrorSource>,
    },
    /// The API key would have been sent in clear text to a non-loopback host.
    #[error(
        "refusing to send the API key over plain http to {url}: use https, or allow it explicitly with allow_insecure_http"
    )]
    InsecureTransport {
        /// The base URL.
        url: String,
    },
    /// The operation was cancelled (by the caller, an abort signal or Ctrl-C).
    #[error("cancelled")]
    Cancelled,
}

fn task_name(task_id: Option<&str>) -> String {
    match task_id {
        Some(id) => format!("task {id}"),
        None => "the task (not named by the service yet)".to_owned(),
    }
}

fn cost_text(cost: Option<f64>, limit: f64) -> String {
    match cost {
        Some(cost) => format!("cost {cost:.4} USD passed the limit of {limit:.4} USD"),
        None => format!("its estimated cost reached the limit of {limit:.4} USD"),
    }
}

fn kind_text(kind: ApiErrorKind) -> &'static str {
    match kind {
        ApiErrorKind::Authentication => "authentication failed",
        ApiErrorKind::PermissionDenied => "permission denied",
        ApiErrorKind::InsufficientBalance => "insufficient balance",
        ApiErrorKind::RateLimited => "rate limited",
        ApiErrorKind::SessionLimit => "session limit reached",
        ApiErrorKind::SessionNotFound => "session not found",
        ApiErrorKind::TaskNotFound => "task not found",
        ApiErrorKind::TaskAlreadyRunning => "a task is already running",
        ApiErrorKind::InvalidRequest => "invalid request",
        ApiErrorKind::Server => "server error",
    }
}

fn code_suffix(code: Option<&str>) -> String {
    code.map(|c| format!(" {c}")).unwrap_or_default()
}

impl Error {
    /// The HTTP status, for errors the service answered.
    pub fn status(&self) -> Option<u16> {
        self.api_details().map(|d| d.status)
    }

    /// The service's own code: `SESSION_NOT_FOUND`, `NAVIGATION_TIMEOUT`...
    pub fn server_code(&self) -> Option<&str> {
        match self {
            Error::Api { details, .. } => details.server_code.as_deref(),
            Error::TaskFailed { server_code, .. } => Some(server_code),
            _ => None,
        }
    }

    /// The service's own text, for errors the service answered.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            Error::Api { details, .. } => Some(&details.message),
            Error::TaskFailed { message, .. } => Some(message),
            _ => None,
        }
    }

    /// How long the service asked to wait before retrying.
    pub fn retry_after(&self) -> Option<Duration> {
        self.api_details().and_then(|d| d.retry_after)
    }

    /// The account balance, on an insufficient-balance error.
    pub fn balance(&self) -> Option<f64> {
        self.api_details().and_then(|d| d.balance)
    }

    /// The rate-limit headers of the failed response, when given.
    pub fn rate_limit(&self) -> Option<RateLimitInfo> {
        self.api_details().and_then(|d| d.rate_limit)
    }

    /// The usage carried by a task failure or a cost-limit stop.
    pub fn usage(&self) -> Option<&Usage> {
        match self {
            Error::TaskFailed { usage, .. } | Error::CostLimit { usage, .. } => Some(usage),
            _ => None,
        }
    }

    /// The session concerned, when the error names one.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Error::TaskFailed { session_id, .. }
            | Error::SessionEnded { session_id, .. }
            | Error::WaitTimeout { session_id, .. }
            | Error::CostLimit { session_id, .. } => Some(session_id),
            Error::OutcomeUnknown { session_id, .. } => session_id.as_deref(),
            _ => None,
        }
    }

    /// The task concerned, when the error names one.
    pub fn task_id(&self) -> Option<&str> {
        match self {
            Error::TaskFailed { task_id, .. } => Some(task_id),
            Error::WaitTimeout { task_id, .. }
            | Error::CostLimit { task_id, .. }
            | Error::SessionEnded { task_id, .. } => task_id.as_deref(),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed (rate limits, unavailable
    /// instances, server and connection errors). The SDK has already retried what was safe.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { kind, details } => matches!(kind, ApiErrorKind::RateLimited) || details.status >= 500,
            Error::Connection { .. } => true,
            _ => false,
        }
    }

    /// The details of an HTTP error answer.
    pub fn api_details(&self) -> Option<&ApiErrorDetails> {
        match self {
            Error::Api { details, .. } => Some(details),
            _ => None,
        }
    }

    pub(crate) fn validation(field: &str, reason: impl Into<String>) -> Error {
        Error::Validation { field: field.to_owned(), reason: reason.into() }
    }

    /// The error of a create request (start-session, run-task, newTask) whose outcome is not
    /// known, from what went wrong with its answer.
    pub(crate) fn unknown_outcome(operation: &str, session_id: Option<&str>, cause: &Error) -> Error {
        let (message, source) = match cause {
            Error::Decode { message, source, .. }
            | Error::Connection { message, source, .. }
            | Error::OutcomeUnknown { message, source, .. } => (message.clone(), source.clone()),
            other => (format!("answered {other}"), Some(ErrorSource::new(other.clone()))),
        };
        Error::OutcomeUnknown {
            operation: operation.to_owned(),
            session_id: session_id.map(str::to_owned),
            message,
            source,
        }
    }

    /// A connection error with what caused it.
    pub(crate) fn connection(
        message: impl Into<String>,
        never_sent: bool,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Connection { message: message.into(), never_sent, source: Some(ErrorSource::new(source)) }
    }

    pub(crate) fn decode(message: impl Into<String>, body: &Value) -> Error {
        Error::Decode { message: message.into(), body: truncate(body.to_string()), source: None }
    }

    pub(crate) fn decode_text(message: impl Into<String>, body: &str) -> Error {
        Error::Decode { message: message.into(), body: truncate(body.to_owned()), source: None }
    }

    /// A decode error with the parser's error underneath.
    pub(crate) fn decode_caused(
        message: impl Into<String>,
        body: &str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        Error::Decode {
            message: message.into(),
            body: truncate(body.to_owned()),
            source: Some(ErrorSource::new(source)),
        }
    }
}

fn truncate(mut text: String) -> String {
    const MAX: usize = 2000;
    if text.len() > MAX {
        let mut cut = MAX;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}
/// An error in a binding's spelling: here, beside [`Error`], so that `spelling.rs` needs no
/// import of its own. (Only the bindings use it.)
#[cfg_attr(not(feature = "binding"), allow(dead_code))]
impl Spelling {
    /// `err` with a validation field (a canonical name) in this spelling: a setting refused when
    /// the client is built names it as the caller wrote it (`requestTimeoutMs`).
    pub fn error(self, err: Error) -> Error {
        match err {
            Error::Validation { field, reason } if field.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                Error::Validation { field: self.spell(&field), reason }
            }
            other => other,
        }
    }
}
