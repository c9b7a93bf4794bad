//! Local validation: refuse what the input alone shows to be wrong, before anything is sent.
//! The options' public `validate` methods live here too, so that the option types stay plain
//! data and imports run one way (validate -> options, never back).

use std::time::Duration;

use super::checked::{Checked, Rules, WithTask};
use super::error::{Error, Result};
use super::message::Interaction;
use super::options::{RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};

/// Longest `max_duration` the service accepts (300 s).
pub const MAX_DURATION: Duration = Duration::from_secs(300);
/// Click coordinates address the whole browser window (contract §3.2).
pub const X_RANGE: std::ops::RangeInclusive<u32> = 0..=1024;
/// The browser chrome is 155 px tall; the 600 px viewport follows.
pub const Y_RANGE: std::ops::RangeInclusive<u32> = 155..=755;

impl SessionOptions {
    /// Checks the options as `start_session` does (with `task_required` as `run_task` does),
    /// without sending anything.
    pub fn validate(&self, task_required: bool) -> Result<()> {
        session_options(self, task_required)
    }
}

impl TaskOptions {
    /// Checks the options as `new_task` does, without sending anything.
    pub fn validate(&self) -> Result<()> {
        task_options(self)
    }
}

impl WaitOptions {
    /// Checks the options as `result` does, without sending anything.
    pub fn validate(&self) -> Result<()> {
        wait_options(self)
    }
}

// Each door's rules, once: what `IntoChecked` runs (and nothing else) before a handle acts.

impl Rules for SessionOptions {
    fn rules(&self) -> Result<()> {
        session_options(self, false)
    }
}

impl Rules<WithTask> for SessionOptions {
    fn rules(&self) -> Result<()> {
        session_options(self, true)
    }
}

impl Rules for TaskOptions {
    fn rules(&self) -> Result<()> {
        task_options(self)
    }
}

impl Rules for WaitOptions {
    fn rules(&self) -> Result<()> {
        wait_options(self)
    }
}

impl Rules for RunTaskOptions {
    fn rules(&self) -> Result<()> {
        session_options(&self.session, true)?;
        wait_options(&self.wait)
    }
}

impl Checked<RunTaskOptions> {
    /// The one-shot session's options and the wait's, each checked (they were, together).
    pub(crate) fn split(self) -> (Checked<SessionOptions, WithTask>, Checked<WaitOptions>) {
        let RunTaskOptions { session, wait } = self.into_inner();
        (Checked::assume(session), Checked::assume(wait))
    }
}

impl From<Checked<SessionOptions, WithTask>> for Checked<SessionOptions> {
    /// A session with its task passes the rules of any session.
    fn from(checked: Checked<SessionOptions, WithTask>) -> Self {
        Checked::assume(checked.into_inner())
    }
}

fn session_options(opts: &SessionOptions, task_required: bool) -> Result<()> {
    match &opts.task_details {
        Some(task) => task_details(task)?,
        None if task_required => return Err(Error::validation("task_details", "is required")),
        None => {}
    }
    limits(opts.max_duration, opts.max_input_tokens, opts.max_output_tokens)?;
    starting_url(opts.starting_url.as_deref())?;
    avoid_domains(opts.avoid_domains.as_deref())
}

fn task_options(opts: &TaskOptions) -> Result<()> {
    task_details(&opts.task_details)?;
    limits(opts.max_duration, opts.max_input_tokens, opts.max_output_tokens)?;
    starting_url(opts.starting_url.as_deref())?;
    avoid_domains(opts.avoid_domains.as_deref())
}

fn wait_options(opts: &WaitOptions) -> Result<()> {
    if let Some(cost) = opts.max_cost
        && !(cost.is_finite() && cost > 0.0)
    {
        return Err(Error::validation("max_cost", format!("must be a positive number of USD, got {cost}")));
    }
    Ok(())
}

pub(crate) fn interaction(action: &Interaction) -> Result<()> {
    match action {
        Interaction::Click { x, y } | Interaction::DoubleClick { x, y } => {
            if !X_RANGE.contains(x) {
                return Err(Error::validation("x", format!("must be within 0..=1024 (window coordinates), got {x}")));
            }
            if !Y_RANGE.contains(y) {
                return Err(Error::validation(
                    "y",
                    format!("must be within 155..=755 (the page starts below the 155 px browser chrome), got {y}"),
                ));
            }
        }
        Interaction::Type { text, .. } if text.is_empty() => {
            return Err(Error::validation("text", "must not be empty"));
        }
        Interaction::KeyPress { key } if key.trim().is_empty() => {
            return Err(Error::validation("key", "must not be empty (e.g. \"Enter\", \"Tab\" or one character)"));
        }
        _ => {}
    }
    Ok(())
}

