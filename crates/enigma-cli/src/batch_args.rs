//! The arguments of `enigma batch`.

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The tasks: JSONL (`{"task": ..., "id": ..., options in API spelling}` a line), CSV with a
    /// `task` column (other columns: `id` and options), or plain text with one task per line.
    pub file: PathBuf,
    /// Where each task's result goes as it ends: one JSON line per task (appended to).
    #[arg(long)]
    pub out: PathBuf,
    /// A journal to resume from: a rerun with it skips what finished and re-attaches to what ran.
    #[arg(long)]
    pub journal: Option<PathBuf>,
    /// Sessions at once (the key allows 5); lowered by itself when the service says the key has
    /// no free session.
    #[arg(long, default_value_t = 5)]
    pub concurrency: usize,
    /// Total budget, USD: when reached, running tasks are stopped and no new ones start.
    #[arg(long, allow_negative_numbers = true)]
    pub budget: Option<f64>,
    /// Tasks run one after another in one session (saves session start-up).
    #[arg(long, default_value_t = 1)]
    pub tasks_per_session: usize,
    /// Resubmit the tasks the journal shows as `unknown` (their create's answer was lost; they
    /// may have run).
    #[arg(long)]
    pub retry_unknown: bool,
    /// Run the valid tasks and report the invalid lines, instead of refusing to start.
    #[arg(long)]
    pub skip_invalid: bool,
}
