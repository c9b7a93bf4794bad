//! Client configuration: explicit settings over `ENIGMA_*` environment variables over defaults.

use std::time::Duration;

use url::Url;

use super::api_key::ApiKey;
use super::error::{Error, Result};
use super::http_settings::HttpSettings;
use super::options::ClientSettings;

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

/// Everything a [`Client`](crate::Client) needs. Build it with [`ClientConfig::from_env`] or
/// [`Client::builder`](crate::Client::builder).
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
}

/// The environment variable that moves the session ledger (a file path) or turns it off
/// (`off`, `0`, `false`, `no`).
pub const LEDGER_ENV: &str = "ENIGMA_LEDGER";

/// Where a client writes the session ledger, the local record of the sessions it opened and
/// saw end ([`Client::unended_sessions`](crate::Client::unended_sessions)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LedgerSetting {
    /// `<state dir>/enigma/sessions.jsonl` ([`default_ledger_path`](crate::default_ledger_path)),
    /// for every host, a simulator on this machine too.
    #[default]
    Default,
    /// No ledger (`ENIGMA_LEDGER=off`, or `0`, `false`, `no`).
    Off,
    /// This file (`ENIGMA_LEDGER=/path/to/sessions.jsonl`).
    At(std::path::PathBuf),
}

impl LedgerSetting {
    /// The setting an `ENIGMA_LEDGER` value gives: empty is the default, `off`/`0`/`false`/`no`
    /// turn it off, anything else is a file path.
    pub fn from_env_value(value: &str) -> LedgerSetting {
        let value = value.trim();
        match value.to_ascii_lowercase().as_str() {
            "" => LedgerSetting::Default,
            "off" | "0" | "false" | "no" => LedgerSetting::Off,
            _ => LedgerSetting::At(std::path::PathBuf::from(value)),
        }
    }
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
            max_retries: Some(u64::from(self.max_retries)),
            retry_backoff: Some(self.retry_backoff),
            retry_backoff_max: Some(self.retry_backoff_max),
            poll_interval: Some(self.poll_interval),
            allow_insecure_http: Some(self.allow_insecure_http),
            extra_root_ca_pem: self.extra_root_ca_pem.as_ref().map(|pem| String::from_utf8_lossy(pem).into_owned()),
            live_events: Some(self.live_events),
            user_agent_prefix: self.user_agent_prefix.clone(),
            record: self.record.as_ref().map(|dir| dir.to_string_lossy().into_owned()),
        }
    }

    /// The settings that have an `ENIGMA_*` variable, as `(variable, setting)`: the setting is
    /// the [`ClientBuilder`](crate::ClientBuilder) method (and [`ClientConfig`] field) that, when
    /// given in code, makes the SDK never read the variable.
    pub const ENV_VARS: &'static [(&'static str, &'static str)] = &[
        ("ENIGMA_API_KEY", "api_key"),
        ("ENIGMA_BASE_URL", "base_url"),
        ("ENIGMA_REQUEST_TIMEOUT", "request_timeout"),
        ("ENIGMA_POLL_INTERVAL", "poll_interval"),
        ("ENIGMA_MAX_RETRIES", "max_retries"),
        ("ENIGMA_RETRY_AFTER_MAX", "retry_after_max"),
        ("ENIGMA_MAX_RESPONSE_BYTES", "max_response_bytes"),
        ("ENIGMA_LIVE_EVENTS", "live_events"),
        ("ENIGMA_LEDGER", "ledger"),
        ("ENIGMA_CA_BUNDLE", "extra_root_ca_pem"),
        ("ENIGMA_RECORD", "record"),
        ("ENIGMA_RECORD_MAX_BYTES", "record_max_bytes"),
    ];

    /// Defaults, with `ENIGMA_API_KEY`, `ENIGMA_BASE_URL`, `ENIGMA_REQUEST_TIMEOUT` (seconds),
    /// `ENIGMA_MAX_RETRIES`, `ENIGMA_POLL_INTERVAL` (seconds), `ENIGMA_RETRY_AFTER_MAX`
    /// (seconds), `ENIGMA_MAX_RESPONSE_BYTES`, `ENIGMA_LIVE_EVENTS` (0 turns the socket off),
    /// `ENIGMA_LEDGER` (the session ledger's file, or `off`), `ENIGMA_CA_BUNDLE` (a PEM file),
    /// `ENIGMA_RECORD` (the flight recorder's folder) and `ENIGMA_RECORD_MAX_BYTES` applied when set (the list: [`ClientConfig::ENV_VARS`]).
    pub fn from_env() -> Result<ClientConfig> {
        ClientConfig::from_env_except(|_| false)
    }

    /// [`ClientConfig::from_env`], but the variable of a setting for which `given(setting)` is
    /// true is not read at all: a setting given in code wins, even over a variable that would
    /// not parse.
    pub(crate) fn from_env_except(given: impl Fn(&str) -> bool) -> Result<ClientConfig> {
        let mut config = ClientConfig::default();
        for &(name, setting) in ClientConfig::ENV_VARS {
            if given(setting) {
                continue;
            }
            if let Some(value) = env(name) {
                config.apply_env(name, &value)?;
            }
        }
        Ok(config)
    }

    /// Applies one `ENIGMA_*` variable's value (`name` is one of [`ClientConfig::ENV_VARS`]).
    fn apply_env(&mut self, name: &str, value: &str) -> Result<()> {
        match name {
            "ENIGMA_API_KEY" => self.api_key = Some(ApiKey::new(value)),
            "ENIGMA_BASE_URL" => self.base_url = parse_base_url(value)?,
            "ENIGMA_REQUEST_TIMEOUT" => self.request_timeout = parse_secs(name, value)?,
            "ENIGMA_POLL_INTERVAL" => self.poll_interval = parse_secs(name, value)?,
            "ENIGMA_MAX_RETRIES" => {
                self.max_retries = value
                    .trim()
                    .parse()
                    .map_err(|_| Error::validation(name, format!("must be a whole number, got {value:?}")))?
            }
            "ENIGMA_RETRY_AFTER_MAX" => self.retry_after_max = parse_secs(name, value)?,
            "ENIGMA_MAX_RESPONSE_BYTES" => self.max_response_bytes = parse_bytes(name, value)?,
            "ENIGMA_LIVE_EVENTS" => {
                self.live_events = !matches!(value.trim().to_ascii_lowercase().as_str(), "0" | "false" | "no" | "off")
            }
            LEDGER_ENV => self.ledger = LedgerSetting::from_env_value(value),
            "ENIGMA_CA_BUNDLE" => {
                let pem =
                    std::fs::read(value).map_err(|e| Error::validation(name, format!("cannot read {value:?}: {e}")))?;
                self.extra_root_ca_pem = Some(pem);
            }
            "ENIGMA_RECORD" => self.record = Some(std::path::PathBuf::from(value.trim())),
            "ENIGMA_RECORD_MAX_BYTES" => self.record_max_bytes = parse_bytes(name, value)? as u64,
            other => unreachable!("{other} is listed in ClientConfig::ENV_VARS without a reader"),
        }
        Ok(())
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

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_bytes(name: &str, value: &str) -> Result<usize> {
    value
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::validation(name, format!("must be a positive whole number of bytes, got {value:?}")))
}

fn parse_secs(name: &str, value: &str) -> Result<Duration> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| Error::validation(name, format!("must be a positive number of seconds, got {value:?}")))
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
    fn byte_counts_and_seconds_from_the_environment_are_checked() {
        assert_eq!(parse_bytes("N", " 1048576 ").unwrap(), 1 << 20);
        for bad in ["0", "-1", "16MiB", ""] {
            assert_eq!(parse_bytes("N", bad).unwrap_err().code(), "validation", "{bad:?}");
        }
        assert_eq!(parse_secs("S", "90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_secs("S", "0").unwrap_err().code(), "validation");
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
    fn every_listed_variable_has_a_reader() {
        for &(name, _) in ClientConfig::ENV_VARS {
            // A value of any shape: an error is fine, a panic (no reader) is not.
            let _ = ClientConfig::default().apply_env(name, "1");
        }
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
