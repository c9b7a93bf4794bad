//! Task specs: what one task of a batch is, read from one serde value (a string, or an object
//! of the task text and its options). The options go through the core's option parser
//! (`model/parse.rs`: the fields, types and rules of `new_task` and of a wait), so a batch task
//! takes what a task takes, spelled as the caller spells it; the error names the task (`tasks[3]`,
//! `line 4`) and the field.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::model::error::{Error, Result};
use crate::model::options::{SessionOptions, TaskOptions, WaitOptions};
use crate::model::parse::{self, OptionsError, OptionsKind};
use crate::model::spelling::Spelling;
use crate::model::suggest;

/// One task of a batch: its text, the options of the session that runs it and of the task
/// itself, a caller's id (echoed in its [`BatchItem`](super::BatchItem)), and how to wait.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskSpec {
    /// What the agent should do: the task's one text, whichever way it runs (the journal of a
    /// resumable batch also knows the task by it).
    pub task_details: String,
    /// Options of the session, when the task starts one. Its `task_details` is ignored: the
    /// spec's own is the session's first task.
    pub session: SessionOptions,
    /// Options of the task when it is sent as a `newTask` rather than as a session's first task
    /// (see [`BatchOptions`](super::BatchOptions)). Its `task_details` is ignored: the spec's own
    /// is sent, so the text is given once, in one place.
    pub task: TaskOptions,
    /// The caller's id for the task, when given.
    pub id: Option<String>,
    /// Stop the task when its cost passes this many USD.
    pub max_cost: Option<f64>,
    /// Give up waiting after this long (the session is then terminated).
    pub timeout: Option<Duration>,
}

/// A task field a spec does not take: the batch owns the end of the sessions it opens.
const NOT_IN_SPECS: &[&str] = &["terminate_on_completion"];

impl TaskSpec {
    /// A spec with just the task text.
    pub fn new(task_details: impl Into<String>) -> TaskSpec {
        let task_details = task_details.into();
        TaskSpec { task: TaskOptions::new(task_details.clone()), task_details, ..TaskSpec::default() }
    }

    /// Reads a spec from a file's line (the CLI's JSONL and CSV): a string (the task text) or an
    /// object whose keys may be in either spelling, key by key (`startingUrl` or `starting_url`;
    /// `timeout` in seconds or `timeoutMs`). Each key is checked as written, and errors name it
    /// so (`maxCots`, with the nearest known key suggested). `label` names the input in errors
    /// (`line 4`).
    pub fn from_value(value: &Value, label: &str) -> Result<TaskSpec> {
        let Value::Object(object) = value else {
            return TaskSpec::from_spelled(value, label, Spelling::Snake);
        };
        let fields = spec_fields();
        let (mut canonical, mut written) = (Map::new(), Vec::new());
        for (key, v) in object {
            let known = |spelling: Spelling| {
                let (name, v) = spelling.canonical(key, v.clone())?;
                fields.contains(&name.as_str()).then_some((name, v))
            };
            let (name, v) = match key.as_str() {
                "task" | "id" => (key.clone(), v.clone()),
                _ => match known(Spelling::Snake).or_else(|| known(Spelling::Camel)) {
                    Some(found) => found,
                    None => return Err(unknown_key(label, key, &[Spelling::Camel, Spelling::Snake])),
                },
            };
            if canonical.insert(name.clone(), v).is_some() {
                return Err(Error::validation(label, format!("option '{key}' given twice")));
            }
            written.push((name, key.clone()));
        }
        let as_written = |field: &str| written.iter().find(|(name, _)| name == field).map(|(_, key)| key.clone());
        TaskSpec::read(&Value::Object(canonical), label, Spelling::Snake, &as_written)
    }

