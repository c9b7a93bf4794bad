//! The client's settings: one list ([`ClientSettings`]), the same in Rust (the
//! [`ClientBuilder`](crate::ClientBuilder) sets its fields), Python (`AsyncClient(...)`,
//! `Client(...)`) and Node (`new Client({...})`), which each test their spelling against it
//! (`OptionsKind::Client`). Each setting given wins over its `ENIGMA_*` variable, which wins
//! over the default: the one resolution is `environment.rs` (the variables, read there) and
//! [`ClientConfig::from_settings`](crate::ClientConfig) (the defaults). Plain data: no I/O.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};
use super::options::{as_seconds, count, seconds};

/// Defines [`ClientSettings`] and the code that goes over every field, so that a new setting
/// is written once: the struct, [`ClientSettings::or`] and [`ClientSettings::given`].
macro_rules! client_settings {
    ($(#[$meta:meta])* pub struct ClientSettings { $($(#[$field_meta:meta])* pub $field:ident: Option<$ty:ty>,)* }) => {
        $(#[$meta])*
        pub struct ClientSettings {
            $($(#[$field_meta])* pub $field: Option<$ty>,)*
        }

        impl ClientSettings {
            /// Each setting given here, else `lower`'s: a caller's over the environment's.
            pub fn or(self, lower: ClientSettings) -> ClientSettings {
                ClientSettings { $($field: self.$field.or(lower.$field),)* }
            }

            /// The names of the settings given (canonical, as in [`ClientSettings::ENV_VARS`]).
            pub fn given(&self) -> Vec<&'static str> {
                let mut given = Vec::new();
                $(if self.$field.is_some() { given.push(stringify!($field)); })*
                given
            }
        }
    };
}

client_settings! {
    /// The client's settings, each optional: given ones win over their `ENIGMA_*` variable
    /// ([`ClientSettings::ENV_VARS`]), and the rest take the core's defaults (the `DEFAULT_*`
    /// constants). A binding passes them as one object in its spelling (durations in seconds,
    /// Node's `...Ms` in milliseconds, see `model/parse.rs`); the Rust builder sets them one by
    /// one. The Rust builder's proxies and default headers (`reqwest` values) are its own.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct ClientSettings {
        /// The API key (`ENIGMA_API_KEY`). Never printed.
        #[serde(default)]
        pub api_key: Option<String>,
        /// The service's base URL (`ENIGMA_BASE_URL`; default [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL)).
        #[serde(default)]
        pub base_url: Option<String>,
        /// Whole-request timeout (`ENIGMA_REQUEST_TIMEOUT` seconds; default 75 s, above the
        /// service's 50 s inline wait).
        #[serde(default, deserialize_with = "seconds", serialize_with = "as_seconds")]
        pub request_timeout: Option<Duration>,
        /// Connect timeout (default 10 s).
        #[serde(default, deserialize_with = "seconds", serialize_with = "as_seconds")]
        pub connect_timeout: Option<Duration>,
        /// Retries after the first attempt, for requests that are safe to retry
        /// (`ENIGMA_MAX_RETRIES`; default 2). A create is never resent blindly.
        #[serde(default, deserialize_with = "count_u32")]
        pub max_retries: Option<u32>,
        /// The first delay between retries (default 0.5 s); each retry doubles it, with jitter,
        /// up to `retry_backoff_max`.
        #[serde(default, deserialize_with = "seconds", serialize_with = "as_seconds")]
        pub retry_backoff: Option<Duration>,
        /// The longest delay between retries the SDK chooses itself (default 30 s).
        #[serde(default, deserialize_with = "seconds", serialize_with = "as_seconds")]
        pub retry_backoff_max: Option<Duration>,
        /// The longest `Retry-After` the SDK waits out before a retry (`ENIGMA_RETRY_AFTER_MAX`
        /// seconds; default 60 s). When the service asks for more, the error is returned at
        /// once with `retry_after`, for the caller to decide.
        #[serde(default, deserialize_with = "seconds", serialize_with = "as_seconds")]
        pub retry_after_max: Option<Duration>,
        /// Most bytes read of one HTTP answer (`ENIGMA_MAX_RESPONSE_BYTES`; default 16 MiB);
        /// past it the answer is a `decode` error and the rest is not read.
        #[serde(default, deserialize_with = "count")]
        pub max_response_bytes: Option<u64>,
        /// Default poll interval of waits (`ENIGMA_POLL_INTERVAL` seconds; default 2 s).
        #[serde(default, deserialize_with = "seconds", serialize_with = "as_seconds")]
        pub poll_interval: Option<Duration>,
        /// Allow sending the key over plain http to a non-loopback host (default false).
        #[serde(default)]
        pub allow_insecure_http: Option<bool>,
        /// Extra trusted root certificates (PEM), e.g. a corporate proxy's CA
        /// (`ENIGMA_CA_BUNDLE` names a PEM file).
        #[serde(default)]
        pub extra_root_ca_pem: Option<String>,
        /// Use the live (Socket.IO) connection for waits, commands and events
        /// (`ENIGMA_LIVE_EVENTS`, `0` turns it off; default true).
        #[serde(default)]
        pub live_events: Option<bool>,
        /// Prepended to the User-Agent (the bindings name themselves here by default).
        #[serde(default)]
        pub user_agent_prefix: Option<String>,
        /// Where the session ledger is written (`ENIGMA_LEDGER`; see [`LedgerSetting`]). A
        /// binding gives a file path, or `"off"`.
        #[serde(default, deserialize_with = "ledger", serialize_with = "as_ledger")]
        pub ledger: Option<LedgerSetting>,
        /// The flight recorder's folder (`ENIGMA_RECORD`): one JSONL file per session, never
        /// the key (`docs/recording.md`). Unset (the default): nothing is recorded.
        #[serde(default)]
        pub record: Option<PathBuf>,
        /// The size bound of one recorded session's file (`ENIGMA_RECORD_MAX_BYTES`; default
        /// 64 MiB); past it the file ends with a `truncated` line.
        #[serde(default, deserialize_with = "count")]
        pub record_max_bytes: Option<u64>,
        /// Live events kept for each reader of a session's events (its waits, its event streams)
        /// before a slow one misses the oldest (`ENIGMA_EVENT_BUFFER`; default 128): a stream
        /// then reports how many as `lagged`, a wait asks REST. Its slots also hold the last
        /// events sent, so a process with thousands of sessions keeps it small.
        #[serde(default, deserialize_with = "count")]
        pub event_buffer: Option<u64>,
        /// The first size of a session's WebSocket read buffer, bytes
        /// (`ENIGMA_SOCKET_READ_BUFFER_BYTES`; default 8 KiB). A larger message still arrives
        /// whole: the buffer grows for it.
        #[serde(default, deserialize_with = "count")]
        pub socket_read_buffer_bytes: Option<u64>,
        /// Records a session keeps in memory for its timeline (`session.timeline()`): events,
        /// commands, creates (`ENIGMA_TIMELINE_RECORDS`; default 1000; 0 keeps none). The oldest
        /// go first.
        #[serde(default, deserialize_with = "count")]
        pub timeline_records: Option<u64>,
    }
}

impl ClientSettings {
    /// The settings that have an `ENIGMA_*` variable, as `(variable, setting)`: given in code,
    /// the setting makes the SDK never read its variable.
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
        ("ENIGMA_EVENT_BUFFER", "event_buffer"),
        ("ENIGMA_SOCKET_READ_BUFFER_BYTES", "socket_read_buffer_bytes"),
        ("ENIGMA_TIMELINE_RECORDS", "timeline_records"),
    ];

    /// The names of every setting, canonical, in declaration order: the list each binding's
    /// client constructor is tested against.
    pub fn names() -> &'static [&'static str] {
        serde_aux::serde_introspection::serde_introspect::<ClientSettings>()
    }

    /// Reads one `ENIGMA_*` variable's value (`name` one of [`ClientSettings::ENV_VARS`]) into
    /// its setting; an error names the variable. `ENIGMA_CA_BUNDLE`'s value is the PEM text,
    /// read from the file it names by the caller (the model does no I/O).
    pub(crate) fn set_from_env(&mut self, name: &str, value: &str) -> Result<()> {
        match name {
            "ENIGMA_API_KEY" => self.api_key = Some(value.to_owned()),
            "ENIGMA_BASE_URL" => self.base_url = Some(value.to_owned()),
            "ENIGMA_REQUEST_TIMEOUT" => self.request_timeout = Some(parse_secs(name, value)?),
            "ENIGMA_POLL_INTERVAL" => self.poll_interval = Some(parse_secs(name, value)?),
            "ENIGMA_MAX_RETRIES" => {
                let retries = value.trim().parse();
                self.max_retries = Some(
                    retries.map_err(|_| Error::validation(name, format!("must be a whole number, got {value:?}")))?,
                )
            }
            "ENIGMA_RETRY_AFTER_MAX" => self.retry_after_max = Some(parse_secs(name, value)?),
            "ENIGMA_MAX_RESPONSE_BYTES" => self.max_response_bytes = Some(parse_bytes(name, value)?),
            "ENIGMA_LIVE_EVENTS" => {
                self.live_events =
                    Some(!matches!(value.trim().to_ascii_lowercase().as_str(), "0" | "false" | "no" | "off"))
            }
            "ENIGMA_LEDGER" => self.ledger = Some(LedgerSetting::from_env_value(value)),
            "ENIGMA_RECORD" => self.record = Some(PathBuf::from(value.trim())),
            "ENIGMA_RECORD_MAX_BYTES" => self.record_max_bytes = Some(parse_bytes(name, value)?),
            "ENIGMA_EVENT_BUFFER" => self.event_buffer = Some(parse_bytes(name, value)?),
            "ENIGMA_SOCKET_READ_BUFFER_BYTES" => self.socket_read_buffer_bytes = Some(parse_bytes(name, value)?),
            "ENIGMA_TIMELINE_RECORDS" => {
                let records = value.trim().parse();
                self.timeline_records = Some(
                    records.map_err(|_| Error::validation(name, format!("must be a whole number, got {value:?}")))?,
                )
            }
            "ENIGMA_CA_BUNDLE" => self.extra_root_ca_pem = Some(value.to_owned()),
            other => unreachable!("{other} is listed in ClientSettings::ENV_VARS without a reader"),
        }
        Ok(())
    }
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
    At(PathBuf),
}

