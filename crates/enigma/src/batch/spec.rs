//! Task specs: what one task of a batch is, read from one serde value (a string, or an object
//! of the task text and its options), so the CLI's JSONL lines and the bindings' lists share
//! one parser and one set of error texts.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::model::error::{Error, Result};
use crate::model::options::{SessionOptions, TaskOptions, WaitOptions};
use crate::model::validate;

/// One task of a batch: its text, the options of the session that runs it and of the task
/// itself, a caller's id (echoed in its [`BatchItem`](super::BatchItem)), and how to wait.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskSpec {
    /// What the agent should do.
    pub task_details: String,
    /// Options of the session, when the task starts one (`task_details` inside is ignored).
    pub session: SessionOptions,
    /// Options of the task (used as-is when it runs as a `newTask` in a shared session).
    pub task: TaskOptions,
    /// The caller's id for the task, when given.
    pub id: Option<String>,
    /// Stop the task when its cost passes this many USD.
    pub max_cost: Option<f64>,
    /// Give up waiting after this long (the session is then terminated).
    pub timeout: Option<Duration>,
}

/// The options a spec object may hold, in the API's camelCase; snake_case spellings are read
/// as the same key.
pub const SPEC_KEYS: &[&str] = &[
    "task",
    "taskDetails",
    "id",
    "maxDuration",
    "maxInputTokens",
    "maxOutputTokens",
    "startingUrl",
    "avoidDomains",
    "maxCost",
    "timeout",
    "timeoutMs",
];

impl TaskSpec {
    /// A spec with just the task text.
    pub fn new(task_details: impl Into<String>) -> TaskSpec {
        let task_details = task_details.into();
        TaskSpec { task: TaskOptions::new(task_details.clone()), task_details, ..TaskSpec::default() }
    }

    /// Reads a spec from a string (the task text) or an object (`task` or `task_details` /
    /// `taskDetails`, `id`, and options in camelCase or snake_case). `label` names the input in
    /// errors (`line 4`, `tasks[3]`).
    pub fn from_value(value: &Value, label: &str) -> Result<TaskSpec> {
        let bad = |reason: String| Error::validation(label, reason);
        let object = match value {
            Value::String(text) => return TaskSpec::new(text.as_str()).checked(label),
            Value::Object(object) => object,
            other => return Err(bad(format!("a task must be a string or an object, got {}", kind(other)))),
        };
        let mut fields = Map::new();
        for (key, v) in object {
            let camel = camel_case(key);
            if !SPEC_KEYS.contains(&camel.as_str()) {
                return Err(bad(format!("unknown option '{key}' (known: {})", SPEC_KEYS.join(", "))));
            }
            if fields.insert(camel, v.clone()).is_some() {
                return Err(bad(format!("option '{key}' given twice")));
            }
        }
        let text = match (fields.get("task"), fields.get("taskDetails")) {
            (Some(_), Some(_)) => return Err(bad("give 'task' or 'taskDetails', not both".to_owned())),
            (Some(t), None) | (None, Some(t)) => t.as_str().ok_or_else(|| bad("the task must be a string".into()))?,
            (None, None) => return Err(bad("missing 'task' (the task text)".to_owned())),
        };
        let mut spec = TaskSpec::new(text);
        spec.id = match fields.get("id") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => return Err(bad(format!("'id' must be a string or a number, got {}", kind(other)))),
        };
        let uint = |key: &str| -> Result<Option<u64>> {
            match fields.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v.as_u64().map(Some).ok_or_else(|| bad(format!("'{key}' must be a whole number, got {v}"))),
            }
        };
        let number = |key: &str| -> Result<Option<f64>> {
            match fields.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v.as_f64().map(Some).ok_or_else(|| bad(format!("'{key}' must be a number, got {v}"))),
            }
        };
        spec.task.max_duration = uint("maxDuration")?;
        spec.task.max_input_tokens = uint("maxInputTokens")?;
        spec.task.max_output_tokens = uint("maxOutputTokens")?;
        spec.task.starting_url = match fields.get("startingUrl") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_str().ok_or_else(|| bad("'startingUrl' must be a string".into()))?.to_owned()),
        };
        spec.task.avoid_domains = match fields.get("avoidDomains") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|d| d.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| bad("'avoidDomains' must be a list of strings".into()))?,
            ),
            Some(_) => return Err(bad("'avoidDomains' must be a list of strings".into())),
        };
        spec.max_cost = number("maxCost")?;
        spec.timeout = match (number("timeout")?, uint("timeoutMs")?) {
            (Some(_), Some(_)) => return Err(bad("give 'timeout' (seconds) or 'timeoutMs', not both".into())),
            (Some(secs), None) => Some(
                Duration::try_from_secs_f64(secs)
                    .map_err(|_| bad(format!("'timeout' must be a positive number of seconds, got {secs}")))?,
            ),
            (None, Some(ms)) => Some(Duration::from_millis(ms)),
            (None, None) => None,
        };
        spec.session = SessionOptions {
            task_details: None,
            max_duration: spec.task.max_duration,
            max_input_tokens: spec.task.max_input_tokens,
            max_output_tokens: spec.task.max_output_tokens,
            starting_url: spec.task.starting_url.clone(),
            avoid_domains: spec.task.avoid_domains.clone(),
            terminate_on_completion: None,
            live_events: None,
        };
        spec.checked(label)
    }

    /// Checks the spec with the SDK's own rules; the error names `label` and the option.
    pub fn checked(self, label: &str) -> Result<TaskSpec> {
        let relabel = |e: Error| match e {
            Error::Validation { field, reason } => Error::validation(label, format!("{field} {reason}")),
            other => other,
        };
        validate::task_options(&self.task).map_err(relabel)?;
        validate::wait_options(&self.wait_options()).map_err(relabel)?;
        if self.timeout.is_some_and(|t| t.is_zero()) {
            return Err(Error::validation(label, "timeout must be positive"));
        }
        Ok(self)
    }

    /// The session options of a session started for this task, with the task as its first.
    pub(crate) fn session_options(&self) -> SessionOptions {
        SessionOptions { task_details: Some(self.task_details.clone()), ..self.session.clone() }
    }

    /// The task options, with this spec's text.
    pub(crate) fn task_options(&self) -> TaskOptions {
        TaskOptions { task_details: self.task_details.clone(), ..self.task.clone() }
    }

    pub(crate) fn wait_options(&self) -> WaitOptions {
        WaitOptions { timeout: self.timeout, max_cost: self.max_cost }
    }
}