    /// Reads a spec as a binding passes it: a string (the task text) or an object of the task
    /// text (`task`, or `task_details` / `taskDetails`), `id`, and the options of a task and a
    /// wait in `spelling` (`max_duration` and `timeout` in seconds in Python, `maxDuration` and
    /// `timeoutMs` in Node). `label` names the input in errors (`tasks[3]`).
    pub(crate) fn from_spelled(value: &Value, label: &str, spelling: Spelling) -> Result<TaskSpec> {
        TaskSpec::read(value, label, spelling, &|_| None)
    }

    /// [`TaskSpec::from_spelled`], with `as_written` giving the caller's own key for a field
    /// `spelling` spells otherwise (a file's keys come in either spelling), so that errors name
    /// each key as the caller wrote it.
    fn read(
        value: &Value,
        label: &str,
        spelling: Spelling,
        as_written: &dyn Fn(&str) -> Option<String>,
    ) -> Result<TaskSpec> {
        let bad = |reason: String| Error::validation(label, reason);
        let named = |field: &str| as_written(field).unwrap_or_else(|| field.to_owned());
        let details = spelling.spell("task_details");
        let text_only;
        let object = match value {
            Value::String(_) => {
                text_only = Map::from_iter([(details.clone(), value.clone())]);
                &text_only
            }
            Value::Object(object) => object,
            other => return Err(bad(format!("a task must be a string or an object, got {}", kind(other)))),
        };
        let task_fields: Vec<String> = OptionsKind::Task
            .fields()
            .iter()
            .filter(|f| !NOT_IN_SPECS.contains(f))
            .map(|f| spelling.spell(f))
            .collect();
        let wait_fields = OptionsKind::Wait.spelled_fields(spelling);
        let (mut task, mut wait, mut id) = (Map::new(), Map::new(), None);
        for (key, v) in object {
            match key.as_str() {
                "id" => id = Some(v),
                "task" if object.contains_key(&details) => {
                    return Err(bad(format!("give 'task' or '{}', not both", named(&details))));
                }
                "task" => _ = task.insert(details.clone(), v.clone()),
                k if task_fields.iter().any(|f| f == k) => _ = task.insert(key.clone(), v.clone()),
                k if wait_fields.iter().any(|f| f == k) => _ = wait.insert(key.clone(), v.clone()),
                _ => return Err(unknown_key(label, key, &[spelling])),
            }
        }
        if !task.contains_key(&details) {
            return Err(bad("missing 'task' (the task text)".to_owned()));
        }
        let in_label = |err: OptionsError| Error::validation(label, format!("{} {}", named(&err.field), err.reason));
        let task = parse::task_options(Value::Object(task), spelling).map_err(in_label)?;
        let wait = parse::wait_options(Value::Object(wait), spelling).map_err(in_label)?;
        if wait.timeout.is_some_and(|t| t.is_zero()) {
            return Err(bad(format!("{} must be positive", named(&spelling.spell("timeout")))));
        }
        let id = match id {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(other) => return Err(bad(format!("'id' must be a string or a number, got {}", kind(other)))),
        };
        let session = SessionOptions {
            task_details: None,
            max_duration: task.max_duration,
            max_input_tokens: task.max_input_tokens,
            max_output_tokens: task.max_output_tokens,
            starting_url: task.starting_url.clone(),
            avoid_domains: task.avoid_domains.clone(),
            terminate_on_completion: None,
            live_events: None,
        };
        let WaitOptions { timeout, max_cost } = *wait;
        Ok(TaskSpec {
            task_details: task.task_details.clone(),
            session,
            task: task.into_inner(),
            id,
            max_cost,
            timeout,
        })
    }

