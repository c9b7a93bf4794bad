//! `ClientBuilder`: a [`Client`] from settings given in code over the environment's. It sets the
//! fields of one [`ClientSettings`] (the list the bindings take too); `build` resolves them
//! (`environment.rs`).

use std::time::Duration;

use super::client::Client;
use crate::environment;
use crate::model::error::Result;
use crate::model::http_settings::HttpSettings;
use crate::model::settings::{ClientSettings, LedgerSetting};

impl Client {
    /// A builder: the settings given to it, then the `ENIGMA_*` variables of the others (read
    /// at [`ClientBuilder::build`]), then the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder { settings: ClientSettings::default(), http: HttpSettings::default() }
    }
}

/// Builds a [`Client`]. A setting given here wins over its `ENIGMA_*` variable, which is then not
/// read at all (a bad value in it cannot fail the build); the settings not given come from the
/// environment, then the defaults. Each method sets one field of [`ClientSettings`], except
/// [`ClientBuilder::proxy`] and [`ClientBuilder::default_headers`] (Rust's own HTTP values).
pub struct ClientBuilder {
    settings: ClientSettings,
    http: HttpSettings,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The names only: the key and the headers' values are never printed.
        let mut given = self.settings.given();
        if !self.http.proxies.is_empty() {
            given.push("proxy");
        }
        if !self.http.default_headers.is_empty() {
            given.push("default_headers");
        }
        f.debug_struct("ClientBuilder").field("given", &given).finish()
    }
}

impl ClientBuilder {
    /// The API key.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.settings.api_key = Some(key.into());
        self
    }
    /// The service's base URL (e.g. a simulator's).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.settings.base_url = Some(url.into());
        self
    }
    /// Whole-request timeout (default 75 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.settings.request_timeout = Some(timeout);
        self
    }
    /// Connect timeout (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = Some(timeout);
        self
    }
    /// Retries for requests that are safe to retry (default 2).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.settings.max_retries = Some(retries);
        self
    }
    /// The first delay between retries (default 0.5 s); each retry doubles it, with jitter,
    /// up to [`ClientBuilder::retry_backoff_max`].
    pub fn retry_backoff(mut self, first: Duration) -> Self {
        self.settings.retry_backoff = Some(first);
        self
    }
    /// Longest backoff delay between retries (default 30 s).
    pub fn retry_backoff_max(mut self, max: Duration) -> Self {
        self.settings.retry_backoff_max = Some(max);
        self
    }
    /// Longest `Retry-After` waited out before a retry (default 60 s); when the service asks
    /// for more, the error is returned at once with `retry_after`.
    pub fn retry_after_max(mut self, max: Duration) -> Self {
        self.settings.retry_after_max = Some(max);
        self
    }
    /// Most bytes read of one HTTP answer (default 16 MiB); past it the answer is a `decode` error.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.settings.max_response_bytes = Some(u64::try_from(max).unwrap_or(u64::MAX));
        self
    }
    /// Default poll interval of waits (default 2 s).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.settings.poll_interval = Some(interval);
        self
    }
    /// Allow the key over plain http to a non-loopback host.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.settings.allow_insecure_http = Some(allow);
        self
    }
    /// Trust extra root certificates (PEM bundle), e.g. a corporate proxy's CA.
    pub fn extra_root_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.settings.extra_root_ca_pem = Some(String::from_utf8_lossy(&pem.into()).into_owned());
        self
    }
    /// Use the live (Socket.IO) connection for waits, commands and events (default true).
    pub fn live_events(mut self, on: bool) -> Self {
        self.settings.live_events = Some(on);
        self
    }
    /// Prepended to the User-Agent (bindings name themselves here).
    pub fn user_agent_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.settings.user_agent_prefix = Some(prefix.into());
        self
    }
    /// Records every session to a JSONL file in `dir` (the flight recorder, off by default;
    /// `ENIGMA_RECORD`): every REST exchange, socket event and socket command, never the key.
    /// `docs/recording.md` has the format; `enigma sim --replay` serves it back.
    pub fn record(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.settings.record = Some(dir.into());
        self
    }
    /// The size bound of one recorded session's file (default
    /// [`DEFAULT_RECORD_MAX_BYTES`](crate::DEFAULT_RECORD_MAX_BYTES)); past it the file ends
    /// with a `truncated` line.
    pub fn record_max_bytes(mut self, max: u64) -> Self {
        self.settings.record_max_bytes = Some(max);
        self
    }
    /// Live events kept per reader of a session's events before a slow one misses the oldest
    /// (default [`DEFAULT_EVENT_BUFFER`](crate::DEFAULT_EVENT_BUFFER); `ENIGMA_EVENT_BUFFER`).
    pub fn event_buffer(mut self, events: usize) -> Self {
        self.settings.event_buffer = Some(events as u64);
        self
    }
    /// First size of a session's WebSocket read buffer (default
    /// [`DEFAULT_SOCKET_READ_BUFFER_BYTES`](crate::DEFAULT_SOCKET_READ_BUFFER_BYTES)).
    pub fn socket_read_buffer_bytes(mut self, bytes: usize) -> Self {
        self.settings.socket_read_buffer_bytes = Some(bytes as u64);
        self
    }
    /// Records a session keeps in memory for its timeline (default
    /// [`DEFAULT_TIMELINE_RECORDS`](crate::DEFAULT_TIMELINE_RECORDS); 0 keeps none).
    pub fn timeline_records(mut self, records: usize) -> Self {
        self.settings.timeline_records = Some(records as u64);
        self
    }
    /// Where the session ledger is written, or [`LedgerSetting::Off`] (default: `ENIGMA_LEDGER`,
    /// else the user's state directory).
    pub fn ledger(mut self, setting: LedgerSetting) -> Self {
        self.settings.ledger = Some(setting);
        self
    }
    // Bring-your-own HTTP settings, applied to the SDK's own client (its rules stay: no
    // redirects, bounded bodies, its timeouts, auth and User-Agent).
    /// Sends the REST requests through `proxy` (may be called again: proxies are tried in
    /// order, before the system's `HTTP_PROXY`...). The live connection goes direct.
    ///
    /// ```
    /// use enigma::header::{HeaderMap, HeaderValue};
    /// use enigma::{Client, Proxy};
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-team", HeaderValue::from_static("checkout"));
    /// let client = Client::builder()
    ///     .api_key("enig_docexampledocexampledocexample")
    ///     .proxy(Proxy::https("http://proxy.internal:3128")?)
    ///     .default_headers(headers)
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn proxy(mut self, proxy: reqwest::Proxy) -> Self {
        self.http.proxies.push(proxy);
        self
    }
    /// Headers sent with every request (added to those set before). The SDK's own
    /// (`Authorization`, `User-Agent`, `Content-Type`...) are refused when the client is built:
    /// a `validation` error naming `default_headers`. Values are never printed.
    pub fn default_headers(mut self, headers: reqwest::header::HeaderMap) -> Self {
        let mut last = None;
        for (name, mut value) in headers {
            // A name comes once, before all its values.
            last = name.or(last);
            if let Some(name) = &last {
                value.set_sensitive(true);
                self.http.default_headers.append(name.clone(), value);
            }
        }
        self
    }

    /// Applies every setting given (a binding's [`ClientSettings`]); the others stay as they are.
    pub fn settings(mut self, given: ClientSettings) -> Self {
        self.settings = given.or(self.settings);
        self
    }
    /// Builds the client: the settings given, else their `ENIGMA_*` variables, else the defaults.
    pub fn build(self) -> Result<Client> {
        Client::from_config(environment::resolve(self.settings, self.http)?)
    }
}
