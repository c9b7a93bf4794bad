//! `ClientBuilder`: a [`Client`] from explicit settings over the environment's.

use std::time::Duration;

use super::client::Client;
use crate::model::api_key::ApiKey;
use crate::model::config::{ClientConfig, LedgerSetting, parse_base_url};
use crate::model::error::Result;
use crate::model::options::ClientSettings;

impl Client {
    /// A builder: the settings given to it, then the `ENIGMA_*` variables of the others (read
    /// at [`ClientBuilder::build`]), then the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder { given: Vec::new() }
    }
}

/// A setting given in code: its name (as in [`ClientConfig::ENV_VARS`]) and how it changes the
/// configuration.
type Given = (&'static str, Box<dyn FnOnce(&mut ClientConfig) -> Result<()> + Send + Sync>);

/// Builds a [`Client`]. A setting given here wins over its `ENIGMA_*` variable, which is then not
/// read at all (a bad value in it cannot fail the build); the settings not given come from the
/// environment, then the defaults.
pub struct ClientBuilder {
    given: Vec<Given>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("given", &self.given.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .finish()
    }
}

impl ClientBuilder {
    /// Records `setting` as given in code, applied over the environment's value at `build`.
    fn with(self, setting: &'static str, change: impl FnOnce(&mut ClientConfig) + Send + Sync + 'static) -> Self {
        self.try_with(setting, move |c| {
            change(c);
            Ok(())
        })
    }

    fn try_with(
        mut self,
        setting: &'static str,
        change: impl FnOnce(&mut ClientConfig) -> Result<()> + Send + Sync + 'static,
    ) -> Self {
        self.given.push((setting, Box::new(change)));
        self
    }
    /// The API key.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        let key = ApiKey::new(key);
        self.with("api_key", |c| c.api_key = Some(key))
    }
    /// The service's base URL (e.g. a simulator's).
    pub fn base_url(self, url: impl Into<String>) -> Self {
        let url = url.into();
        self.try_with("base_url", move |c| {
            c.base_url = parse_base_url(&url)?;
            Ok(())
        })
    }
    /// Whole-request timeout (default 75 s).
    pub fn request_timeout(self, timeout: Duration) -> Self {
        self.with("request_timeout", move |c| c.request_timeout = timeout)
    }
    /// Connect timeout (default 10 s).
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.with("connect_timeout", move |c| c.connect_timeout = timeout)
    }
    /// Retries for requests that are safe to retry (default 2).
    pub fn max_retries(self, retries: u32) -> Self {
        self.with("max_retries", move |c| c.max_retries = retries)
    }
    /// First and longest backoff delay between retries (default 0.5 s and 30 s).
    pub fn retry_backoff(self, first: Duration, max: Duration) -> Self {
        self.retry_backoff_first(first).retry_backoff_max(max)
    }
    /// First backoff delay between retries (default 0.5 s), doubled each retry.
    pub fn retry_backoff_first(self, first: Duration) -> Self {
        self.with("retry_backoff", move |c| c.retry_backoff = first)
    }
    /// Longest backoff delay between retries (default 30 s).
    pub fn retry_backoff_max(self, max: Duration) -> Self {
        self.with("retry_backoff_max", move |c| c.retry_backoff_max = max)
    }
    /// Longest `Retry-After` waited out before a retry (default 60 s); when the service asks
    /// for more, the error is returned at once with `retry_after`.
    pub fn retry_after_max(self, max: Duration) -> Self {
        self.with("retry_after_max", move |c| c.retry_after_max = max)
    }
    /// Most bytes read of one HTTP answer (default 16 MiB); past it the answer is a `decode` error.
    pub fn max_response_bytes(self, max: usize) -> Self {
        self.with("max_response_bytes", move |c| c.max_response_bytes = max)
    }
    /// Default poll interval of waits (default 2 s).
    pub fn poll_interval(self, interval: Duration) -> Self {
        self.with("poll_interval", move |c| c.poll_interval = interval)
    }
    /// Allow the key over plain http to a non-loopback host.
    pub fn allow_insecure_http(self, allow: bool) -> Self {
        self.with("allow_insecure_http", move |c| c.allow_insecure_http = allow)
    }
    /// Trust extra root certificates (PEM bundle), e.g. a corporate proxy's CA.
    pub fn extra_root_ca_pem(self, pem: impl Into<Vec<u8>>) -> Self {
        let pem = pem.into();
        self.with("extra_root_ca_pem", |c| c.extra_root_ca_pem = Some(pem))
    }
    /// Use the live (Socket.IO) connection for waits, commands and events (default true).
    pub fn live_events(self, on: bool) -> Self {
        self.with("live_events", move |c| c.live_events = on)
    }
    /// Prepended to the User-Agent (bindings name themselves here).
    pub fn user_agent_prefix(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.with("user_agent_prefix", |c| c.user_agent_prefix = Some(prefix))
    }
    /// Records every session to a JSONL file in `dir` (the flight recorder, off by default;
    /// `ENIGMA_RECORD`): every REST exchange, socket event and socket command, never the key.
    /// `docs/recording.md` has the format; `enigma sim --replay` serves it back.
    pub fn record(self, dir: impl Into<std::path::PathBuf>) -> Self {
        let dir = dir.into();
        self.with("record", |c| c.record = Some(dir))
    }
    /// The size bound of one recorded session's file (default
    /// [`DEFAULT_RECORD_MAX_BYTES`](crate::DEFAULT_RECORD_MAX_BYTES)); past it the file ends
    /// with a `truncated` line.
    pub fn record_max_bytes(self, max: u64) -> Self {
        self.with("record_max_bytes", move |c| c.record_max_bytes = max)
    }
    /// Where the session ledger is written, or [`LedgerSetting::Off`] (default: `ENIGMA_LEDGER`,
    /// else the user's state directory).
    pub fn ledger(self, setting: LedgerSetting) -> Self {
        self.with("ledger", |c| c.ledger = setting)
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
    pub fn proxy(self, proxy: reqwest::Proxy) -> Self {
        self.with("proxy", |c| c.http.proxies.push(proxy))
    }
    /// Headers sent with every request (added to those set before). The SDK's own
    /// (`Authorization`, `User-Agent`, `Content-Type`...) are refused when the client is built:
    /// a `validation` error naming `default_headers`. Values are never printed.
    pub fn default_headers(self, headers: reqwest::header::HeaderMap) -> Self {
        self.with("default_headers", |c| {
            let mut last = None;
            for (name, mut value) in headers {
                // A name comes once, before all its values.
                last = name.or(last);
                if let Some(name) = &last {
                    value.set_sensitive(true);
                    c.http.default_headers.append(name.clone(), value);
                }
            }
        })
    }

    /// Applies every setting given (a binding's [`ClientSettings`]); the others stay as they are.
    pub fn settings(mut self, s: ClientSettings) -> Self {
        if let Some(key) = s.api_key {
            self = self.api_key(key);
        }
        if let Some(url) = s.base_url {
            self = self.base_url(url);
        }
        if let Some(pem) = s.extra_root_ca_pem {
            self = self.extra_root_ca_pem(pem.into_bytes());
        }
        if let Some(prefix) = s.user_agent_prefix {
            self = self.user_agent_prefix(prefix);
        }
        // (`binding::client_settings` refuses a count beyond u32 with the caller's field name.)
        if let Some(n) = s.max_retries {
            self = self.max_retries(u32::try_from(n).unwrap_or(u32::MAX));
        }
        if let Some(timeout) = s.request_timeout {
            self = self.request_timeout(timeout);
        }
        if let Some(timeout) = s.connect_timeout {
            self = self.connect_timeout(timeout);
        }
        if let Some(first) = s.retry_backoff {
            self = self.retry_backoff_first(first);
        }
        if let Some(max) = s.retry_backoff_max {
            self = self.retry_backoff_max(max);
        }
        if let Some(interval) = s.poll_interval {
            self = self.poll_interval(interval);
        }
        if let Some(allow) = s.allow_insecure_http {
            self = self.allow_insecure_http(allow);
        }
        if let Some(on) = s.live_events {
            self = self.live_events(on);
        }
        if let Some(dir) = s.record {
            self = self.record(dir);
        }
        self
    }
    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let mut config = ClientConfig::from_env_except(|setting| self.given.iter().any(|(name, _)| *name == setting))?;
        for (_, change) in self.given {
            change(&mut config)?;
        }
        Client::from_config(config)
    }
}