/// `max_cost` → `maxCost`; camelCase stays as it is.
fn camel_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reads a list of specs (`tasks`, a JSON array), each labelled `tasks[i]`. With `skip_invalid`
/// a bad entry is kept as its error (reported as a `skipped` item); otherwise the first bad
/// entry is the error, before anything is sent.
pub fn specs_from_value(tasks: &Value, skip_invalid: bool) -> Result<Vec<Result<TaskSpec>>> {
    let Value::Array(items) = tasks else {
        return Err(Error::validation("tasks", "must be a list of tasks"));
    };
    let mut specs = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match TaskSpec::from_value(item, &format!("tasks[{i}]")) {
            Ok(spec) => specs.push(Ok(spec)),
            Err(err) if skip_invalid => specs.push(Err(err)),
            Err(err) => return Err(err),
        }
    }
    Ok(specs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_strings_objects_and_both_spellings() {
        let spec = TaskSpec::from_value(&json!("find a keyboard"), "tasks[0]").unwrap();
        assert_eq!(spec.task_details, "find a keyboard");
        let spec = TaskSpec::from_value(
            &json!({"task": "t", "id": 7, "max_cost": 0.5, "startingUrl": "https://a.example", "timeout": 2}),
            "line 1",
        )
        .unwrap();
        assert_eq!(spec.id.as_deref(), Some("7"));
        assert_eq!(spec.max_cost, Some(0.5));
        assert_eq!(spec.session.starting_url.as_deref(), Some("https://a.example"));
        assert_eq!(spec.timeout, Some(Duration::from_secs(2)));
    }

    #[test]
    fn errors_name_the_label_and_the_problem() {
        let err = |v: Value| TaskSpec::from_value(&v, "line 4").unwrap_err().to_string();
        assert_eq!(
            err(json!({"task": "t", "colour": 1})).split(" (known").next().unwrap(),
            "invalid line 4: unknown option 'colour'"
        );
        assert!(err(json!({"task": "  "})).contains("line 4"));
        assert!(err(json!({"id": 1})).contains("missing 'task'"));
        assert!(err(json!({"task": "t", "maxCost": -1})).contains("max_cost"));
        assert!(err(json!(3)).contains("string or an object"));
    }
}
