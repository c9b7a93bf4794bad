//! The one table of error codes, and the one serialised form of an error ([`ErrorPayload`]).
//!
//! Every language checks itself against this table: the Python and Node bindings export
//! [`ErrorCode::ALL`] (as `enigma._native.ERROR_CODES` and `errorCodes()`), and a test in each
//! fails when a code has no class there; the CLI's exit table is an exhaustive `match` on
//! [`ErrorCode`], so a new code does not compile until it has an exit status. The bindings
//! forward [`ErrorPayload`] as it is and never pick fields out of an [`Error`] by hand.

use serde::Serialize;
use serde_json::Value;

use super::error::{ApiErrorKind, Error, RateLimitInfo};
use super::usage::Usage;

/// Declares [`ErrorCode`] and its [`ErrorCode::ALL`] from one list, so the list is complete by
/// construction.
macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $text:literal, )*) => {
        /// The stable code of an error: what bindings map to their classes and the CLI to its
        /// exit statuses. Serialises as its snake_case text (`rate_limited`).
        ///
        /// # Semver policy
        ///
        /// - A code's text (`rate_limited`) never changes and is never reused for something
        ///   else; removing a code is a breaking release.
        /// - New codes (the service grows new ways to fail) come in minor releases: the enum is
        ///   `#[non_exhaustive]`, so a `match` on it needs a `_` arm, and code written today keeps
        ///   compiling. Handle the codes you care about and treat the rest as failures (with
        ///   [`Error::is_retryable`](crate::Error::is_retryable) for whether to try again).
        /// - [`Error`](crate::Error) follows the same rule for its variants.
        ///
        /// Inside this workspace nothing may forget a code: the CLI's exit table, the Python and
        /// Node error classes are each checked against [`ErrorCode::ALL`] by a test. The same
        /// policy is in `api.md` (Errors).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[non_exhaustive]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code's text, e.g. `session_not_found`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                }
            }
        }
    };
}

error_codes! {
    /// 401, or no API key configured.
    Authentication = "authentication",
    /// 403: the account is deactivated.
    PermissionDenied = "permission_denied",
    /// 402: the balance is exhausted (`balance`).
    InsufficientBalance = "insufficient_balance",
    /// 429 `RATE_LIMIT_EXCEEDED`, after the SDK's own retries (`retry_after`, `rate_limit`).
    RateLimited = "rate_limited",
    /// 429 `SESSION_LIMIT_REACHED`: too many concurrent sessions (`details`).
    SessionLimit = "session_limit",
    /// 404: unknown, expired or ended session.
    SessionNotFound = "session_not_found",
    /// 404: unknown task.
    TaskNotFound = "task_not_found",
    /// 409: a task runs and another is already queued.
    TaskAlreadyRunning = "task_already_running",
    /// Invalid input. Refused locally, before anything was sent: no `status`, and `field` and
    /// `reason` name the argument. Or refused by the service (400/422): `status`, `server_code`
    /// and `server_message` are set, and no `field`.
    Validation = "validation",
    /// The agent failed the task (`server_code`, e.g. `NAVIGATION_TIMEOUT`; `usage`).
    TaskFailed = "task_failed",
    /// A wait's deadline passed (`waited`); the task goes on and can be waited on again.
    WaitTimeout = "wait_timeout",
    /// The task's cost passed the wait's ceiling (`limit`); the SDK stopped it (`usage`).
    CostLimit = "cost_limit",
    /// The session ended (terminated, expired, lost) under the task or before the command.
    SessionEnded = "session_ended",
    /// The service could not be reached (`never_sent` tells if the request surely never left).
    Connection = "connection",
    /// 5xx or an unexpected status.
    Server = "server",
    /// The service answered something the SDK cannot read (`body`).
    Decode = "decode",
    /// The API key would have gone over plain http to a non-loopback host (`url`).
    InsecureTransport = "insecure_transport",
    /// A request that creates something was sent and nothing that came back proves it did not
    /// take effect (lost or unreadable answer, a 502/504 or other 5xx but 503): it may have
    /// started (`operation`, `session_id`). It is never resent, to never bill the same work twice.
    OutcomeUnknown = "outcome_unknown",
    /// The caller cancelled the operation.
    Cancelled = "cancelled",
}

