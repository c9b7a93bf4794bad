//! The `#sim` directives that script the simulated agent from inside `taskDetails`.
//!
//! A directive is the part of a line that starts with `#sim`, followed by `key=value` pairs;
//! values containing spaces go in double quotes (`\"` escapes a quote). The directive text is
//! removed from the task text the agent talks about.

/// Names of every directive key, for error messages and docs.
pub(crate) const KNOWN_KEYS: &[&str] =
    &["duration", "steps", "cost", "tokens", "message", "guardrail", "fail", "instance", "end"];

/// What happens to the task's browser instance (`#sim instance=flaky|lost`).
///
/// Halfway through the task's work the instance disconnects (`instance:disconnected` on the
/// socket) and the agent's progress freezes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceBehaviour {
    /// The instance comes back shortly after (`instance:reconnected`, 2 simulated seconds or
    /// half the grace period, whichever is shorter) and the task then completes normally.
    Flaky,
    /// The instance never comes back: after the grace period the session fails
    /// (`end_session` reason `instance_lost`) and its running task becomes `terminated`.
    Lost,
}

/// The script of one simulated task.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TaskScript {
    /// The task text with directives removed.
    pub text: String,
    /// Simulated seconds of agent work.
    pub duration: f64,
    /// Number of steps (each: thought, action, response update).
    pub steps: u32,
    /// Total cost in USD at completion.
    pub cost: f64,
    /// Total tokens at completion.
    pub tokens: u64,
    /// Final message; default `Completed: <task>`.
    pub message: Option<String>,
    /// A question the agent asks after its first step.
    pub guardrail: Option<String>,
    /// A failure code the task fails with after its first step.
    pub fail: Option<String>,
    /// Instance behaviour.
    pub instance: Option<InstanceBehaviour>,
    /// `end=completed`: the session ends with reason `completed` once this task ends.
    pub end_completed: bool,
}

impl TaskScript {
    /// The final message of a completed task.
    pub(crate) fn final_message(&self) -> String {
        match &self.message {
            Some(m) => m.clone(),
            None => format!("Completed: {}", self.text),
        }
    }
}

/// Parses `taskDetails` into a script; the error text is meant for the user (400 INVALID_TASK_DETAILS).
pub(crate) fn parse(task_details: &str) -> Result<TaskScript, String> {
    let mut script = TaskScript {
        text: String::new(),
        duration: 3.0,
        steps: 3,
        cost: 0.01,
        tokens: 1500,
        message: None,
        guardrail: None,
        fail: None,
        instance: None,
        end_completed: false,
    };
    let mut lines = Vec::new();
    for line in task_details.lines() {
        match find_directive(line) {
            Some(pos) => {
                let before = line[..pos].trim_end();
                if !before.is_empty() {
                    lines.push(before.to_string());
                }
                for (key, value) in tokenize(&line[pos + 4..])? {
                    apply(&mut script, &key, &value)?;
                }
            }
            None => lines.push(line.to_string()),
        }
    }
    script.text = lines.join("\n").trim().to_string();
    if script.text.is_empty() {
        script.text = "the task".to_string();
    }
    Ok(script)
}

/// Byte position of a `#sim` that starts a line or follows whitespace and is followed by
/// whitespace or the end of the line.
fn find_directive(line: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = line[from..].find("#sim") {
        let pos = from + rel;
        let before_ok = pos == 0 || line[..pos].ends_with(char::is_whitespace);
        let after = &line[pos + 4..];
        let after_ok = after.is_empty() || after.starts_with(char::is_whitespace);
        if before_ok && after_ok {
            return Some(pos);
        }
        from = pos + 4;
    }
    None
}

