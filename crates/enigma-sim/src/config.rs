//! Settings of a simulator instance.

use std::net::SocketAddr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::variants::{self, AnswerVariant};

/// How the per-key rate limit of the POST endpoints is counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RateLimitScope {
    /// One budget shared by every POST endpoint (the default).
    #[default]
    Shared,
    /// A separate budget for each POST endpoint.
    PerEndpoint,
}

/// Settings of a [`crate::Simulator`]. Every field has a sensible default, see [`SimConfig::default`].
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Address to listen on. Default `127.0.0.1:0` (any free loopback port).
    pub bind: SocketAddr,
    /// Speed of simulated time: `1.0` is real time, `0.01` makes a 3 s task take 30 ms of wall time.
    /// Scales every simulated timer (task steps, inline wait, idle timeout, `maxDuration`,
    /// instance grace) except the rate-limit window, which is wall time (`rate_limit_window`).
    pub time_scale: f64,
    /// How long `newTask` / `run-task` wait for a result before answering "pending" (simulated). Default 50 s.
    pub inline_wait: Duration,
    /// A session with no task for this long is terminated with reason `expired` (simulated). Default 300 s.
    pub idle_timeout: Duration,
    /// Grace period for a lost instance (`#sim instance=lost`), simulated; sent as the
    /// `gracePeriod` (ms) of `instance:disconnected`. Default 300 s.
    pub instance_grace: Duration,
    /// Requests per API key per sliding 60 s window on the POST endpoints. Default `Some(10)`; `None` disables it.
    pub rate_limit: Option<u32>,
    /// Length of the sliding rate-limit window, wall time. Default 60 s (the service's); tests of
    /// clients that pace themselves shorten it to see many windows in seconds.
    pub rate_limit_window: Duration,
    /// Whether the rate-limit budget is shared by the POST endpoints or kept per endpoint.
    pub rate_limit_scope: RateLimitScope,
    /// Concurrent open sessions per API key. Default 5.
    pub max_sessions: u32,
    /// Starting balance of every API key, in USD. Default 100.0.
    pub initial_balance: f64,
    /// Seed for ids and any other pseudo-random behaviour. Default 0.
    pub seed: u64,
    /// Documented-only mode: send exactly what the service's docs promise and none of the
    /// simulator's extras (the initial task's id, ids on events, socket acks, `task_stopped`,
    /// `paused` / `queued` in polls, ids and `pending:false` on polls, ...; the list is in
    /// `docs/api-contract.md`, "The simulator's extras"). Default `false` (extras on).
    pub strict_docs: bool,
    /// Documented variants to answer in: each turns one answer into one alternative shape the
    /// service's docs give for it (no `status` on the inline result, usage inside `data`, ...;
    /// the list is in `docs/api-contract.md`, "One answer, several documented shapes", the code
    /// `src/variants.rs`). `PendingFlagOnly` and `PendingStatusOnly` exclude each other.
    /// Default empty (the superset of the documented fields).
    pub answer_variants: Vec<AnswerVariant>,
    /// Serve this recording of the flight recorder instead of the scripted agent: a file (one
    /// session) or a folder of them (`enigma sim --replay`; `docs/recording.md`). The recorded
    /// timing is scaled by `time_scale`. Default `None`.
    pub replay: Option<std::path::PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            time_scale: 1.0,
            inline_wait: Duration::from_secs(50),
            idle_timeout: Duration::from_secs(300),
            instance_grace: Duration::from_secs(300),
            rate_limit: Some(10),
            rate_limit_window: Duration::from_secs(60),
            rate_limit_scope: RateLimitScope::Shared,
            max_sessions: 5,
            initial_balance: 100.0,
            seed: 0,
            strict_docs: false,
            answer_variants: Vec::new(),
            replay: None,
        }
    }
}

impl SimConfig {
    /// The settings of the test kits in every language: [`SimSettings::for_tests`] over the
    /// defaults (fast simulated time, no rate limit).
    pub fn for_tests() -> SimConfig {
        SimSettings::for_tests().config().expect("the test kit's settings are valid")
    }

    /// Checks the settings that no type rules out; the error names the field (Rust spelling).
    pub fn validate(&self) -> Result<(), String> {
        if !(self.time_scale.is_finite() && self.time_scale > 0.0) {
            return Err(format!("time_scale must be a positive number, got {}", self.time_scale));
        }
        if !self.initial_balance.is_finite() {
            return Err(format!("initial_balance must be a finite number of USD, got {}", self.initial_balance));
        }
        if self.rate_limit_window.is_zero() {
            return Err("rate_limit_window must be positive".to_owned());
        }
        if self.rate_limit == Some(0) {
            return Err("rate_limit must be positive (None turns the limiter off)".to_owned());
        }
        variants::check(&self.answer_variants)
    }
}

