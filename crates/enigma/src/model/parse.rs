//! Options from a binding: each call's options cross the boundary as one JSON-like value
//! (Python through `pythonize`, Node through napi's `serde-json`), and are read here into the
//! option structs by serde, then checked by the local rules (`validate.rs`). An error names the
//! field as the caller spells it, so each binding only forwards it.
//!
//! The canonical names are the Rust field names (snake_case) and durations are seconds: that is
//! Python's spelling. Node spells the same fields in camelCase, and a duration as milliseconds
//! with an `Ms` suffix (`timeoutMs`); [`Spelling`] carries both ways.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::checked::{Checked, IntoChecked, WithTask};
use super::error::Error;
use super::options::{RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
use super::settings::ClientSettings;
use super::spelling::Spelling;
use super::suggest;
use super::validate;

/// Which options a call takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionsKind {
    /// `start_session` (and, with its task, `start_task`).
    Session,
    /// `new_task`.
    Task,
    /// A wait (`result`); `run_task` takes these and the session's.
    Wait,
    /// A client's settings (the constructor's, in each language).
    Client,
}

impl OptionsKind {
    /// Every kind, for the bindings' exported field lists.
    pub const ALL: [OptionsKind; 4] = [OptionsKind::Session, OptionsKind::Task, OptionsKind::Wait, OptionsKind::Client];

    /// The kind's name in the exported lists.
    pub fn name(self) -> &'static str {
        match self {
            OptionsKind::Session => "session",
            OptionsKind::Task => "task",
            OptionsKind::Wait => "wait",
            OptionsKind::Client => "client",
        }
    }

    /// The fields of this kind, canonical, in declaration order. Derived from the structs
    /// themselves, so a new field appears here (and in the bindings' signature tests) at once.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            OptionsKind::Session => serde_aux::serde_introspection::serde_introspect::<SessionOptions>(),
            OptionsKind::Task => serde_aux::serde_introspection::serde_introspect::<TaskOptions>(),
            OptionsKind::Wait => serde_aux::serde_introspection::serde_introspect::<WaitOptions>(),
            OptionsKind::Client => ClientSettings::names(),
        }
    }

    /// The fields as `spelling` spells them.
    pub fn spelled_fields(self, spelling: Spelling) -> Vec<String> {
        self.fields().iter().map(|f| spelling.spell(f)).collect()
    }
}

/// The fields that take a number, canonical, by kind: the option kinds' (`session`, `task`,
/// `wait`) and the client's settings (`client`). Found by asking serde whether the field reads
/// `1` (any other field refuses it as the wrong type), so a new numeric field is listed, and
/// covered by the bindings' bad-number tests, without being named anywhere else.
pub fn numeric_fields() -> Vec<(&'static str, Vec<&'static str>)> {
    fn numeric<T: DeserializeOwned>() -> Vec<&'static str> {
        let fields = serde_aux::serde_introspection::serde_introspect::<T>();
        // A missing required field (`task_details`) is reported only after every given value
        // was read, so a probe of one field is refused as the wrong type or not at all.
        let reads_one = |f: &&str| !matches!(read::<T>(Map::from_iter([(f.to_string(), Value::from(1))]), Spelling::Snake), Err(e) if e.wrong_type);
        fields.iter().copied().filter(reads_one).collect()
    }
    vec![
        (OptionsKind::Session.name(), numeric::<SessionOptions>()),
        (OptionsKind::Task.name(), numeric::<TaskOptions>()),
        (OptionsKind::Wait.name(), numeric::<WaitOptions>()),
        ("client", numeric::<ClientSettings>()),
    ]
}

/// Options a binding passed that cannot be used: the field as the caller spells it, why, and
/// whether the value had the wrong type (Python raises `TypeError` for that; every other case,
/// and every case in Node, is a `validation` error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsError {
    /// The field, in the caller's spelling (`options` when the value is not an object).
    pub field: String,
    /// What is wrong with it.
    pub reason: String,
    /// The value had a type the field never takes (e.g. a string for a count).
    pub wrong_type: bool,
}

impl OptionsError {
    /// An error about a caller's field (already in the caller's spelling).
    pub fn new(field: impl Into<String>, reason: impl Into<String>, wrong_type: bool) -> Self {
        OptionsError { field: field.into(), reason: reason.into(), wrong_type }
    }
}

impl From<OptionsError> for Error {
    fn from(err: OptionsError) -> Error {
        Error::validation(&err.field, err.reason)
    }
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid {}: {}", self.field, self.reason)
    }
}

