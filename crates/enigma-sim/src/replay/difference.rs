//! What a request is, in a few words (`POST /start/send-message state:terminate`), and the first
//! difference between the request a recording expects and the one that came.

use serde_json::Value;

/// A request that changes something: a POST, or a command over the socket.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Write {
    Post { path: String, body: Value },
    Command { message: Value },
}

impl Write {
    /// The message object of a send-message or a socket command: the two are one command,
    /// whichever way it went (a run sends over the socket when it is up, else over REST).
    fn message(&self) -> Option<&Value> {
        match self {
            Write::Post { path, body } if path == "/start/send-message" => body.get("message"),
            Write::Post { .. } => None,
            Write::Command { message } => Some(message),
        }
    }

    /// Whether `got` does what this recorded write did.
    pub(crate) fn matches(&self, got: &Write) -> bool {
        match (self.message(), got.message()) {
            (Some(a), Some(b)) => a == b,
            _ => self == got,
        }
    }

    /// Whether this ends the session (`state:terminate`, over REST or the socket).
    pub(crate) fn is_terminate(&self) -> bool {
        self.message().is_some_and(|m| m["actionType"] == "state" && m["newState"] == "terminate")
    }

    /// Whether this answers a guardrail question (`actionType: guardrail`).
    pub(crate) fn is_guardrail_answer(&self) -> bool {
        self.message().is_some_and(|m| m["actionType"] == "guardrail")
    }

    /// `POST /start/send-message newTask`, `socket message state:pause`...
    pub(crate) fn gist(&self) -> String {
        let what = self.message().map(message_gist);
        match (self, what) {
            (Write::Post { path, .. }, Some(what)) => format!("POST {path} {what}"),
            (Write::Post { path, .. }, None) => format!("POST {path}"),
            (Write::Command { .. }, what) => format!("socket message {}", what.unwrap_or_default()),
        }
    }

    fn body(&self) -> &Value {
        match (self.message(), self) {
            (Some(message), _) => message,
            (None, Write::Post { body, .. }) => body,
            (None, Write::Command { message }) => message,
        }
    }
}

/// `newTask`, `state:pause`, `interaction:CLICK`, `guardrail:resume`.
fn message_gist(message: &Value) -> String {
    let action = message["actionType"].as_str().unwrap_or("?");
    let detail = match action {
        "state" | "guardrail" => message["newState"].as_str(),
        "interaction" => message["action"]["type"].as_str(),
        _ => None,
    };
    detail.map_or(action.to_owned(), |d| format!("{action}:{d}"))
}

/// `expected POST /start/send-message state:terminate, got POST /start/send-message newTask`;
/// when both are the same kind of request, the first field that differs is named.
pub(crate) fn describe(expected: &Write, got: &Write) -> String {
    let (e, g) = (expected.gist(), got.gist());
    if e != g {
        return format!("expected {e}, got {g}");
    }
    match first_difference(expected.body(), got.body(), String::new()) {
        Some((field, want, have)) => format!("expected {e} with {field} = {want}, got {have}"),
        None => format!("expected {e}, got {g}"),
    }
}

/// The path of the first field that differs, with both values.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<(String, String, String)> {
    let field = |key: &str| if at.is_empty() { key.to_owned() } else { format!("{at}.{key}") };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => first_difference(p, q, field(k)),
                (p, q) if p != q => Some((field(k), shown(p), shown(q))),
                _ => None,
            })
        }
        _ if a != b => Some((if at.is_empty() { "body".into() } else { at }, a.to_string(), b.to_string())),
        _ => None,
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or("(absent)".to_owned(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(m: Value) -> Write {
        Write::Post { path: "/start/send-message".into(), body: json!({"sessionId": "s", "message": m}) }
    }

    #[test]
    fn the_first_difference_is_named() {
        let terminate = message(json!({"actionType": "state", "newState": "terminate"}));
        let task = message(json!({"actionType": "newTask", "newState": "start", "taskDetails": "B"}));
        assert_eq!(
            describe(&terminate, &task),
            "expected POST /start/send-message state:terminate, got POST /start/send-message newTask"
        );
        let other = message(json!({"actionType": "newTask", "newState": "start", "taskDetails": "C"}));
        assert_eq!(
            describe(&task, &other),
            "expected POST /start/send-message newTask with taskDetails = \"B\", got \"C\""
        );
    }

    #[test]
    fn a_command_matches_the_same_message_over_rest() {
        let pause = json!({"actionType": "state", "newState": "pause"});
        assert!(Write::Command { message: pause.clone() }.matches(&message(pause.clone())));
        assert!(
            !Write::Command { message: pause }.matches(&message(json!({"actionType": "state", "newState": "resume"})))
        );
    }
}