/// The rules that depend on an error's code, each written once: the handles, the batch runner
/// and the bindings ask these.
impl ErrorCode {
    /// The code with this text (`session_ended`), as a batch item or a binding carries it.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|code| code.as_str() == name)
    }

    /// Whether the error hands its task back (Python's and Node's `err.task`, Rust's
    /// [`Client::task_of`](crate::Client::task_of)): a wait that gave up (`wait_timeout`) or
    /// stopped the task at its cost ceiling (`cost_limit`) leaves a task to look at or wait on.
    pub const fn carries_task(self) -> bool {
        matches!(self, ErrorCode::WaitTimeout | ErrorCode::CostLimit)
    }

    /// Whether a task's end with this error ends a session that ends with its task (a
    /// one-shot's, or one started with `terminate_on_completion`): the task failed, or the
    /// session ended under it. After any other error (a timeout, a cost stop, a lost connection)
    /// the task may still run, and its session is the caller's to end.
    pub const fn ends_its_session(self) -> bool {
        matches!(self, ErrorCode::TaskFailed | ErrorCode::SessionEnded)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl From<ApiErrorKind> for ErrorCode {
    fn from(kind: ApiErrorKind) -> ErrorCode {
        match kind {
            ApiErrorKind::Authentication => ErrorCode::Authentication,
            ApiErrorKind::PermissionDenied => ErrorCode::PermissionDenied,
            ApiErrorKind::InsufficientBalance => ErrorCode::InsufficientBalance,
            ApiErrorKind::RateLimited => ErrorCode::RateLimited,
            ApiErrorKind::SessionLimit => ErrorCode::SessionLimit,
            ApiErrorKind::SessionNotFound => ErrorCode::SessionNotFound,
            ApiErrorKind::TaskNotFound => ErrorCode::TaskNotFound,
            ApiErrorKind::TaskAlreadyRunning => ErrorCode::TaskAlreadyRunning,
            ApiErrorKind::InvalidRequest => ErrorCode::Validation,
            ApiErrorKind::Server => ErrorCode::Server,
        }
    }
}

/// An error as data, the form that crosses into Python and Node (and the CLI's `--json`
/// output could take): every field an [`Error`] exposes, absent ones omitted. Durations are
/// seconds. Field names are snake_case; the Node binding turns them into camelCase.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorPayload {
    /// [`Error::error_code`].
    pub code: ErrorCode,
    /// The error's text (its `Display`).
    pub message: String,
    /// [`Error::is_retryable`].
    pub retryable: bool,
    /// HTTP status, for errors the service answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The service's own code (`SESSION_NOT_FOUND`, `NAVIGATION_TIMEOUT`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_code: Option<String>,
    /// The service's own text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_message: Option<String>,
    /// `Retry-After`, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<f64>,
    /// The rate-limit headers of the failed response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimitInfo>,
    /// The account balance, on 402.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balance: Option<f64>,
    /// The session concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The task concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// Usage at a task failure or cost-limit stop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// The service's `details` (e.g. `{current, limit}` on a session limit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// The body as received (HTTP errors, decode errors), bounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The refused argument, on a local validation error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Why it was refused, on a local validation error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How long a timed-out wait lasted, seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waited: Option<f64>,
    /// The cost ceiling that was passed, USD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
    /// The create request whose outcome is unknown (`start-session`, `run-task`, `newTask`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Whether a failed connection provably never sent the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub never_sent: Option<bool>,
    /// The base URL refused for plain http.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Error {
    /// The stable code of this error as text (`rate_limited`): [`Error::error_code`]'s
    /// [`ErrorCode::as_str`].
    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    /// The stable code of this error; bindings map it to their error classes, the CLI to its
    /// exit statuses.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::Api { kind, .. } => ErrorCode::from(*kind),
            Error::MissingApiKey => ErrorCode::Authentication,
            Error::Validation { .. } => ErrorCode::Validation,
            Error::TaskFailed { .. } => ErrorCode::TaskFailed,
            Error::WaitTimeout { .. } => ErrorCode::WaitTimeout,
            Error::CostLimit { .. } => ErrorCode::CostLimit,
            Error::SessionEnded { .. } => ErrorCode::SessionEnded,
            Error::Connection { .. } => ErrorCode::Connection,
            Error::OutcomeUnknown { .. } => ErrorCode::OutcomeUnknown,
            Error::Decode { .. } => ErrorCode::Decode,
            Error::InsecureTransport { .. } => ErrorCode::InsecureTransport,
            Error::Cancelled => ErrorCode::Cancelled,
        }
    }

    /// This error as data: what the bindings raise or throw.
    pub fn payload(&self) -> ErrorPayload {
        let api = self.api_details();
        let mut payload = ErrorPayload {
            code: self.error_code(),
            message: self.to_string(),
            retryable: self.is_retryable(),
            status: self.status(),
            server_code: self.server_code().map(str::to_owned),
            server_message: self.server_message().map(str::to_owned),
            retry_after: self.retry_after().map(|d| d.as_secs_f64()),
            rate_limit: self.rate_limit(),
            balance: self.balance(),
            session_id: self.session_id().map(str::to_owned),
            task_id: self.task_id().map(str::to_owned),
            usage: self.usage().cloned(),
            details: api.and_then(|d| d.details.clone()),
            body: api.map(|d| d.body.clone()),
            field: None,
            reason: None,
            waited: None,
            limit: None,
            operation: None,
            never_sent: None,
            url: None,
        };
        match self {
            Error::Validation { field, reason } => {
                payload.field = Some(field.clone());
                payload.reason = Some(reason.clone());
            }
            Error::WaitTimeout { waited, .. } => payload.waited = Some(waited.as_secs_f64()),
            Error::CostLimit { limit, .. } => payload.limit = Some(*limit),
            Error::OutcomeUnknown { operation, .. } => payload.operation = Some(operation.clone()),
            Error::Connection { never_sent, .. } => payload.never_sent = Some(*never_sent),
            Error::Decode { body, .. } => payload.body = Some(body.clone()),
            Error::InsecureTransport { url } => payload.url = Some(url.clone()),
            _ => {}
        }
        payload
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    #[test]
    fn every_code_is_listed_once_and_serialises_as_its_text() {
        let texts: HashSet<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(texts.len(), ErrorCode::ALL.len());
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), json!(code.as_str()));
        }
    }

    #[test]
    fn the_payload_carries_every_field_the_error_exposes() {
        let timeout = Error::WaitTimeout {
            session_id: "s".into(),
            task_id: Some("t".into()),
            waited: Duration::from_millis(1500),
        };
        assert_eq!(
            serde_json::to_value(timeout.payload()).unwrap(),
            json!({"code": "wait_timeout", "message": timeout.to_string(), "retryable": false,
                   "session_id": "s", "task_id": "t", "waited": 1.5})
        );
        let invalid = Error::validation("max_duration", "too long");
        let payload = invalid.payload();
        assert_eq!(
            (payload.code, payload.field.as_deref(), payload.status),
            (ErrorCode::Validation, Some("max_duration"), None)
        );
    }
}
