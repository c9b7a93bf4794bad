//! Progress while waiting: a spinner with elapsed time, state and cost on a terminal; plain
//! lines, only when something changed, otherwise. Clones share one display.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use enigma::TaskStatus;
use indicatif::{ProgressBar, ProgressStyle};

use crate::output::{state_line, usage_line};

#[derive(Clone)]
pub struct Progress {
    spinner: Option<ProgressBar>,
    started: Instant,
    quiet: bool,
    last_line: Arc<Mutex<String>>,
}

impl Progress {
    /// A display on stderr; no output at all when `quiet` (JSON mode).
    pub fn new(quiet: bool) -> Progress {
        let spinner = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            let style = ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar.enable_steady_tick(Duration::from_millis(100));
            bar.set_message("the agent is working…");
            bar
        });
        Progress { spinner, started: Instant::now(), quiet, last_line: Arc::default() }
    }

    /// A one-off line (which session started, an agent thought), above the spinner.
    pub fn note(&self, line: &str) {
        match &self.spinner {
            Some(bar) => bar.println(line),
            None if self.quiet => {}
            None => eprintln!("[{:>6.1}s] {line}", self.started.elapsed().as_secs_f64()),
        }
    }

    pub fn update(&self, status: &TaskStatus) {
        let line = format!("{} · {}", state_line(&status.state), usage_line(&status.usage));
        match &self.spinner {
            Some(bar) => bar.set_message(line),
            None if self.quiet => {}
            None => {
                let mut last = self.last_line.lock().unwrap_or_else(|e| e.into_inner());
                if *last != line {
                    eprintln!("[{:>6.1}s] {line}", self.started.elapsed().as_secs_f64());
                    *last = line;
                }
            }
        }
    }

    /// Clears the spinner, so the result or error prints on a clean line.
    pub fn finish(&self) {
        if let Some(bar) = &self.spinner {
            bar.finish_and_clear();
        }
    }
}
