//! The client's configuration: every setting resolved (given, else its `ENIGMA_*` variable,
//! else the default here), and the checks of settings that would fail every call. Plain data:
//! the variables and the CA bundle's file are read in `environment.rs`.

use std::time::Duration;

use url::Url;

use super::api_key::ApiKey;
use super::error::{Error, Result};
use super::http_settings::HttpSettings;
use super::settings::{ClientSettings, LedgerSetting};

/// The production service.
pub const DEFAULT_BASE_URL: &str = "https://connect.enigma.click";
/// Above the service's 50 s inline wait, so a newTask that blocks the full wait still answers.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(75);
/// Time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Keepalive probes on idle pooled connections.
pub const DEFAULT_TCP_KEEPALIVE: Duration = Duration::from_secs(30);
/// Retries after the first attempt, for requests that are safe to retry.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The docs recommend polling every 2–3 s.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(2);
/// Longest `Retry-After` the SDK waits out by itself. A longer wait is the caller's decision:
/// the error (`rate_limited`, or `server` for a 503) is returned at once with `retry_after`.
pub const DEFAULT_RETRY_AFTER_MAX: Duration = Duration::from_secs(60);
/// Most bytes read of one HTTP answer (16 MiB). The service's answers are a few KB; a longer
/// one is refused as a `decode` error without reading the rest.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// The size bound of one recorded session's file (64 MiB) when `ENIGMA_RECORD_MAX_BYTES` and
/// [`ClientBuilder::record_max_bytes`](crate::ClientBuilder::record_max_bytes) say nothing: past
/// it the file ends with a `truncated` line and the session is recorded no further.
pub const DEFAULT_RECORD_MAX_BYTES: u64 = 64 * 1024 * 1024;
/// Live events kept for each subscriber of a session (its waiters, its event streams) before a
/// slow one misses the oldest (a stream reports them as `lagged`; a waiter then asks REST). The
/// service sends a few events a second; the buffer also holds the last events sent, so its
/// length is most of a long session's memory (docs/benchmarks.md, "one live session").
pub const DEFAULT_EVENT_BUFFER: usize = 128;
/// First size of a live session's WebSocket read buffer (8 KiB; tungstenite's own default,
/// 128 KiB allocated up front, was most of a session's memory). A larger message still arrives
/// whole: the buffer grows for it.
pub const DEFAULT_SOCKET_READ_BUFFER_BYTES: usize = 8 * 1024;
/// Records a session keeps in memory for its timeline (a task of 100 steps sends about 300
/// events; each record is about 1 KB).
pub const DEFAULT_TIMELINE_RECORDS: usize = 1000;

/// Everything a [`Client`](crate::Client) needs, resolved from its [`ClientSettings`]. Build it with
/// [`ClientConfig::from_env`] or [`Client::builder`](crate::Client::builder).
#[derive(Clone, Debug)]
pub struct ClientConfig {
    /// The API key; `None` until a call needs it (then [`Error::MissingApiKey`]).
    pub api_key: Option<ApiKey>,
    /// The service's base URL.
    pub base_url: Url,
    /// Whole-request timeout.
    pub request_timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// TCP keepalive interval.
    pub tcp_keepalive: Duration,
    /// Retries after the first attempt (for requests that are safe to retry).
    pub max_retries: u32,
    /// First backoff delay; doubled each retry, with jitter, capped at `retry_backoff_max`.
    pub retry_backoff: Duration,
    /// Longest backoff delay between retries the SDK chooses itself.
    pub retry_backoff_max: Duration,
    /// Longest `Retry-After` the SDK waits out before a retry (default 60 s). When the service
    /// asks for more, the error is returned at once, with `retry_after`, for the caller to decide.
    pub retry_after_max: Duration,
    /// Most bytes read of one HTTP answer (default [`DEFAULT_MAX_RESPONSE_BYTES`]); past it the
    /// answer is a `decode` error and the rest is not read.
    pub max_response_bytes: usize,
    /// Default poll interval of waits.
    pub poll_interval: Duration,
    /// Allow sending the key over plain http to a non-loopback host.
    pub allow_insecure_http: bool,
    /// Extra root certificates (PEM), e.g. a corporate proxy's CA.
    pub extra_root_ca_pem: Option<Vec<u8>>,
    /// Prepended to the User-Agent, e.g. `enigma-python/0.1.0`.
    pub user_agent_prefix: Option<String>,
    /// Use the Socket.IO connection for waits, commands and events (default true). Off: REST
    /// only (`ENIGMA_LIVE_EVENTS=0`).
    pub live_events: bool,
    /// Where the session ledger is written (`ENIGMA_LEDGER`; see [`LedgerSetting`]).
    pub ledger: LedgerSetting,
    /// Proxies and extra default headers for the REST requests.
    pub http: HttpSettings,
    /// The flight recorder's folder (`ENIGMA_RECORD`): one JSONL file per session
    /// (`docs/recording.md`). `None` (the default): nothing is recorded.
    pub record: Option<std::path::PathBuf>,
    /// The size bound of one recorded session's file (`ENIGMA_RECORD_MAX_BYTES`, default
    /// [`DEFAULT_RECORD_MAX_BYTES`]).
    pub record_max_bytes: u64,
    /// Live events kept per reader of a session's events (default [`DEFAULT_EVENT_BUFFER`]).
    pub event_buffer: usize,
    /// First size of a session's WebSocket read buffer (default
    /// [`DEFAULT_SOCKET_READ_BUFFER_BYTES`]).
    pub socket_read_buffer_bytes: usize,
    /// Records a session keeps for its timeline (default [`DEFAULT_TIMELINE_RECORDS`]; 0: none).
    pub timeline_records: usize,
}

