//! What `enigma batch` writes: the `--out` lines, the live progress bar, the final table.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use enigma::{BatchItem, BatchProgress, BatchSummary, Error, RateLimitWait};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use crate::progress::spend_text;

/// The `--out` file, appended to: one JSON line per task as it ends.
pub struct OutFile(File);

impl OutFile {
    pub fn open(path: &Path) -> Result<OutFile, Error> {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map(OutFile)
            .map_err(|e| crate::batch_input::invalid("out", format!("cannot open {}: {e}", path.display())))
    }

    /// Writes the task's line (flushed: a reader sees each task as it ends).
    pub fn write(&mut self, item: &BatchItem, line: usize) -> Result<(), Error> {
        let record = json!({
            "line": line,
            "index": item.index,
            "id": item.id,
            "outcome": item.outcome,
            "message": item.message,
            "question": item.question,
            "usage": item.usage,
            "errorCode": item.error.as_ref().map(|e| e.code.as_str()),
            "serverCode": item.error.as_ref().and_then(|e| e.server_code.as_deref()),
            "error": item.error.as_ref().map(|e| e.message.as_str()),
            "sessionId": item.session_id,
            "taskId": item.task_id,
            "reattached": item.reattached,
            "durationSecs": item.timings.duration_secs,
        });
        // In the CLI's one JSON style (camelCase, the `usage` inside too).
        let record = crate::output::camel(&record);
        writeln!(self.0, "{record}")
            .and_then(|()| self.0.flush())
            .map_err(|e| crate::batch_input::invalid("out", format!("cannot write: {e}")))
    }
}

/// The task indexes an existing out file already has a line for (none when it does not exist).
pub fn indexes_in(path: &Path) -> std::collections::HashSet<usize> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["index"].as_u64().map(|i| i as usize))
        .collect()
}

/// The live display on stderr, redrawn in place: a bar with done / running / failed / queued,
/// the running spend against the budget, an ETA, and any wait for the rate limit; nothing of it
/// when stderr is not a terminal or in JSON mode (notes, and each wait for the rate limit, then
/// print as plain lines; in JSON mode the waits say nothing).
pub struct Display(Option<ProgressBar>, bool);

impl Display {
    pub fn new(quiet: bool, todo: usize) -> Display {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(todo as u64);
            let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} eta {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Display(bar, quiet)
    }

    pub fn update(&self, progress: &BatchProgress) {
        let Some(bar) = &self.0 else { return };
        bar.set_position(progress.done as u64);
        let mut message = status_message(progress);
        // While the key's rate limit holds the batch, say so first, counting down.
        if let Some(wait) = &progress.rate_limit_wait {
            message = format!("{} · {message}", wait.text_at(std::time::SystemTime::now()));
        }
        bar.set_message(message);
    }

    /// A wait for the rate limit began: the bar says so (see `update`); without a bar, a line.
    pub fn rate_limit(&self, wait: &RateLimitWait) {
        if self.0.is_none() && !self.1 {
            eprintln!("{}", wait.message);
        }
    }

    pub fn note(&self, line: &str) {
        match &self.0 {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

/// The status line's text after the bar: the tasks by state, then the spend so far (ended
/// tasks and the running ones' usage) against the `--budget`:
/// `done 3 · running 2 · failed 0 · queued 5 · $0.420 of $2.00 budget`.
pub fn status_message(progress: &BatchProgress) -> String {
    let spend = spend_text(Some(progress.spent), progress.budget.map(|b| (b, "budget")));
    format!(
        "done {} · running {} · failed {} · queued {} · {spend}",
        progress.done, progress.running, progress.failed, progress.queued
    )
}

/// The final table (text) or the summary as JSON.
pub fn summary(summary: &BatchSummary, skipped_lines: &[String], json: bool) {
    if json {
        crate::output::print_json(&json!({ "summary": summary, "skippedLines": skipped_lines }));
        return;
    }
    println!("{:<22}{:>8}", "outcome", "tasks");
    for (outcome, count) in &summary.outcomes {
        println!("{outcome:<22}{count:>8}");
    }
    let rows = [
        ("previously done", summary.previously_done),
        ("not started", summary.not_started),
        ("cancelled", summary.cancelled),
    ];
    for (label, count) in rows {
        println!("{label:<22}{count:>8}");
    }
    println!("{:<22}{:>8}", "total", summary.total);
    match summary.budget {
        Some(budget) => println!("spent ${:.4} of ${budget:.2}{}", summary.spent, budget_note(summary)),
        None => println!("spent ${:.4}", summary.spent),
    }
    println!("wall time {:.1}s, concurrency at the end {}", summary.wall_secs, summary.concurrency_end);
    if let Some(line) = summary.journal_torn_line {
        println!("journal: its torn last line {line} (an interrupted write) was dropped");
    }
    for line in skipped_lines {
        println!("skipped {line}");
    }
}

/// What the budget did, as counted: tasks it stopped and tasks it kept from starting (a budget
/// reached by the last task's own end stopped nothing).
fn budget_note(summary: &BatchSummary) -> String {
    if !summary.budget_reached {
        return String::new();
    }
    let stopped = summary.outcomes.get("stopped").copied().unwrap_or(0);
    format!(" (budget reached: {stopped} stopped, {} not started)", summary.not_started)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(spent: f64, budget: Option<f64>) -> BatchProgress {
        BatchProgress { total: 10, done: 3, failed: 1, running: 2, queued: 5, spent, budget, ..Default::default() }
    }

    #[test]
    fn the_status_line_shows_the_running_spend_against_the_budget() {
        assert_eq!(
            status_message(&progress(0.42, Some(2.0))),
            "done 3 · running 2 · failed 1 · queued 5 · $0.420 of $2.00 budget"
        );
        assert_eq!(status_message(&progress(0.42, None)), "done 3 · running 2 · failed 1 · queued 5 · $0.420 spent");
    }
}
