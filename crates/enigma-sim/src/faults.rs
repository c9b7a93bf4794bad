//! Fault injection (`POST /_sim/faults`): make the next matching requests fail on purpose.

use serde::Deserialize;

/// What an injected fault does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum FaultAction {
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

/// One armed fault, as posted to `/_sim/faults`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Fault {
    pub endpoint: String,
    /// The status to answer (default 500; for `oversize` the real answer's).
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default = "default_count")]
    pub count: u32,
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Send `Retry-After` as an HTTP date (now + `retryAfter`) instead of seconds.
    #[serde(default)]
    pub retry_after_date: bool,
    /// For `error`: this text (`text/html`) instead of the JSON error body, like a gateway's page.
    #[serde(default)]
    pub body: Option<String>,
    /// For `oversize`: the body's length in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// For `oversize`: send no `Content-Length` (chunked), so a client learns the size only by
    /// reading.
    #[serde(default)]
    pub chunked: bool,
    /// For `patch`: fields put over the real answer's.
    #[serde(default)]
    pub patch: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub after_processing: bool,
    #[serde(default)]
    pub action: FaultAction,
    /// For `delay`: how long to hold the real answer, wall-clock ms.
    #[serde(default)]
    pub delay_ms: u64,
}

fn default_count() -> u32 {
    1
}

impl Fault {
    /// The status of an `error` fault.
    pub(crate) fn error_status(&self) -> u16 {
        self.status.unwrap_or(500)
    }

    /// The error code to send.
    pub(crate) fn code(&self) -> String {
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