impl ClientConfig {
    /// The settings in use as a binding passes them in, without the key: what a binding shows
    /// (Node's `client.config`) and what a pickled Python handle carries to another process.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings {
            api_key: None,
            base_url: Some(self.base_url.as_str().trim_end_matches('/').to_owned()),
            request_timeout: Some(self.request_timeout),
            connect_timeout: Some(self.connect_timeout),
            max_retries: Some(self.max_retries),
            retry_backoff: Some(self.retry_backoff),
            retry_backoff_max: Some(self.retry_backoff_max),
            retry_after_max: Some(self.retry_after_max),
            max_response_bytes: Some(u64::try_from(self.max_response_bytes).unwrap_or(u64::MAX)),
            poll_interval: Some(self.poll_interval),
            allow_insecure_http: Some(self.allow_insecure_http),
            extra_root_ca_pem: self.extra_root_ca_pem.as_ref().map(|pem| String::from_utf8_lossy(pem).into_owned()),
            live_events: Some(self.live_events),
            user_agent_prefix: self.user_agent_prefix.clone(),
            ledger: Some(self.ledger.clone()),
            record: self.record.clone(),
            record_max_bytes: Some(self.record_max_bytes),
            event_buffer: Some(self.event_buffer as u64),
            socket_read_buffer_bytes: Some(self.socket_read_buffer_bytes as u64),
            timeline_records: Some(self.timeline_records as u64),
        }
    }

    /// The settings that have an `ENIGMA_*` variable ([`ClientSettings::ENV_VARS`]).
    pub const ENV_VARS: &'static [(&'static str, &'static str)] = ClientSettings::ENV_VARS;

    /// The configuration of these settings (the caller's over the environment's, already
    /// merged: `environment.rs`), with the defaults for the rest, and the REST requests'
    /// proxies and headers.
    pub(crate) fn from_settings(settings: ClientSettings, http: HttpSettings) -> Result<ClientConfig> {
        let default = ClientConfig::default();
        let ClientSettings {
            api_key,
            base_url,
            request_timeout,
            connect_timeout,
            max_retries,
            retry_backoff,
            retry_backoff_max,
            retry_after_max,
            max_response_bytes,
            poll_interval,
            allow_insecure_http,
            extra_root_ca_pem,
            live_events,
            user_agent_prefix,
            ledger,
            record,
            record_max_bytes,
            event_buffer,
            socket_read_buffer_bytes,
            timeline_records,
        } = settings;
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Ok(ClientConfig {
            api_key: api_key.map(ApiKey::new),
            base_url: base_url.as_deref().map(parse_base_url).transpose()?.unwrap_or(default.base_url),
            request_timeout: request_timeout.unwrap_or(default.request_timeout),
            connect_timeout: connect_timeout.unwrap_or(default.connect_timeout),
            tcp_keepalive: default.tcp_keepalive,
            max_retries: max_retries.unwrap_or(default.max_retries),
            retry_backoff: retry_backoff.unwrap_or(default.retry_backoff),
            retry_backoff_max: retry_backoff_max.unwrap_or(default.retry_backoff_max),
            retry_after_max: retry_after_max.unwrap_or(default.retry_after_max),
            max_response_bytes: max_response_bytes
                .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
                .unwrap_or(default.max_response_bytes),
            poll_interval: poll_interval.unwrap_or(default.poll_interval),
            allow_insecure_http: allow_insecure_http.unwrap_or(default.allow_insecure_http),
            extra_root_ca_pem: extra_root_ca_pem.map(String::into_bytes),
            user_agent_prefix,
            live_events: live_events.unwrap_or(default.live_events),
            ledger: ledger.unwrap_or_default(),
            http,
            record,
            record_max_bytes: record_max_bytes.unwrap_or(default.record_max_bytes),
            event_buffer: event_buffer.map(size).unwrap_or(default.event_buffer),
            socket_read_buffer_bytes: socket_read_buffer_bytes.map(size).unwrap_or(default.socket_read_buffer_bytes),
            timeline_records: timeline_records.map(size).unwrap_or(default.timeline_records),
        })
    }

    /// The User-Agent header: `[prefix ]enigma-rust/<version>`.
    pub fn user_agent(&self) -> String {
        let core = concat!("enigma-rust/", env!("CARGO_PKG_VERSION"));
        match &self.user_agent_prefix {
            Some(prefix) => format!("{prefix} {core}"),
            None => core.to_owned(),
        }
    }

    /// Checks settings that would fail every call.
    pub(crate) fn check(&self) -> Result<()> {
        self.http.check()?;
        if self.request_timeout.is_zero() {
            return Err(Error::validation("request_timeout", "must be greater than zero"));
        }
        if self.poll_interval.is_zero() {
            return Err(Error::validation("poll_interval", "must be greater than zero"));
        }
        if self.record_max_bytes == 0 {
            return Err(Error::validation("record_max_bytes", "must be greater than zero"));
        }
        // tokio's broadcast channel takes 1 to half of usize::MAX; a million is already 200 MB.
        if !(1..=1_000_000).contains(&self.event_buffer) {
            return Err(Error::validation("event_buffer", "must be between 1 and 1000000"));
        }
        if !(256..=16 * 1024 * 1024).contains(&self.socket_read_buffer_bytes) {
            return Err(Error::validation("socket_read_buffer_bytes", "must be between 256 and 16777216 bytes"));
        }
        if self.max_response_bytes == 0 {
            return Err(Error::validation("max_response_bytes", "must be greater than zero"));
        }
        if let Some(key) = &self.api_key {
            key.check()?;
        }
        Ok(())
    }

    /// Whether the key may go to the base URL: https, a loopback host, or explicitly allowed.
    pub(crate) fn check_transport_security(&self) -> Result<()> {
        if self.base_url.scheme() == "https" || self.allow_insecure_http || is_loopback(&self.base_url) {
            return Ok(());
        }
        Err(Error::InsecureTransport { url: self.base_url.to_string() })
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            api_key: None,
            base_url: Url::parse(DEFAULT_BASE_URL).expect("the default base URL parses"),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            tcp_keepalive: DEFAULT_TCP_KEEPALIVE,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_backoff: Duration::from_millis(500),
            retry_backoff_max: Duration::from_secs(30),
            retry_after_max: DEFAULT_RETRY_AFTER_MAX,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            poll_interval: DEFAULT_POLL_INTERVAL,
            allow_insecure_http: false,
            extra_root_ca_pem: None,
            user_agent_prefix: None,
            live_events: true,
            ledger: LedgerSetting::Default,
            http: HttpSettings::default(),
            record: None,
            record_max_bytes: DEFAULT_RECORD_MAX_BYTES,
            event_buffer: DEFAULT_EVENT_BUFFER,
            socket_read_buffer_bytes: DEFAULT_SOCKET_READ_BUFFER_BYTES,
            timeline_records: DEFAULT_TIMELINE_RECORDS,
        }
    }
}