/// Settings of a simulator as the bindings pass them (Python's `Simulator(...)`, Node's
/// `startSimulator({...})`, read by `enigma::binding::settings`): each one given overrides
/// [`SimConfig::default`], so the defaults are written once. Durations are simulated seconds;
/// `rate_limit: 0` turns the limiter off. [`SimSettings::defaults`] serialises to the defaults
/// in this form, for the bindings' keyword defaults.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimSettings {
    /// IP address to listen on.
    #[serde(default)]
    pub host: Option<String>,
    /// Port (0: any free one).
    #[serde(default)]
    pub port: Option<u16>,
    /// See [`SimConfig::time_scale`].
    #[serde(default)]
    pub time_scale: Option<f64>,
    /// See [`SimConfig::inline_wait`] (seconds).
    #[serde(default)]
    pub inline_wait: Option<f64>,
    /// See [`SimConfig::idle_timeout`] (seconds).
    #[serde(default)]
    pub idle_timeout: Option<f64>,
    /// See [`SimConfig::instance_grace`] (seconds).
    #[serde(default)]
    pub instance_grace: Option<f64>,
    /// See [`SimConfig::rate_limit`]; 0 turns it off.
    #[serde(default)]
    pub rate_limit: Option<u32>,
    /// `shared` or `per_endpoint`.
    #[serde(default)]
    pub rate_limit_scope: Option<String>,
    /// See [`SimConfig::max_sessions`].
    #[serde(default)]
    pub max_sessions: Option<u32>,
    /// See [`SimConfig::initial_balance`].
    #[serde(default)]
    pub initial_balance: Option<f64>,
    /// See [`SimConfig::seed`].
    #[serde(default)]
    pub seed: Option<u64>,
    /// See [`SimConfig::strict_docs`]: `true` leaves out every extra beyond the documented API.
    #[serde(default)]
    pub strict_docs: Option<bool>,
    /// See [`SimConfig::answer_variants`]: the names of the variants (`inline_without_status`,
    /// `result_without_type`, `pending_flag_only`, `pending_status_only`, `usage_in_data`,
    /// `snake_case_usage`).
    #[serde(default)]
    pub answer_variants: Option<Vec<String>>,
    /// See [`SimConfig::replay`]: a recording's file or folder (none by default: the scripted
    /// agent serves; so it is left out of the defaults' serialised form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<String>,
}

impl SimSettings {
    /// What the test kits change from the defaults, the same in every language (Rust's
    /// [`SimConfig::for_tests`], Python's `enigma_simulator` fixture, Node's and the READMEs'
    /// examples): simulated time 100 times faster (`time_scale` 0.01: a 3 s task takes 30 ms)
    /// and no rate limit (`rate_limit` 0), so that a test's 11th create does not wait a minute.
    pub fn for_tests() -> SimSettings {
        SimSettings { time_scale: Some(0.01), rate_limit: Some(0), ..SimSettings::default() }
    }

    /// Every setting given, at [`SimConfig::default`]'s value.
    pub fn defaults() -> SimSettings {
        let c = SimConfig::default();
        SimSettings {
            host: Some(c.bind.ip().to_string()),
            port: Some(c.bind.port()),
            time_scale: Some(c.time_scale),
            inline_wait: Some(c.inline_wait.as_secs_f64()),
            idle_timeout: Some(c.idle_timeout.as_secs_f64()),
            instance_grace: Some(c.instance_grace.as_secs_f64()),
            rate_limit: Some(c.rate_limit.unwrap_or(0)),
            rate_limit_scope: Some(c.rate_limit_scope.as_str().to_owned()),
            max_sessions: Some(c.max_sessions),
            initial_balance: Some(c.initial_balance),
            seed: Some(c.seed),
            strict_docs: Some(c.strict_docs),
            answer_variants: Some(c.answer_variants.iter().map(|v| v.as_str().to_owned()).collect()),
            replay: None,
        }
    }

    /// The defaults with these settings over them, checked; the error names the setting.
    pub fn config(self) -> Result<SimConfig, String> {
        let mut c = SimConfig::default();
        if self.host.is_some() || self.port.is_some() {
            let host = self.host.unwrap_or_else(|| c.bind.ip().to_string());
            let port = self.port.unwrap_or(c.bind.port());
            c.bind = format!("{host}:{port}")
                .parse()
                .or_else(|_| format!("[{host}]:{port}").parse())
                .map_err(|_| format!("host must be an IP address, got {host:?}"))?;
        }
        let seconds = |field: &str, secs: f64| {
            Duration::try_from_secs_f64(secs)
                .map_err(|_| format!("{field} must be a non-negative number of seconds, got {secs}"))
        };
        c.time_scale = self.time_scale.unwrap_or(c.time_scale);
        if let Some(secs) = self.inline_wait {
            c.inline_wait = seconds("inline_wait", secs)?;
        }
        if let Some(secs) = self.idle_timeout {
            c.idle_timeout = seconds("idle_timeout", secs)?;
        }
        if let Some(secs) = self.instance_grace {
            c.instance_grace = seconds("instance_grace", secs)?;
        }
        if let Some(n) = self.rate_limit {
            c.rate_limit = (n > 0).then_some(n);
        }
        if let Some(scope) = self.rate_limit_scope {
            c.rate_limit_scope = scope.parse()?;
        }
        c.max_sessions = self.max_sessions.unwrap_or(c.max_sessions);
        c.initial_balance = self.initial_balance.unwrap_or(c.initial_balance);
        c.seed = self.seed.unwrap_or(c.seed);
        c.strict_docs = self.strict_docs.unwrap_or(c.strict_docs);
        if let Some(names) = self.answer_variants {
            c.answer_variants = names
                .iter()
                .map(|name| name.parse::<AnswerVariant>().map_err(|why| format!("answer_variants: {why}")))
                .collect::<Result<_, _>>()?;
        }
        c.replay = self.replay.map(std::path::PathBuf::from);
        c.validate()?;
        Ok(c)
    }
}

