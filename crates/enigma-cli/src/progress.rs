//! Progress while waiting. On a terminal: one status line on stderr, redrawn in place (state,
//! elapsed time, spend against the ceiling), with notes (the session, the agent's thoughts)
//! printed above it, and cleared before the result prints. Not on a terminal (a pipe, a file,
//! CI): the notes only, as plain timestamped lines; no status line, no carriage returns, no
//! escape codes. Clones share one display.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use enigma::TaskStatus;
use indicatif::{ProgressBar, ProgressState, ProgressStyle};

use crate::output::state_line;

/// What the status line shows besides the elapsed time: the latest state and spend.
struct Shown {
    state: String,
    cost: Option<f64>,
}

#[derive(Clone)]
pub struct Progress {
    spinner: Option<ProgressBar>,
    started: Instant,
    quiet: bool,
    shown: Arc<Mutex<Shown>>,
}

impl Progress {
    /// A display on stderr for a wait under `ceiling` (USD, the `--max-cost`); no output at
    /// all when `quiet` (JSON mode).
    pub fn new(quiet: bool, ceiling: Option<f64>) -> Progress {
        let started = Instant::now();
        let shown = Arc::new(Mutex::new(Shown { state: "starting".to_owned(), cost: None }));
        let spinner = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            let line = {
                let shown = shown.clone();
                // Drawn on every tick, so the elapsed time moves between two polls.
                move |_: &ProgressState, out: &mut dyn std::fmt::Write| {
                    let shown = shown.lock().unwrap_or_else(|e| e.into_inner());
                    let _ = out.write_str(&status_line(&shown.state, started.elapsed(), shown.cost, ceiling));
                }
            };
            let style = ProgressStyle::with_template("{spinner} {status}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner())
                .with_key("status", line);
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Progress { spinner, started, quiet, shown }
    }

    /// A one-off line (which session started, an agent thought), above the status line.
    pub fn note(&self, line: &str) {
        match &self.spinner {
            Some(bar) => bar.println(line),
            None if self.quiet => {}
            None => eprintln!("[{:>6.1}s] {line}", self.started.elapsed().as_secs_f64()),
        }
    }

    /// A status seen while waiting: its state and spend go on the status line (on a terminal).
    pub fn update(&self, status: &TaskStatus) {
        let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
        shown.state = state_line(&status.state);
        // A status without a cost keeps the last one seen: spend only grows.
        shown.cost = status.usage.cost.or(shown.cost);
    }

    /// Clears the status line, so the result or error prints on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.spinner {
            bar.finish_and_clear();
        }
    }
}

/// The status line: `running · 12.3 s · $0.042 of $0.10 ceiling`.
pub fn status_line(state: &str, elapsed: Duration, cost: Option<f64>, ceiling: Option<f64>) -> String {
    format!("{state} · {} · {}", elapsed_text(elapsed), spend_text(cost, ceiling.map(|c| (c, "ceiling"))))
}

/// Elapsed time: `12.3 s` under a minute, `2 min 05 s` after.
pub fn elapsed_text(elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    // What would round up to `60.0 s` reads as a minute.
    if secs < 59.95 {
        return format!("{secs:.1} s");
    }
    let whole = secs.round() as u64;
    format!("{} min {:02} s", whole / 60, whole % 60)
}

/// Spend so far against a limit named `what` (`ceiling`, `budget`): `$0.042 of $0.10 ceiling`,
/// `$0.042 spent` without a limit; before the service reported any cost, it says so.
pub fn spend_text(spent: Option<f64>, limit: Option<(f64, &str)>) -> String {
    let mut text = match spent {
        Some(spent) => format!("${spent:.3}"),
        None => "no spend reported yet".to_owned(),
    };
    match (spent, limit) {
        (Some(_), Some((limit, what))) => {
            let _ = write!(text, " of {} {what}", dollars(limit));
        }
        (None, Some((limit, what))) => {
            let _ = write!(text, " · {} {what}", dollars(limit));
        }
        (Some(_), None) => text.push_str(" spent"),
        (None, None) => {}
    }
    text
}

/// An amount in USD as a user wrote it: cents always, more digits only when it has them
/// (`$0.10`, `$2.00`, `$0.005`).
pub fn dollars(amount: f64) -> String {
    let text = format!("{amount:.4}");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, "00"));
    let mut fraction = fraction.trim_end_matches('0').to_owned();
    while fraction.len() < 2 {
        fraction.push('0');
    }
    format!("${whole}.{fraction}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_shows_state_elapsed_and_spend_against_the_ceiling() {
        let line = status_line("running", Duration::from_millis(12_345), Some(0.042), Some(0.10));
        assert_eq!(line, "running · 12.3 s · $0.042 of $0.10 ceiling");
    }

    #[test]
    fn without_a_ceiling_the_status_line_shows_what_was_spent() {
        let line = status_line("running", Duration::from_millis(800), Some(0.042), None);
        assert_eq!(line, "running · 0.8 s · $0.042 spent");
    }

    #[test]
    fn before_any_cost_is_reported_the_line_says_so_and_still_shows_the_ceiling() {
        assert_eq!(spend_text(None, Some((0.5, "ceiling"))), "no spend reported yet · $0.50 ceiling");
        assert_eq!(spend_text(None, None), "no spend reported yet");
        assert_eq!(
            status_line("starting", Duration::ZERO, None, Some(0.1)),
            "starting · 0.0 s · no spend reported yet · $0.10 ceiling"
        );
    }

    #[test]
    fn a_batch_shows_its_spend_against_the_budget() {
        assert_eq!(spend_text(Some(1.2), Some((2.0, "budget"))), "$1.200 of $2.00 budget");
        assert_eq!(spend_text(Some(0.0), None), "$0.000 spent");
    }

    #[test]
    fn elapsed_time_reads_in_seconds_then_minutes() {
        assert_eq!(elapsed_text(Duration::ZERO), "0.0 s");
        assert_eq!(elapsed_text(Duration::from_millis(59_940)), "59.9 s");
        assert_eq!(elapsed_text(Duration::from_secs(60)), "1 min 00 s");
        assert_eq!(elapsed_text(Duration::from_millis(59_960)), "1 min 00 s");
        assert_eq!(elapsed_text(Duration::from_secs(125)), "2 min 05 s");
        assert_eq!(elapsed_text(Duration::from_secs(3725)), "62 min 05 s");
    }

    #[test]
    fn limits_read_as_written() {
        assert_eq!(dollars(0.1), "$0.10");
        assert_eq!(dollars(2.0), "$2.00");
        assert_eq!(dollars(0.005), "$0.005");
        assert_eq!(dollars(12.5), "$12.50");
        assert_eq!(dollars(0.12345), "$0.1235");
    }
}