/// Options of `start_session`.
pub fn session_options(value: Value, spelling: Spelling) -> Result<Checked<SessionOptions>, OptionsError> {
    let options: SessionOptions = read(take(value, &[OptionsKind::Session], spelling)?.remove(0), spelling)?;
    checked(options.into_checked(), spelling)
}

/// Options of `start_task`: a session's, its task required.
pub fn start_task_options(value: Value, spelling: Spelling) -> Result<Checked<SessionOptions, WithTask>, OptionsError> {
    let options: SessionOptions = read(take(value, &[OptionsKind::Session], spelling)?.remove(0), spelling)?;
    checked(options.into_checked(), spelling)
}

/// Options of `run_task`: one object with the session's fields (its task required) and the
/// wait's.
pub fn run_task_options(value: Value, spelling: Spelling) -> Result<Checked<RunTaskOptions>, OptionsError> {
    let mut parts = take(value, &[OptionsKind::Wait, OptionsKind::Session], spelling)?.into_iter();
    let (wait, session) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let options = RunTaskOptions { session: read(session, spelling)?, wait: read(wait, spelling)? };
    checked(options.into_checked(), spelling)
}

/// Options of `new_task`.
pub fn task_options(value: Value, spelling: Spelling) -> Result<Checked<TaskOptions>, OptionsError> {
    let options: TaskOptions = read(take(value, &[OptionsKind::Task], spelling)?.remove(0), spelling)?;
    checked(options.into_checked(), spelling)
}

/// Options of a wait.
pub fn wait_options(value: Value, spelling: Spelling) -> Result<Checked<WaitOptions>, OptionsError> {
    let options: WaitOptions = read(take(value, &[OptionsKind::Wait], spelling)?.remove(0), spelling)?;
    checked(options.into_checked(), spelling)
}

/// Settings of any serde struct with `deny_unknown_fields` (the simulator's, for one), read
/// like options: `null` is none given; an error names the field as the caller spells it.
pub fn settings<T: DeserializeOwned>(value: Value, spelling: Spelling) -> Result<T, OptionsError> {
    let fields = serde_aux::serde_introspection::serde_introspect::<T>();
    read(take_fields(value, &[fields], spelling)?.remove(0), spelling)
}

/// A client's settings (`null`: none given).
pub fn client_settings(value: Value, spelling: Spelling) -> Result<ClientSettings, OptionsError> {
    read(take(value, &[OptionsKind::Client], spelling)?.remove(0), spelling)
}

/// A window coordinate (`x` or `y`) as a binding passed it: a whole number that a `u32` holds
/// (the command then checks the window's range). A non-number has the wrong type.
pub fn coordinate(field: &str, value: Value, spelling: Spelling) -> Result<u32, OptionsError> {
    let range = if field == "x" { validate::X_RANGE } else { validate::Y_RANGE };
    let whole = value.as_u64().or_else(|| value.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64));
    whole.and_then(|v| u32::try_from(v).ok()).ok_or_else(|| {
        let reason = format!("must be within {}..={} (window coordinates), got {value}", range.start(), range.end());
        OptionsError::new(spelling.spell(field), reason, !value.is_number())
    })
}

/// The caller's object as canonical maps, one per kind (a key goes to the first kind that has
/// it). `null` is no options; a key no kind has is refused here, in the caller's spelling.
fn take(value: Value, kinds: &[OptionsKind], spelling: Spelling) -> Result<Vec<Map<String, Value>>, OptionsError> {
    let fields: Vec<&'static [&'static str]> = kinds.iter().map(|k| k.fields()).collect();
    take_fields(value, &fields, spelling)
}

/// [`take`] for lists of canonical field names.
fn take_fields(
    value: Value,
    kinds: &[&'static [&'static str]],
    spelling: Spelling,
) -> Result<Vec<Map<String, Value>>, OptionsError> {
    let object = match value {
        Value::Null => Map::new(),
        Value::Object(object) => object,
        other => return Err(OptionsError::new("options", format!("must be an object, got {other}"), true)),
    };
    let mut parts = vec![Map::new(); kinds.len()];
    for (key, value) in object {
        let slot = spelling
            .canonical(&key, value)
            .and_then(|(name, value)| Some((kinds.iter().position(|k| k.contains(&name.as_str()))?, name, value)));
        let Some((index, name, value)) = slot else {
            let known: Vec<String> = kinds.iter().flat_map(|k| k.iter().map(|f| spelling.spell(f))).collect();
            let hint = suggest::did_you_mean(&key, known.iter().map(String::as_str));
            let reason = format!("is not an option here{hint} (known: {})", known.join(", "));
            return Err(OptionsError::new(key, reason, false));
        };
        parts[index].insert(name, value);
    }
    Ok(parts)
}