impl LedgerSetting {
    /// The setting an `ENIGMA_LEDGER` value gives: empty is the default, `off`/`0`/`false`/`no`
    /// turn it off, anything else is a file path.
    pub fn from_env_value(value: &str) -> LedgerSetting {
        let value = value.trim();
        match value.to_ascii_lowercase().as_str() {
            "" => LedgerSetting::Default,
            "off" | "0" | "false" | "no" => LedgerSetting::Off,
            _ => LedgerSetting::At(PathBuf::from(value)),
        }
    }
}

/// A count that a `u32` holds (read like `count`).
fn count_u32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    count(deserializer)?
        .map(|n| {
            u32::try_from(n).map_err(|_| serde::de::Error::custom(format!("must be at most {}, got {n}", u32::MAX)))
        })
        .transpose()
}

/// A ledger setting from a binding: a file path, or `off` (as `ENIGMA_LEDGER` reads).
fn ledger<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<LedgerSetting>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.map(|value| LedgerSetting::from_env_value(&value)))
}

/// A ledger setting as a binding gives it (the default is no value).
fn as_ledger<S: serde::Serializer>(setting: &Option<LedgerSetting>, s: S) -> Result<S::Ok, S::Error> {
    let shown = match setting {
        None | Some(LedgerSetting::Default) => None,
        Some(LedgerSetting::Off) => Some("off".to_owned()),
        Some(LedgerSetting::At(path)) => Some(path.to_string_lossy().into_owned()),
    };
    shown.serialize(s)
}