impl RateLimitScope {
    /// `shared` or `per_endpoint` (what [`str::parse`] reads back).
    pub fn as_str(self) -> &'static str {
        match self {
            RateLimitScope::Shared => "shared",
            RateLimitScope::PerEndpoint => "per_endpoint",
        }
    }
}

impl std::str::FromStr for RateLimitScope {
    type Err = String;

    /// `shared`, or `per-endpoint` (also spelled `per_endpoint` and `perEndpoint`).
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "shared" => Ok(RateLimitScope::Shared),
            "per-endpoint" | "per_endpoint" | "perEndpoint" => Ok(RateLimitScope::PerEndpoint),
            other => Err(format!("rate_limit_scope must be shared or per-endpoint, got {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        assert!(SimConfig::default().validate().is_ok());
        for bad in [0.0, -1.0, f64::NAN] {
            assert!(SimConfig { time_scale: bad, ..SimConfig::default() }.validate().is_err());
        }
        assert!(SimConfig { rate_limit: Some(0), ..SimConfig::default() }.validate().is_err());
        assert_eq!("per_endpoint".parse::<RateLimitScope>(), Ok(RateLimitScope::PerEndpoint));
        assert!("global".parse::<RateLimitScope>().is_err());
        let settings = SimSettings { inline_wait: Some(0.5), rate_limit: Some(0), ..SimSettings::default() };
        let config = settings.config().unwrap();
        assert_eq!((config.inline_wait, config.rate_limit), (Duration::from_millis(500), None));
        assert_eq!(config.max_sessions, SimConfig::default().max_sessions);
        let bad_host = SimSettings { host: Some("localhost".into()), ..SimSettings::default() };
        assert!(bad_host.config().unwrap_err().contains("host"));
        let ipv6 = SimSettings { host: Some("::1".into()), port: Some(0), ..SimSettings::default() };
        assert!(ipv6.config().unwrap().bind.is_ipv6());
    }

    #[test]
    fn the_test_kits_settings_are_fast_and_unlimited() {
        let config = SimConfig::for_tests();
        assert_eq!((config.time_scale, config.rate_limit), (0.01, None));
        assert_eq!(config.max_sessions, SimConfig::default().max_sessions);
        let json = serde_json::to_value(SimSettings::for_tests()).unwrap();
        assert_eq!((json["time_scale"].as_f64(), json["rate_limit"].as_u64()), (Some(0.01), Some(0)));
    }

    #[test]
    fn the_defaults_in_settings_form_give_back_the_default_config() {
        let defaults = SimSettings::defaults();
        let json = serde_json::to_value(&defaults).unwrap();
        let fields = json.as_object().unwrap();
        assert!(fields.values().all(|v| !v.is_null()), "every setting has its default: {json}");
        assert_eq!(serde_json::from_value::<SimSettings>(json.clone()).unwrap(), defaults);
        assert_eq!(json["inline_wait"], 50.0);
        assert_eq!(json["rate_limit_scope"], "shared");
        assert_eq!(json["strict_docs"], false);
        let strict = SimSettings { strict_docs: Some(true), ..SimSettings::default() };
        assert!(strict.config().unwrap().strict_docs);
        assert_eq!(format!("{:?}", defaults.config().unwrap()), format!("{:?}", SimConfig::default()));
        assert_eq!(json["answer_variants"], serde_json::json!([]));
    }

    #[test]
    fn answer_variants_are_read_by_name_and_unknown_names_are_refused() {
        let names = vec!["usage_in_data".to_owned(), "pending_flag_only".to_owned()];
        let settings = SimSettings { answer_variants: Some(names), ..SimSettings::default() };
        assert_eq!(
            settings.config().unwrap().answer_variants,
            vec![AnswerVariant::UsageInData, AnswerVariant::PendingFlagOnly]
        );
        let unknown = SimSettings { answer_variants: Some(vec!["flat_result".into()]), ..SimSettings::default() };
        let err = unknown.config().unwrap_err();
        assert!(err.starts_with("answer_variants:") && err.contains("flat_result"), "{err}");
        for variant in AnswerVariant::ALL {
            assert!(err.contains(variant.as_str()), "{err} lists {variant}");
        }
        let both = SimSettings {
            answer_variants: Some(vec!["pending_flag_only".into(), "pending_status_only".into()]),
            ..SimSettings::default()
        };
        assert!(both.config().unwrap_err().contains("exclude each other"));
    }
}