/// Serde reads one kind's map; an error names its top-level field.
fn read<T: DeserializeOwned>(map: Map<String, Value>, spelling: Spelling) -> Result<T, OptionsError> {
    serde_path_to_error::deserialize(Value::Object(map)).map_err(|err| {
        let field = err.path().iter().find_map(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(spelling.spell(key)),
            _ => None,
        });
        let inner = err.into_inner().to_string();
        // serde's own wording for a value of the wrong type (`Error::invalid_type`); a unit
        // test below pins it.
        let wrong_type = inner.starts_with("invalid type:");
        OptionsError::new(field.unwrap_or_else(|| "options".to_owned()), inner, wrong_type)
    })
}

/// Checked options, or a local rule's refusal with its field in the caller's spelling.
fn checked<T>(result: Result<T, Error>, spelling: Spelling) -> Result<T, OptionsError> {
    result.map_err(|err| match err {
        Error::Validation { field, reason } => OptionsError::new(spelling.spell(&field), reason, false),
        other => OptionsError::new("options", other.to_string(), false),
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;

    fn refused<T: std::fmt::Debug>(result: Result<T, OptionsError>) -> (String, bool) {
        let err = result.expect_err("expected a refusal");
        (err.field, err.wrong_type)
    }

    #[test]
    fn reads_each_spelling_into_the_same_options() {
        let python = json!({"task_details": "x", "max_duration": 60000, "avoid_domains": ["a.com"],
            "live_events": false, "timeout": 1.5, "max_cost": 0.5, "starting_url": null});
        let node = json!({"taskDetails": "x", "maxDuration": 60000.0, "avoidDomains": ["a.com"],
            "liveEvents": false, "timeoutMs": 1500, "maxCost": 0.5});
        let a = run_task_options(python, Spelling::Snake).unwrap();
        assert_eq!(a, run_task_options(node, Spelling::Camel).unwrap());
        assert_eq!(a.session.max_duration, Some(std::time::Duration::from_secs(60)));
        assert_eq!(a.session.live_events, Some(false));
        assert_eq!(a.wait.timeout, Some(Duration::from_millis(1500)));
        assert_eq!(session_options(Value::Null, Spelling::Camel).unwrap(), SessionOptions::new());
    }

    #[test]
    fn refusals_name_the_field_as_the_caller_spells_it() {
        let s = Spelling::Snake;
        let c = Spelling::Camel;
        assert_eq!(refused(session_options(json!({"max_duration": 0}), s)), ("max_duration".into(), false));
        assert_eq!(refused(session_options(json!({"maxDuration": 0}), c)), ("maxDuration".into(), false));
        assert_eq!(refused(session_options(json!({"maxDuration": 1.5}), c)), ("maxDuration".into(), false));
        assert_eq!(refused(session_options(json!({"maxDuration": -5}), c)), ("maxDuration".into(), false));
        assert_eq!(refused(session_options(json!({"max_duration": "10"}), s)), ("max_duration".into(), true));
        assert_eq!(refused(session_options(json!({"avoidDomains": "x.com"}), c)), ("avoidDomains".into(), true));
        assert_eq!(refused(wait_options(json!({"timeoutMs": -1}), c)), ("timeoutMs".into(), false));
        assert_eq!(refused(wait_options(json!({"max_cost": -1}), s)), ("max_cost".into(), false));
        assert_eq!(refused(run_task_options(json!({}), c)), ("taskDetails".into(), false));
        assert_eq!(refused(task_options(json!({"taskDetails": 42}), c)), ("taskDetails".into(), true));
        // Keys of the other spelling, or of another call, are unknown.
        assert_eq!(refused(session_options(json!({"max_duration": 1}), c)).0, "max_duration");
        assert_eq!(refused(wait_options(json!({"timeout": 1}), c)).0, "timeout");
        assert_eq!(refused(session_options(json!({"timeoutMs": 1}), c)).0, "timeoutMs");
        assert_eq!(refused(task_options(json!({"task_details": "x", "live_events": true}), s)).0, "live_events");
        assert_eq!(refused(session_options(json!("x"), s)), ("options".into(), true));
    }

    #[test]
    fn an_unknown_key_is_named_as_written_and_the_nearest_known_one_suggested() {
        let c = Spelling::Camel;
        for (key, near) in [("max_duration", "maxDuration"), ("max_cost", "maxCost"), ("starting_url", "startingUrl")] {
            let err = run_task_options(json!({"taskDetails": "x", key: 5}), c).unwrap_err();
            assert_eq!(err.field, key, "the key as written, not renamed");
            let shown = err.to_string();
            assert!(
                shown.starts_with(&format!("invalid {key}: is not an option here; did you mean `{near}`? (known: ")),
                "{shown}"
            );
        }
        let err = run_task_options(json!({"task_details": "x", "maxCost": 5}), Spelling::Snake).unwrap_err();
        assert_eq!((err.field.as_str(), err.reason.contains("did you mean `max_cost`?")), ("maxCost", true));
        let err = session_options(json!({"colour": "red"}), c).unwrap_err();
        assert!(err.reason.starts_with("is not an option here (known: "), "no guess for a far key: {}", err.reason);
    }

    #[test]
    fn client_settings_read_both_spellings_and_name_bad_fields() {
        let node = json!({"requestTimeoutMs": 1500, "maxRetries": 3, "retryBackoffMaxMs": 2000, "liveEvents": false});
        let python = json!({"request_timeout": 1.5, "max_retries": 3, "retry_backoff_max": 2.0, "live_events": false});
        let settings = client_settings(node, Spelling::Camel).unwrap();
        assert_eq!(settings, client_settings(python, Spelling::Snake).unwrap());
        assert_eq!(settings.request_timeout, Some(Duration::from_millis(1500)));
        assert_eq!(settings.retry_backoff, None, "what is not given stays unset (the core's default)");
        assert_eq!(refused(client_settings(json!({"maxRetries": 4294967296u64}), Spelling::Camel)).0, "maxRetries");
        assert_eq!(refused(client_settings(json!({"max_retries": -1}), Spelling::Snake)).0, "max_retries");
        assert_eq!(refused(client_settings(json!({"pollIntervalMs": -1}), Spelling::Camel)).0, "pollIntervalMs");
        assert_eq!(refused(client_settings(json!({"handleSignals": true}), Spelling::Camel)).0, "handleSignals");
        let built = Spelling::Camel.error(Error::validation("request_timeout", "must be greater than zero"));
        assert!(matches!(built, Error::Validation { field, .. } if field == "requestTimeoutMs"));
    }

    #[test]
    fn coordinates_are_whole_numbers_a_u32_holds() {
        assert_eq!(coordinate("x", json!(512), Spelling::Camel), Ok(512));
        assert_eq!(coordinate("y", json!(400.0), Spelling::Camel), Ok(400));
        assert_eq!(refused(coordinate("x", json!(-1), Spelling::Snake)), ("x".into(), false));
        assert_eq!(refused(coordinate("y", json!(1.5), Spelling::Snake)), ("y".into(), false));
        assert_eq!(refused(coordinate("x", json!(4294967296u64), Spelling::Snake)), ("x".into(), false));
        assert_eq!(refused(coordinate("x", json!("a"), Spelling::Camel)), ("x".into(), true));
    }

    #[test]
    fn numeric_fields_are_found_by_serde() {
        let numeric: std::collections::HashMap<_, _> = numeric_fields().into_iter().collect();
        assert_eq!(numeric["wait"], ["timeout", "max_cost"]);
        assert_eq!(numeric["task"], ["max_duration", "max_input_tokens", "max_output_tokens"]);
        assert_eq!(numeric["session"], numeric["task"], "no session-only numeric field yet");
        let client = &numeric["client"];
        for f in
            ["request_timeout", "connect_timeout", "max_retries", "retry_backoff", "retry_backoff_max", "poll_interval"]
        {
            assert!(client.contains(&f), "{f} missing from {client:?}");
        }
        assert!(!client.contains(&"live_events") && !client.contains(&"api_key"));
    }

    #[test]
    fn field_lists_come_from_the_structs() {
        assert_eq!(OptionsKind::Wait.spelled_fields(Spelling::Camel), ["timeoutMs", "maxCost"]);
        let session = OptionsKind::Session.fields();
        let task = OptionsKind::Task.fields();
        assert!(session.contains(&"live_events") && !task.contains(&"live_events"));
        assert!(task.iter().all(|f| session.contains(f)), "a task field that a session lacks: {task:?}");
    }
}
