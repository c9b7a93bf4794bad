//! A picture of a run: the [`Timeline`] model read from a session recording, a batch journal,
//! a live session's own log, a result or a batch's items, and its HTML (`enigma report`, the
//! notebook's `_repr_html_`). One model and one renderer, so the CLI and the bindings show the
//! same thing.
//!
//! The timeline sits over the handles and the batch (it reads both) and nothing imports it
//! but the crate root.

mod html;
mod journal;
mod model;
mod records;
mod session;

use std::path::Path;

use serde_json::Value;

pub use model::{CommandLine, Mark, MarkKind, SpendPoint, TaskBar, Timeline};

use crate::batch::BatchItem;
use crate::model::error::{Error, Result};
use crate::model::result::TaskResult;
use records::Builder;

/// The first line of a session recording names this format.
pub const RECORDING_FORMAT: &str = "enigma-recording";

impl Timeline {
    /// Reads a file: a session recording (`ENIGMA_RECORD`) or a batch journal (`--journal`),
    /// told apart by their first line.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Timeline> {
        let path = path.as_ref();
        let content = std::fs::read_to_string(path)
            .map_err(|e| Error::validation("file", format!("cannot read {}: {e}", path.display())))?;
        let first: Option<Value> = content.lines().next().and_then(|line| serde_json::from_str(line).ok());
        let is =
            |key: &str, value: &str| first.as_ref().and_then(|f| f.get(key)).and_then(Value::as_str) == Some(value);
        if is("journal", journal::JOURNAL_HEADER) {
            Timeline::from_journal(&content)
        } else if is("format", RECORDING_FORMAT) {
            Timeline::from_recording(&content)
        } else {
            Err(Error::validation(
                "file",
                format!(
                    "{} is neither a session recording (first line {{\"type\":\"header\",\"format\":\"{RECORDING_FORMAT}\",..}}) \
                     nor a batch journal (first line {{\"journal\":\"{}\",..}})",
                    path.display(),
                    journal::JOURNAL_HEADER
                ),
            ))
        }
    }

    /// Reads a session recording's text (one JSON record a line, `docs/recording.md`). A torn
    /// last line (an interrupted write) is passed over; any other bad line is an error naming it.
    pub fn from_recording(text: &str) -> Result<Timeline> {
        let mut builder = Builder::new("recording");
        let count = text.lines().count();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Value>(line) {
                Ok(record) if number == 0 && record.get("format").and_then(Value::as_str) != Some(RECORDING_FORMAT) => {
                    return Err(Error::validation("recording", "line 1 is not an enigma-recording header"));
                }
                Ok(record) => builder.record(&record),
                Err(_) if number + 1 == count && number > 0 => break,
                Err(e) => {
                    return Err(Error::validation("recording", format!("line {} is not JSON: {e}", number + 1)));
                }
            }
        }
        Ok(builder.finish())
    }

    /// Reads a batch journal's text: a bar per task that ended, grouped by session, and the
    /// spend against the budget its header names.
    pub fn from_journal(text: &str) -> Result<Timeline> {
        journal::from_journal(text)
    }

    /// A batch's items (as they ended), with its budget.
    pub fn from_batch_items(items: &[BatchItem], budget: Option<f64>) -> Timeline {
        journal::from_batch_items(items, budget)
    }

    /// One task's result: a bar as long as the task took, its outcome and cost.
    pub fn from_result(result: &TaskResult) -> Timeline {
        let took = result.usage.completion_time.or(result.usage.compute_time).unwrap_or(0.0).max(0.0);
        let item_outcome = result.outcome.as_str();
        let said = match (&result.message, &result.question) {
            (_, Some(question)) if item_outcome == "guardrail" => question.clone(),
            (Some(message), _) => format!("{item_outcome}: {message}"),
            _ => item_outcome.to_owned(),
        };
        let kind = if item_outcome == "guardrail" { MarkKind::Guardrail } else { MarkKind::Outcome };
        Timeline {
            title: format!("Task {}", result.task_id),
            source: "result".into(),
            started_at: None,
            duration: took,
            tasks: vec![TaskBar {
                id: Some(result.task_id.clone()),
                session_id: Some(result.session_id.clone()),
                text: result.task_id.clone(),
                start: 0.0,
                end: Some(took),
                outcome: item_outcome.to_owned(),
                cost: result.usage.cost,
                marks: vec![Mark { t: took, kind, text: said }],
            }],
            marks: Vec::new(),
            commands: Vec::new(),
            spend: result.usage.cost.map(|usd| SpendPoint { t: took, usd }).into_iter().collect(),
            budget: None,
        }
    }

    /// The picture as a whole HTML page, self-contained (no script, nothing fetched): what
    /// `enigma report FILE --html OUT` writes.
    pub fn to_html_page(&self) -> String {
        html::page(self)
    }

    /// The picture as an HTML fragment with its own style: what a notebook shows inline.
    pub fn to_html(&self) -> String {
        html::fragment(self)
    }
}

#[cfg(test)]
mod tests;