pub(crate) fn guardrail_answer(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::validation("text", "the guardrail answer must not be empty"));
    }
    Ok(())
}

pub(crate) fn id(field: &str, id: &str) -> Result<()> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(Error::validation(field, format!("must be a non-empty alphanumeric id, got {id:?}")));
    }
    Ok(())
}

fn task_details(task: &str) -> Result<()> {
    if task.trim().is_empty() {
        return Err(Error::validation("task_details", "must not be empty"));
    }
    Ok(())
}

fn limits(max_duration: Option<Duration>, max_input: Option<u64>, max_output: Option<u64>) -> Result<()> {
    if let Some(limit) = max_duration {
        let ms = limit.as_millis();
        if limit.subsec_nanos() % 1_000_000 != 0 {
            return Err(Error::validation("max_duration", format!("must be whole milliseconds, got {limit:?}")));
        }
        if !(1..=MAX_DURATION.as_millis()).contains(&ms) {
            return Err(Error::validation("max_duration", format!("must be within 1..=300000 ms, got {ms}")));
        }
    }
    for (field, value) in [("max_input_tokens", max_input), ("max_output_tokens", max_output)] {
        if value == Some(0) {
            return Err(Error::validation(field, "must be positive"));
        }
    }
    Ok(())
}

fn starting_url(url: Option<&str>) -> Result<()> {
    let Some(url) = url else { return Ok(()) };
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => Ok(()),
        _ => Err(Error::validation("starting_url", format!("must be an http(s) URL, got {url:?}"))),
    }
}

fn avoid_domains(domains: Option<&[String]>) -> Result<()> {
    if domains.unwrap_or_default().iter().any(|d| d.trim().is_empty()) {
        return Err(Error::validation("avoid_domains", "must not contain empty domains"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(result: Result<()>) -> String {
        match result {
            Err(Error::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn refuses_bad_session_and_task_options() {
        assert_eq!(field(session_options(&SessionOptions::new(), true)), "task_details");
        assert_eq!(field(session_options(&SessionOptions::new().task_details("  "), false)), "task_details");
        let max_duration = |limit| SessionOptions::new().max_duration(limit);
        assert_eq!(field(session_options(&max_duration(Duration::ZERO), false)), "max_duration");
        assert_eq!(field(session_options(&max_duration(Duration::from_millis(300_001)), false)), "max_duration");
        assert_eq!(field(session_options(&max_duration(Duration::from_micros(1_500)), false)), "max_duration");
        assert!(session_options(&max_duration(MAX_DURATION), false).is_ok());
        assert_eq!(field(session_options(&SessionOptions::new().starting_url("ftp://x.com"), false)), "starting_url");
        assert_eq!(field(session_options(&SessionOptions::new().starting_url("amazon.com"), false)), "starting_url");
        assert!(session_options(&SessionOptions::new().starting_url("https://amazon.com"), false).is_ok());
        let tokens = SessionOptions { max_output_tokens: Some(0), ..SessionOptions::new() };
        assert_eq!(field(session_options(&tokens, false)), "max_output_tokens");
        assert_eq!(field(task_options(&TaskOptions::new(""))), "task_details");
        assert_eq!(
            field(task_options(&TaskOptions { max_input_tokens: Some(0), ..TaskOptions::new("x") })),
            "max_input_tokens"
        );
    }

    #[test]
    fn refuses_bad_interactions_and_waits() {
        assert_eq!(field(interaction(&Interaction::Click { x: 1025, y: 200 })), "x");
        assert_eq!(field(interaction(&Interaction::DoubleClick { x: 0, y: 154 })), "y");
        assert_eq!(field(interaction(&Interaction::Click { x: 0, y: 756 })), "y");
        assert!(interaction(&Interaction::Click { x: 1024, y: 755 }).is_ok());
        assert_eq!(field(interaction(&Interaction::Type { text: String::new(), human_like: None })), "text");
        assert_eq!(field(interaction(&Interaction::KeyPress { key: " ".into() })), "key");
        assert_eq!(field(wait_options(&WaitOptions::new().max_cost(-1.0))), "max_cost");
        assert_eq!(field(guardrail_answer("")), "text");
        assert_eq!(field(id("session_id", "a/b")), "session_id");
    }
}