    /// Checks the spec with the SDK's own rules; the error names `label` and the option.
    pub fn checked(self, label: &str) -> Result<TaskSpec> {
        let relabel = |e: Error| match e {
            Error::Validation { field, reason } => Error::validation(label, format!("{field} {reason}")),
            other => other,
        };
        self.task.validate().map_err(relabel)?;
        self.wait_options().validate().map_err(relabel)?;
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

/// The canonical fields a spec takes: a task's (but those the batch owns) and a wait's.
fn spec_fields() -> Vec<&'static str> {
    let task = OptionsKind::Task.fields().iter().filter(|f| !NOT_IN_SPECS.contains(f));
    task.chain(OptionsKind::Wait.fields()).copied().collect()
}

/// The refusal of a key no spec takes, named as written, with the nearest known key in the
/// spellings a spec may use (the first one's listed).
fn unknown_key(label: &str, key: &str, spellings: &[Spelling]) -> Error {
    let spelled = |s: Spelling| spec_fields().into_iter().map(move |f| s.spell(f));
    let known: Vec<String> = ["task".to_owned(), "id".to_owned()].into_iter().chain(spelled(spellings[0])).collect();
    // Candidates in the spelling the key looks like first, so `max_cots` meets `max_cost`.
    let mut candidates: Vec<String> = spellings.iter().flat_map(|s| spelled(*s)).collect();
    candidates.sort_by_key(|c| c.contains('_') != key.contains('_'));
    let hint = suggest::did_you_mean(key, known[..2].iter().chain(&candidates).map(String::as_str));
    Error::validation(label, format!("unknown option '{key}'{hint} (known: {})", known.join(", ")))
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

/// Reads a list of specs (`tasks`, a JSON array, in a binding's `spelling`), each labelled
/// `tasks[i]`. With `skip_invalid` a bad entry is kept as its error (reported as a `skipped`
/// item); otherwise the first bad entry is the error, before anything is sent.
#[cfg(feature = "binding")]
pub fn specs_from_value(tasks: &Value, skip_invalid: bool, spelling: Spelling) -> Result<Vec<Result<TaskSpec>>> {
    let Value::Array(items) = tasks else {
        return Err(Error::validation("tasks", "must be a list of tasks"));
    };
    let mut specs = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match TaskSpec::from_spelled(item, &format!("tasks[{i}]"), spelling) {
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
        assert!(err(json!({"task": "t", "maxCost": -1})).contains("line 4: maxCost must be"));
        assert!(err(json!({"task": "t", "max_cost": -1})).contains("line 4: max_cost must be"));
        assert!(err(json!({"task": "t", "timeoutMs": "5"})).contains("line 4: timeoutMs invalid type"));
        assert!(err(json!({"task": "t", "timeoutMs": 0})).contains("line 4: timeoutMs must be positive"));
        assert!(err(json!(3)).contains("string or an object"));
    }

    #[test]
    fn an_unknown_key_is_named_as_written_with_the_nearest_known_one() {
        let err = |v: Value| TaskSpec::from_value(&v, "line 2").unwrap_err().to_string();
        let message = err(json!({"task": "t", "maxCots": 1}));
        assert!(
            message.starts_with("invalid line 2: unknown option 'maxCots'; did you mean `maxCost`? (known: task, id, "),
            "{message}"
        );
        assert!(err(json!({"task": "t", "max_cots": 1})).contains("'max_cots'; did you mean `max_cost`?"));
        assert!(err(json!({"task": "t", "startingURL": "x"})).contains("did you mean `startingUrl`?"));
        assert!(!err(json!({"task": "t", "colour": 1})).contains("did you mean"), "a far key gets no guess");
        // A binding's own spelling: the other one's key is unknown, the suggestion in its own.
        let node = TaskSpec::from_spelled(&json!({"task": "t", "max_duration": 5}), "tasks[0]", Spelling::Camel);
        let message = node.unwrap_err().to_string();
        assert!(message.contains("unknown option 'max_duration'; did you mean `maxDuration`?"), "{message}");
        let python = TaskSpec::from_spelled(&json!({"task": "t", "maxCost": 1}), "tasks[0]", Spelling::Snake);
        assert!(python.unwrap_err().to_string().contains("unknown option 'maxCost'; did you mean `max_cost`?"));
    }
}
