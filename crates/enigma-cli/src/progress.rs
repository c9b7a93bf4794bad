//! Progress while waiting: a spinner with elapsed time, state and cost on a terminal; plain
//! lines, only when something changed, otherwise.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use enigma::TaskStatus;
use indicatif::{ProgressBar, ProgressStyle};

use crate::output::{state_line, usage_line};

pub struct Progress {
    spinner: Option<ProgressBar>,
    started: Instant,
    last_line: String,
}

impl Progress {
    /// A display on stderr; `None` output at all when `quiet` (JSON mode).
    pub fn new(quiet: bool) -> Progress {
        let spinner = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
            bar.enable_steady_tick(Duration::from_millis(100));
            bar.set_message("the agent is working…");
            bar
        });
        Progress { spinner, started: Instant::now(), last_line: if quiet { "quiet".into() } else { String::new() } }
    }

    /// A one-off line (e.g. which session started), above the spinner.
    pub fn note(&self, line: &str) {
        match &self.spinner {
            Some(bar) => bar.println(line),
            None if self.last_line == "quiet" => {}
            None => eprintln!("[{:>6.1}s] {line}", self.started.elapsed().as_secs_f64()),
        }
    }

    pub fn update(&mut self, status: &TaskStatus) {
        let line = format!("{} · {}", state_line(&status.state), usage_line(&status.usage));
        match &self.spinner {
            Some(bar) => bar.set_message(line),
            None if self.last_line == "quiet" => {}
            None if line != self.last_line => {
                eprintln!("[{:>6.1}s] {line}", self.started.elapsed().as_secs_f64());
                self.last_line = line;
            }
            None => {}
        }
    }

}

impl Drop for Progress {
    /// Clears the spinner on every exit path, so the result or error prints on a clean line.
    fn drop(&mut self) {
        if let Some(bar) = &self.spinner {
            bar.finish_and_clear();
        }
    }
}
