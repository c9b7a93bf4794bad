//! Reading a batch into a [`Timeline`]: its journal (`batch/journal.rs`) or its items. A bar
//! per task, grouped by the session that ran it, coloured by its outcome; the spend against
//! the budget.

use serde_json::Value;

use super::model::{Mark, MarkKind, SpendPoint, TaskBar, Timeline};
use crate::batch::{BatchItem, BatchOutcome};
use crate::model::error::{Error, Result};

/// The first line of a batch journal.
pub(crate) const JOURNAL_HEADER: &str = "enigma-batch-journal";

/// A journal's text: its `ended` records make the bars (the last record of a task wins, as
/// when a batch resumes from it); tasks sent and not ended are counted in a mark.
pub(crate) fn from_journal(text: &str) -> Result<Timeline> {
    let mut items: Vec<BatchItem> = Vec::new();
    let mut budget = None;
    let mut open = std::collections::BTreeSet::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Ok(record) = serde_json::from_str::<Value>(line) else {
            // A torn last line (an interrupted write) is what the runner drops too.
            if number + 1 == text.lines().count() {
                break;
            }
            return Err(Error::validation("journal", format!("line {} is not a journal record", number + 1)));
        };
        if record.get("journal").and_then(Value::as_str) == Some(JOURNAL_HEADER) {
            budget = record.get("budget").and_then(Value::as_f64);
            continue;
        }
        let Some(index) = record.get("i").and_then(Value::as_u64) else {
            return Err(Error::validation("journal", format!("line {} is not a journal record", number + 1)));
        };
        match record.get("event").and_then(Value::as_str) {
            Some("ended") => {
                let item: BatchItem = serde_json::from_value(record.get("item").cloned().unwrap_or(Value::Null))
                    .map_err(|e| Error::validation("journal", format!("line {}: {e}", number + 1)))?;
                items.retain(|earlier| earlier.index != item.index);
                open.remove(&index);
                items.push(item);
            }
            Some("sent" | "submitted") => {
                open.insert(index);
            }
            _ => {
                open.remove(&index);
            }
        }
    }
    let mut timeline = from_batch_items(&items, budget);
    timeline.source = "journal".into();
    timeline.title = "Batch journal".into();
    if !open.is_empty() {
        let t = timeline.duration;
        let text = format!("{} task(s) sent and not ended in the journal (a rerun re-attaches them)", open.len());
        timeline.marks.push(Mark { t, kind: MarkKind::Error, text });
    }
    Ok(timeline)
}

/// A batch's items, as they ended; `budget` in USD.
pub(crate) fn from_batch_items(items: &[BatchItem], budget: Option<f64>) -> Timeline {
    let mut items: Vec<&BatchItem> = items.iter().collect();
    items.sort_by_key(|item| (item.timings.started_at_ms, item.index));
    let timed = |ms: u64| ms > 0;
    let origin = items.iter().map(|i| i.timings.started_at_ms).filter(|ms| timed(*ms)).min().unwrap_or(0);
    let at = |ms: u64| if timed(ms) { ms.saturating_sub(origin) as f64 / 1000.0 } else { 0.0 };
    let mut timeline =
        Timeline { title: "Batch".into(), source: "batch".into(), budget, started_at: None, ..Timeline::default() };
    let mut ends: Vec<(f64, f64)> = Vec::new();
    for item in &items {
        let start = at(item.timings.started_at_ms);
        let end = if timed(item.timings.ended_at_ms) { at(item.timings.ended_at_ms) } else { start };
        let mut marks = Vec::new();
        let said = item.error.as_ref().map(|e| format!("{}: {}", e.code, e.message));
        let (kind, text) = match item.outcome {
            BatchOutcome::Completed => (MarkKind::Outcome, item.message.clone().map(|m| format!("completed: {m}"))),
            BatchOutcome::Guardrail => (MarkKind::Guardrail, item.question.clone()),
            BatchOutcome::Failed | BatchOutcome::Unknown => (MarkKind::Error, said),
            BatchOutcome::Stopped | BatchOutcome::Skipped => (MarkKind::Outcome, said),
        };
        marks.push(Mark { t: end, kind, text: text.unwrap_or_else(|| item.outcome.as_str().to_owned()) });
        let label = match &item.id {
            Some(id) => format!("#{} {id}", item.index),
            None => format!("#{}", item.index),
        };
        timeline.tasks.push(TaskBar {
            id: item.task_id.clone(),
            session_id: item.session_id.clone(),
            text: label,
            start,
            end: Some(end),
            outcome: item.outcome.as_str().to_owned(),
            cost: item.usage.cost,
            marks,
        });
        ends.push((end, item.cost()));
        timeline.duration = timeline.duration.max(end);
    }
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut usd = 0.0;
    for (t, cost) in ends {
        usd += cost;
        timeline.spend.push(SpendPoint { t, usd });
    }
    timeline
}
