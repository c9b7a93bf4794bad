//! `enigma report FILE --html OUT`: the picture of a session recording or a batch journal as
//! one self-contained HTML page (the core's timeline; the notebook shows the same).

use std::path::PathBuf;

use clap::Args;
use enigma::{Error, Timeline};

use crate::exit::ExitCode;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A session recording (`ENIGMA_RECORD` / `--record` writes one per session) or a batch
    /// journal (`enigma batch --journal`).
    pub file: PathBuf,
    /// Where to write the HTML page (self-contained: no script, nothing fetched).
    #[arg(long, value_name = "OUT")]
    pub html: PathBuf,
    /// The budget to draw the spend against, USD (a journal's header names its own).
    #[arg(long, value_name = "USD", allow_negative_numbers = true)]
    pub budget: Option<f64>,
}

pub fn run(args: ReportArgs, json: bool) -> Result<ExitCode, Error> {
    let mut timeline = Timeline::from_file(&args.file)?;
    if let Some(budget) = args.budget {
        if !(budget.is_finite() && budget > 0.0) {
            let reason = format!("must be a positive number of USD, got {budget}");
            return Err(Error::Validation { field: "budget".into(), reason });
        }
        timeline.budget = Some(budget);
    }
    std::fs::write(&args.html, timeline.to_html_page()).map_err(|e| Error::Validation {
        field: "html".into(),
        reason: format!("cannot write {}: {e}", args.html.display()),
    })?;
    if json {
        crate::output::print_json(&serde_json::json!({
            "html": args.html.display().to_string(),
            "source": timeline.source,
            "tasks": timeline.tasks.len(),
            "spent": timeline.spent(),
        }));
    } else {
        println!(
            "{}: {} task(s), {:.4} USD spent; wrote {}",
            timeline.title,
            timeline.tasks.len(),
            timeline.spent(),
            args.html.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
