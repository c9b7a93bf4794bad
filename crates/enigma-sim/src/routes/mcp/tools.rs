//! The six documented MCP tools: their arguments (what `tools/list` shows as JSON Schema) and
//! the check of a call's arguments, which names the argument at fault before anything is done.

use serde_json::{Map, Value, json};

use crate::errors::ApiError;

/// The type of one argument.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// A non-empty string.
    Text,
    /// A number (`maxDuration`, ms).
    Number,
    Flag,
    OneOf(&'static [&'static str]),
}

/// One argument of a tool.
#[derive(Debug)]
pub(crate) struct Arg {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub about: &'static str,
}

/// One tool.
#[derive(Debug)]
pub(crate) struct ToolSpec {
    pub name: &'static str,
    pub about: &'static str,
    pub args: &'static [Arg],
}

const fn arg(name: &'static str, kind: Kind, required: bool, about: &'static str) -> Arg {
    Arg { name, kind, required, about }
}

const TASK: Arg = arg("taskDetails", Kind::Text, true, "What the agent should do, in plain words.");
const STARTING_URL: Arg = arg("startingUrl", Kind::Text, false, "The http(s) URL the browser opens first.");
const MAX_DURATION: Arg =
    arg("maxDuration", Kind::Number, false, "How long the session may live, ms (1000 to 300000; default 300000).");
const SESSION: Arg = arg("sessionId", Kind::Text, true, "The session's id (from create_session).");

/// The tools, in the documented order.
pub(crate) const TOOLS: &[ToolSpec] = &[
    ToolSpec {
        name: "browser_task",
        about: "Run one task in a new browser session that ends after it (like POST /start/run-task).",
        args: &[TASK, STARTING_URL, MAX_DURATION],
    },
    ToolSpec {
        name: "create_session",
        about: "Open a browser session, with an initial task (like POST /start/start-session).",
        args: &[
            arg("taskDetails", Kind::Text, false, "An initial task that starts at once."),
            STARTING_URL,
            MAX_DURATION,
        ],
    },
    ToolSpec {
        name: "send_task_to_session",
        about: "Send a new task to an open session (a newTask message).",
        args: &[
            SESSION,
            TASK,
            arg("terminateOnCompletion", Kind::Flag, false, "End the session after this task (default false)."),
        ],
    },
    ToolSpec {
        name: "get_task_status",
        about: "The status or result of a task (like GET /task/:sessionId/:taskId).",
        args: &[SESSION, arg("taskId", Kind::Text, true, "The task's id.")],
    },
    ToolSpec {
        name: "control_session",
        about: "Pause, resume or stop the current task, or terminate the session.",
        args: &[SESSION, arg("action", Kind::OneOf(&["pause", "resume", "stop", "terminate"]), true, "What to do.")],
    },
    ToolSpec {
        name: "take_over_session",
        about: "Take manual control of the browser (the agent pauses), or give it back.",
        args: &[SESSION, arg("action", Kind::OneOf(&["takeover", "release"]), true, "What to do.")],
    },
];

/// The tool of a name.
pub(crate) fn find(name: &str) -> Option<&'static ToolSpec> {
    TOOLS.iter().find(|t| t.name == name)
}

/// The JSON Schema of a tool's arguments.
pub(crate) fn schema(spec: &ToolSpec) -> Map<String, Value> {
    let mut properties = Map::new();
    for a in spec.args {
        let mut p = match a.kind {
            Kind::Text => json!({ "type": "string", "minLength": 1 }),
            Kind::Number => json!({ "type": "number", "minimum": 1000, "maximum": 300_000 }),
            Kind::Flag => json!({ "type": "boolean" }),
            Kind::OneOf(values) => json!({ "type": "string", "enum": values }),
        };
        p["description"] = json!(a.about);
        properties.insert(a.name.to_string(), p);
    }
    let required: Vec<&str> = spec.args.iter().filter(|a| a.required).map(|a| a.name).collect();
    let schema = json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    });
    match schema {
        Value::Object(map) => map,
        _ => unreachable!("built as an object"),
    }
}

/// Checks a call's arguments against the tool's: the error names the argument.
pub(crate) fn check(spec: &ToolSpec, args: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(unknown) = args.keys().find(|k| !spec.args.iter().any(|a| a.name == k.as_str())) {
        let known: Vec<&str> = spec.args.iter().map(|a| a.name).collect();
        return Err(ApiError::invalid_param(unknown, &format!("unknown argument (known: {})", known.join(", "))));
    }
    for a in spec.args {
        match (args.get(a.name), a.kind) {
            (None | Some(Value::Null), _) if a.required => {
                return Err(ApiError::missing_field(format!("Missing required argument '{}'", a.name)));
            }
            (None | Some(Value::Null), _) => {}
            (Some(Value::String(s)), Kind::Text) if a.required && s.trim().is_empty() => {
                return Err(ApiError::missing_field(format!("Missing required argument '{}' (empty)", a.name)));
            }
            (Some(Value::String(_)), Kind::Text) | (Some(Value::Number(_)), Kind::Number) => {}
            (Some(Value::Bool(_)), Kind::Flag) => {}
            (Some(Value::String(s)), Kind::OneOf(values)) if values.contains(&s.as_str()) => {}
            (Some(_), Kind::OneOf(values)) => {
                return Err(ApiError::invalid_param(a.name, &format!("must be one of {}", values.join(", "))));
            }
            (Some(_), kind) => {
                let expected = match kind {
                    Kind::Text => "a string",
                    Kind::Number => "a number",
                    _ => "a boolean",
                };
                return Err(ApiError::invalid_param(a.name, &format!("must be {expected}")));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn errors_name_the_argument() {
        let tool = find("browser_task").unwrap();
        let missing = check(tool, &args(json!({}))).unwrap_err();
        assert!(missing.message.contains("'taskDetails'"), "{}", missing.message);
        let typed = check(tool, &args(json!({"taskDetails": "x", "maxDuration": "long"}))).unwrap_err();
        assert!(typed.message.contains("'maxDuration'"), "{}", typed.message);
        let action = check(find("control_session").unwrap(), &args(json!({"sessionId": "s", "action": "explode"})));
        assert!(action.unwrap_err().message.contains("'action'"));
        assert!(check(tool, &args(json!({"taskDetails": "x", "maxDuration": 5000}))).is_ok());
    }

    #[test]
    fn the_schema_lists_every_argument_and_the_required_ones() {
        for tool in TOOLS {
            let schema = schema(tool);
            assert_eq!(schema["properties"].as_object().unwrap().len(), tool.args.len());
            let required = schema["required"].as_array().unwrap().len();
            assert_eq!(required, tool.args.iter().filter(|a| a.required).count());
        }
        let names: Vec<&str> = TOOLS.iter().map(|t| t.name).collect();
        assert_eq!(names, crate::mcp_stats::MCP_TOOLS);
    }
}
