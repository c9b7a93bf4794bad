//! Fault injection (`POST /_sim/faults`, or [`SimHandle::add_fault`](crate::SimHandle::add_fault)
//! in Rust): make the next matching requests fail on purpose.

use std::time::Duration;

use serde::Deserialize;

/// What an injected fault does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FaultAction {
    /// Answer with an HTTP error.
    #[default]
    Error,
    /// Process the request, then never answer (until the client gives up or the server stops).
    Hang,
    /// Process the request, then close the connection without an answer.
    Drop,
    /// Process the request, then answer it normally after `delayMs` (wall clock).
    Delay,
    /// Process the request, then answer with a body of `bytes` bytes (status: the real
    /// answer's, or `status` when given).
    Oversize,
    /// Process the request, then send the real answer with a byte 0xFF (never valid UTF-8) put
    /// at the start of its first string value.
    #[serde(rename = "invalid-utf8")]
    InvalidUtf8,
    /// Process the request, then send the real answer with the top-level fields of `patch`
    /// put over its own (a service answering ids or values it should not).
    Patch,
}

/// A fault to arm: [`Fault::new`] for an endpoint (`"POST /start/send-message"`, one of
/// [`ENDPOINTS`](crate::ENDPOINTS)), then its setters; armed with
/// [`SimHandle::add_fault`](crate::SimHandle::add_fault). The same fields as a `POST
/// /_sim/faults` body (and Python's `add_fault`, Node's `injectFault`).
///
/// ```
/// use enigma_sim::{Fault, FaultAction};
/// use std::time::Duration;
/// let unavailable = Fault::new("POST /start/start-session").status(503).retry_after(Duration::from_secs(1));
/// let lost_answer = Fault::new("POST /start/run-task").action(FaultAction::Drop).count(2);
/// # let _ = (unavailable, lost_answer);
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub(crate) endpoint: String,
    /// The status to answer (default 500; for `oversize` the real answer's).
    #[serde(default)]
    pub(crate) status: Option<u16>,
    #[serde(default)]
    pub(crate) code: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
    #[serde(default = "default_count")]
    pub(crate) count: u32,
    #[serde(default)]
    pub(crate) retry_after: Option<u64>,
    /// Send `Retry-After` as an HTTP date (now + `retryAfter`) instead of seconds.
    #[serde(default)]
    pub(crate) retry_after_date: bool,
    /// For `error`: this text (`text/html`) instead of the JSON error body, like a gateway's page.
    #[serde(default)]
    pub(crate) body: Option<String>,
    /// For `oversize`: the body's length in bytes.
    #[serde(default)]
    pub(crate) bytes: u64,
    /// For `oversize`: send no `Content-Length` (chunked), so a client learns the size only by
    /// reading.
    #[serde(default)]
    pub(crate) chunked: bool,
    /// For `patch`: fields put over the real answer's.
    #[serde(default)]
    pub(crate) patch: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub(crate) after_processing: bool,
    #[serde(default)]
    pub(crate) action: FaultAction,
    /// For `delay`: how long to hold the real answer, wall-clock ms.
    #[serde(default)]
    pub(crate) delay_ms: u64,
}

fn default_count() -> u32 {
    1
}

impl Fault {
    /// An `error` fault (status 500) for the next request to `endpoint`.
    pub fn new(endpoint: impl Into<String>) -> Fault {
        Fault {
            endpoint: endpoint.into(),
            status: None,
            code: None,
            message: None,
            count: default_count(),
            retry_after: None,
            retry_after_date: false,
            body: None,
            bytes: 0,
            chunked: false,
            patch: serde_json::Map::new(),
            after_processing: false,
            action: FaultAction::Error,
            delay_ms: 0,
        }
    }
    /// What it does (default [`FaultAction::Error`]).
    pub fn action(mut self, action: FaultAction) -> Fault {
        self.action = action;
        self
    }
    /// The HTTP status to answer (default 500; for `oversize` the real answer's).
    pub fn status(mut self, status: u16) -> Fault {
        self.status = Some(status);
        self
    }
    /// The error code in the body (default by status: `RATE_LIMIT_EXCEEDED` for 429,
    /// `INSTANCE_UNAVAILABLE` for 503, else `INTERNAL_ERROR`).
    pub fn code(mut self, code: impl Into<String>) -> Fault {
        self.code = Some(code.into());
        self
    }
    /// The error message in the body.
    pub fn message(mut self, message: impl Into<String>) -> Fault {
        self.message = Some(message.into());
        self
    }
    /// How many matching requests it hits (default 1).
    pub fn count(mut self, count: u32) -> Fault {
        self.count = count;
        self
    }
    /// Sends `Retry-After` (whole seconds).
    pub fn retry_after(mut self, after: Duration) -> Fault {
        self.retry_after = Some(after.as_secs());
        self
    }
    /// Sends `Retry-After` as an HTTP date rather than seconds.
    pub fn retry_after_as_date(mut self) -> Fault {
        self.retry_after_date = true;
        self
    }
    /// For `error`: this text (`text/html`) instead of the JSON body, like a gateway's page.
    pub fn body(mut self, body: impl Into<String>) -> Fault {
        self.body = Some(body.into());
        self
    }
    /// An `oversize` answer: a body of `bytes` bytes.
    pub fn oversize(mut self, bytes: u64) -> Fault {
        self.action = FaultAction::Oversize;
        self.bytes = bytes;
        self
    }
    /// For `oversize`: send no `Content-Length` (chunked), so a client learns the size only by
    /// reading.
    pub fn chunked(mut self) -> Fault {
        self.chunked = true;
        self
    }
    /// For `patch`: fields put over the real answer's.
    pub fn patch(mut self, fields: serde_json::Map<String, serde_json::Value>) -> Fault {
        self.action = FaultAction::Patch;
        self.patch = fields;
        self
    }
    /// Process the request first, then fail it (its effect happens, its answer is lost).
    pub fn after_processing(mut self) -> Fault {
        self.after_processing = true;
        self
    }
    /// For `delay`: how long to hold the real answer (wall clock).
    pub fn delay(mut self, delay: Duration) -> Fault {
        self.action = FaultAction::Delay;
        self.delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// The status of an `error` fault.
    pub(crate) fn error_status(&self) -> u16 {
        self.status.unwrap_or(500)
    }

    /// The error code to send.
    pub(crate) fn error_code(&self) -> String {
        self.code.clone().unwrap_or_else(|| match self.error_status() {
            429 => "RATE_LIMIT_EXCEEDED".into(),
            503 => "INSTANCE_UNAVAILABLE".into(),
            _ => "INTERNAL_ERROR".into(),
        })
    }
}

/// The armed faults, consumed in order.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    armed: Vec<Fault>,
}

impl Faults {
    pub(crate) fn add(&mut self, fault: Fault) {
        if fault.count > 0 {
            self.armed.push(fault);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.armed.clear();
    }

    /// Takes one use of the first fault armed for `endpoint`.
    pub(crate) fn take(&mut self, endpoint: &str) -> Option<Fault> {
        let index = self.armed.iter().position(|f| f.endpoint == endpoint)?;
        let fault = self.armed[index].clone();
        self.armed[index].count -= 1;
        if self.armed[index].count == 0 {
            self.armed.remove(index);
        }
        Some(fault)
    }

    /// How many faults are still armed (sum of counts).
    pub(crate) fn pending(&self) -> u32 {
        self.armed.iter().map(|f| f.count).sum()
    }
}
