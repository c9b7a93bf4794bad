//! `ClientBuilder`: a [`Client`] from explicit settings over the environment's.

use std::time::Duration;

use super::client::Client;
use crate::model::api_key::ApiKey;
use crate::model::config::{ClientConfig, parse_base_url};
use crate::model::error::Result;
use crate::model::options::ClientSettings;

impl Client {
    /// A builder starting from the environment's settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::from_env()
    }
}

/// Builds a [`Client`]; unset settings come from the environment, then the defaults.
#[derive(Debug)]
pub struct ClientBuilder {
    config: Result<ClientConfig>,
    base_url: Option<String>,
}

impl ClientBuilder {
    pub(crate) fn from_env() -> ClientBuilder {
        ClientBuilder { config: ClientConfig::from_env(), base_url: None }
    }

    fn with(mut self, change: impl FnOnce(&mut ClientConfig)) -> Self {
        if let Ok(config) = &mut self.config {
            change(config);
        }
        self
    }
    /// The API key.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        let key = ApiKey::new(key);
        self.with(|c| c.api_key = Some(key))
    }
    /// The service's base URL (e.g. a simulator's).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }
    /// Whole-request timeout (default 75 s).
    pub fn request_timeout(self, timeout: Duration) -> Self {
        self.with(|c| c.request_timeout = timeout)
    }
    /// Connect timeout (default 10 s).
    pub fn connect_timeout(self, timeout: Duration) -> Self {
        self.with(|c| c.connect_timeout = timeout)
    }
    /// Retries for requests that are safe to retry (default 2).
    pub fn max_retries(self, retries: u32) -> Self {
        self.with(|c| c.max_retries = retries)
    }
    /// First and longest backoff delay between retries (default 0.5 s and 30 s).
    pub fn retry_backoff(self, first: Duration, max: Duration) -> Self {
        self.with(|c| {
            c.retry_backoff = first;
            c.retry_backoff_max = max;
        })
    }
    /// First backoff delay between retries (default 0.5 s), doubled each retry.
    pub fn retry_backoff_first(self, first: Duration) -> Self {
        self.with(|c| c.retry_backoff = first)
    }
    /// Longest backoff delay between retries (default 30 s).
    pub fn retry_backoff_max(self, max: Duration) -> Self {
        self.with(|c| c.retry_backoff_max = max)
    }
    /// Longest `Retry-After` waited out before a retry (default 60 s); when the service asks
    /// for more, the error is returned at once with `retry_after`.
    pub fn retry_after_max(self, max: Duration) -> Self {
        self.with(|c| c.retry_after_max = max)
    }
    /// Most bytes read of one HTTP answer (default 16 MiB); past it the answer is a `decode` error.
    pub fn max_response_bytes(self, max: usize) -> Self {
        self.with(|c| c.max_response_bytes = max)
    }
    /// Default poll interval of waits (default 2 s).
    pub fn poll_interval(self, interval: Duration) -> Self {
        self.with(|c| c.poll_interval = interval)
    }
    /// Allow the key over plain http to a non-loopback host.
    pub fn allow_insecure_http(self, allow: bool) -> Self {
        self.with(|c| c.allow_insecure_http = allow)
    }
    /// Trust extra root certificates (PEM bundle), e.g. a corporate proxy's CA.
    pub fn extra_root_ca_pem(self, pem: impl Into<Vec<u8>>) -> Self {
        let pem = pem.into();
        self.with(|c| c.extra_root_ca_pem = Some(pem))
    }
    /// Use the live (Socket.IO) connection for waits, commands and events (default true).
    pub fn live_events(self, on: bool) -> Self {
        self.with(|c| c.live_events = on)
    }
    /// Prepended to the User-Agent (bindings name themselves here).
    pub fn user_agent_prefix(self, prefix: impl Into<String>) -> Self {
        let prefix = prefix.into();
        self.with(|c| c.user_agent_prefix = Some(prefix))
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
        self.with(|c| c.http.proxies.push(proxy))
    }
    /// Headers sent with every request (added to those set before). The SDK's own
    /// (`Authorization`, `User-Agent`, `Content-Type`...) are refused when the client is built:
    /// a `validation` error naming `default_headers`. Values are never printed.
    pub fn default_headers(self, headers: reqwest::header::HeaderMap) -> Self {
        self.with(|c| {
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
        self.with(|c| {
            // (`binding::client_settings` refuses a count beyond u32 with the caller's field name.)
            c.max_retries = s.max_retries.map_or(c.max_retries, |n| u32::try_from(n).unwrap_or(u32::MAX));
            c.request_timeout = s.request_timeout.unwrap_or(c.request_timeout);
            c.connect_timeout = s.connect_timeout.unwrap_or(c.connect_timeout);
            c.retry_backoff = s.retry_backoff.unwrap_or(c.retry_backoff);
            c.retry_backoff_max = s.retry_backoff_max.unwrap_or(c.retry_backoff_max);
            c.poll_interval = s.poll_interval.unwrap_or(c.poll_interval);
            c.allow_insecure_http = s.allow_insecure_http.unwrap_or(c.allow_insecure_http);
            c.live_events = s.live_events.unwrap_or(c.live_events);
        })
    }
    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let mut config = self.config?;
        if let Some(url) = self.base_url {
            config.base_url = parse_base_url(&url)?;
        }
        Client::from_config(config)
    }
}