/// Parses a base URL: http(s) only, no query, trailing slash ignored.
pub fn parse_base_url(url: &str) -> Result<Url> {
    let parsed =
        Url::parse(url.trim()).map_err(|e| Error::validation("base_url", format!("{url:?} is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(Error::validation("base_url", format!("must be an http(s) URL, got {url:?}")));
    }
    Ok(parsed)
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_on_loopback_or_when_allowed() {
        let mut config =
            ClientConfig { base_url: parse_base_url("http://example.com").unwrap(), ..ClientConfig::default() };
        let err = config.check_transport_security().unwrap_err();
        assert_eq!(err.code(), "insecure_transport");
        assert!(err.to_string().contains("allow_insecure_http"));
        config.allow_insecure_http = true;
        assert!(config.check_transport_security().is_ok());
        for ok in ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:3", "https://example.com"] {
            let config = ClientConfig { base_url: parse_base_url(ok).unwrap(), ..ClientConfig::default() };
            assert!(config.check_transport_security().is_ok(), "{ok}");
        }
    }

    #[test]
    fn a_zero_response_cap_and_a_key_with_a_newline_are_refused() {
        let config = ClientConfig { max_response_bytes: 0, ..ClientConfig::default() };
        assert_eq!(config.check().unwrap_err().code(), "validation");
        let config = ClientConfig { api_key: Some(ApiKey::new("enig_a\nb")), ..ClientConfig::default() };
        assert!(config.check().unwrap_err().to_string().contains("api_key"));
        assert!(ClientConfig::default().check().is_ok());
    }

    #[test]
    fn bad_base_urls_are_validation_errors() {
        assert_eq!(parse_base_url("ftp://x").unwrap_err().code(), "validation");
        assert_eq!(parse_base_url("not a url").unwrap_err().code(), "validation");
    }

    #[test]
    fn user_agent_names_the_sdk_and_version() {
        let config = ClientConfig { user_agent_prefix: Some("enigma-python/9".into()), ..ClientConfig::default() };
        assert!(config.user_agent().starts_with("enigma-python/9 enigma-rust/"));
    }
}