pub(crate) fn parse_bytes(name: &str, value: &str) -> Result<u64> {
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| Error::validation(name, format!("must be a positive whole number of bytes, got {value:?}")))
}

pub(crate) fn parse_secs(name: &str, value: &str) -> Result<Duration> {
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
    fn byte_counts_and_seconds_from_the_environment_are_checked() {
        assert_eq!(parse_bytes("N", " 1048576 ").unwrap(), 1 << 20);
        for bad in ["0", "-1", "16MiB", ""] {
            assert_eq!(parse_bytes("N", bad).unwrap_err().code(), "validation", "{bad:?}");
        }
        assert_eq!(parse_secs("S", "90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_secs("S", "0").unwrap_err().code(), "validation");
    }

    #[test]
    fn every_listed_variable_has_a_reader_and_a_setting() {
        for &(name, setting) in ClientSettings::ENV_VARS {
            // A value of any shape: an error is fine, a panic (no reader) is not.
            let _ = ClientSettings::default().set_from_env(name, "1");
            assert!(ClientSettings::names().contains(&setting), "{name} names no setting: {setting}");
        }
    }

    #[test]
    fn given_settings_win_and_are_listed() {
        let given = ClientSettings { max_retries: Some(1), ..ClientSettings::default() };
        let lower = ClientSettings { max_retries: Some(5), live_events: Some(false), ..ClientSettings::default() };
        let merged = given.clone().or(lower);
        assert_eq!((merged.max_retries, merged.live_events), (Some(1), Some(false)));
        assert_eq!(given.given(), ["max_retries"]);
        assert_eq!(merged.given(), ["max_retries", "live_events"]);
    }
}