/// Splits `key=value key="quoted value"` into pairs.
fn tokenize(input: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!(
                "Invalid #sim directive '{key}': expected key=value (known keys: {})",
                KNOWN_KEYS.join(", ")
            ));
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&'"') => {
                        value.push('"');
                        chars.next();
                    }
                    '"' => {
                        closed = true;
                        break;
                    }
                    other => value.push(other),
                }
            }
            if !closed {
                return Err(format!("Invalid #sim directive {key}: unterminated quoted value"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        pairs.push((key, value));
    }
}

fn apply(script: &mut TaskScript, key: &str, value: &str) -> Result<(), String> {
    let bad = |what: &str| format!("Invalid #sim directive {key}={value}: {what}");
    match key {
        "duration" => {
            let v: f64 = value.parse().map_err(|_| bad("expected a number of seconds"))?;
            if !(v.is_finite() && v > 0.0 && v <= 86_400.0) {
                return Err(bad("must be more than 0 and at most 86400 seconds"));
            }
            script.duration = v;
        }
        "steps" => {
            let v: u32 = value.parse().map_err(|_| bad("expected a whole number"))?;
            if !(1..=1000).contains(&v) {
                return Err(bad("must be between 1 and 1000"));
            }
            script.steps = v;
        }
        "cost" => {
            let v: f64 = value.parse().map_err(|_| bad("expected a number of USD"))?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad("must be 0 or more"));
            }
            script.cost = v;
        }
        "tokens" => {
            script.tokens = value.parse().map_err(|_| bad("expected a whole number"))?;
        }
        "message" => script.message = Some(value.to_string()),
        "guardrail" => {
            if value.trim().is_empty() {
                return Err(bad("the question must not be empty"));
            }
            script.guardrail = Some(value.to_string());
        }
        "fail" => {
            let ok =
                !value.is_empty() && value.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if !ok {
                return Err(bad("expected an error code like NAVIGATION_TIMEOUT"));
            }
            script.fail = Some(value.to_string());
        }
        "instance" => {
            script.instance = Some(match value {
                "flaky" => InstanceBehaviour::Flaky,
                "lost" => InstanceBehaviour::Lost,
                _ => return Err(bad("expected flaky or lost")),
            });
        }
        "end" => {
            if value != "completed" {
                return Err(bad("expected completed"));
            }
            script.end_completed = true;
        }
        _ => {
            return Err(format!("Unknown #sim directive '{key}' (known: {})", KNOWN_KEYS.join(", ")));
        }
    }
    Ok(())
}

/// A readable error text for a failure code.
pub(crate) fn failure_text(code: &str) -> String {
    match code {
        "NAVIGATION_TIMEOUT" => "Navigation timed out: the page did not load within 30 seconds".into(),
        "ELEMENT_NOT_FOUND" => "Element not found: the agent could not find the element it needed".into(),
        "PAGE_CRASH" => "The page crashed while the agent was working on it".into(),
        "TASK_TIMEOUT" => "Task timed out: it exceeded its maximum duration".into(),
        "SESSION_EXPIRED" => "The session expired while the task was running".into(),
        other => format!("Task failed ({other})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_directive() {
        let s = parse("Go to amazon.com").unwrap();
        assert_eq!(s.text, "Go to amazon.com");
        assert_eq!(s.duration, 3.0);
        assert_eq!(s.steps, 3);
        assert_eq!(s.final_message(), "Completed: Go to amazon.com");
    }

    #[test]
    fn parses_and_strips() {
        let s =
            parse("Find shoes #sim duration=1.5 steps=2 message=\"Found 3 \\\"shoes\\\"\" fail=PAGE_CRASH\nthen stop")
                .unwrap();
        assert_eq!(s.text, "Find shoes\nthen stop");
        assert_eq!(s.duration, 1.5);
        assert_eq!(s.steps, 2);
        assert_eq!(s.message.as_deref(), Some("Found 3 \"shoes\""));
        assert_eq!(s.fail.as_deref(), Some("PAGE_CRASH"));
    }

    #[test]
    fn guardrail_and_instance() {
        let s = parse("#sim guardrail=\"Which size?\" instance=lost cost=0.5 tokens=100").unwrap();
        assert_eq!(s.guardrail.as_deref(), Some("Which size?"));
        assert_eq!(s.instance, Some(InstanceBehaviour::Lost));
        assert_eq!(s.cost, 0.5);
        assert_eq!(s.tokens, 100);
        assert_eq!(s.text, "the task");
        assert!(!s.end_completed);
    }

    #[test]
    fn end_completed() {
        assert!(parse("x #sim end=completed").unwrap().end_completed);
        let e = parse("x #sim end=later").unwrap_err();
        assert!(e.contains("end=later"), "{e}");
    }

    #[test]
    fn unknown_key_is_named() {
        let e = parse("x #sim speed=3").unwrap_err();
        assert!(e.contains("'speed'"), "{e}");
        assert!(parse("x #sim duration=abc").is_err());
        assert!(parse("x #sim steps=0").is_err());
        assert!(parse("x #sim message=\"open").is_err());
    }

    #[test]
    fn hashtag_inside_words_is_text() {
        let s = parse("search #simulation games").unwrap();
        assert_eq!(s.text, "search #simulation games");
    }
}
