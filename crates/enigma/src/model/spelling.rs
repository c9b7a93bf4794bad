//! How a language spells option fields and settings. The canonical names are the Rust field
//! names (snake_case) and durations are seconds: that is Python's spelling. Node spells the same
//! fields in camelCase, and a duration as milliseconds with an `Ms` suffix (`timeoutMs`).
//! Beneath `parse`, `view`, `message`, `missing_key` and `error`, which all spell names; it
//! imports nothing of the model.

use serde_json::Value;

/// Fields that are durations: seconds in the canonical spelling, `<name>Ms` in Node's. The
/// options', the client's settings, and the simulator's (`enigma-sim`'s `SimSettings`).
pub(crate) const DURATIONS: &[&str] = &[
    "timeout",
    "request_timeout",
    "connect_timeout",
    "retry_backoff",
    "retry_backoff_max",
    "retry_after_max",
    "poll_interval",
    "inline_wait",
    "idle_timeout",
    "instance_grace",
];

/// How a language spells option fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// Python: the canonical snake_case names; durations in seconds.
    Snake,
    /// Node: camelCase; durations in milliseconds, named with an `Ms` suffix.
    Camel,
}

impl Spelling {
    /// The caller's name of a canonical field (`max_duration` -> `maxDuration`, `timeout` ->
    /// `timeoutMs` in Node).
    pub fn spell(self, canonical: &str) -> String {
        match self {
            Spelling::Snake => canonical.to_owned(),
            Spelling::Camel if DURATIONS.contains(&canonical) => format!("{}Ms", to_camel(canonical)),
            Spelling::Camel => to_camel(canonical),
        }
    }

    /// The canonical field and value of one caller's key, or `None` for a key this spelling
    /// does not produce (e.g. `max_duration` or `timeout` in Node). The key itself is never
    /// rewritten to be checked: a key of the other spelling is unknown here, and its refusal
    /// names it as written.
    pub(crate) fn canonical(self, key: &str, value: Value) -> Option<(String, Value)> {
        let (name, value) = match (self, key.strip_suffix("Ms")) {
            (Spelling::Camel, Some(stem)) if DURATIONS.contains(&to_snake(stem).as_str()) => {
                let seconds = match value.as_f64() {
                    Some(ms) => Value::from(ms / 1000.0),
                    None => value, // left for serde to refuse by its type
                };
                (to_snake(stem), seconds)
            }
            (Spelling::Camel, _) => (to_snake(key), value),
            (Spelling::Snake, _) => (key.to_owned(), value),
        };
        (self.spell(&name) == key).then_some((name, value))
    }
}

/// `max_duration` -> `maxDuration` (a name's camelCase, with no rule for durations).
pub fn to_camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// `maxDuration` -> `max_duration`.
pub(crate) fn to_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
