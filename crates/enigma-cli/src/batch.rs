//! `enigma batch FILE --out OUT`: many tasks under the key's limits (the core's batch runner),
//! each result written to `--out` as it ends, a live progress bar, and a summary table.
//!
//! Ctrl-C or SIGTERM: the first cancels the batch (every session it opened is terminated, the
//! journal records the interrupted tasks) and exits 130 (Ctrl-C) or 143 (SIGTERM) once that is
//! done; a second signal of either kind exits at once, with its own status, after one quick
//! round of terminates for the sessions still open.

use crate::exit::ExitCode;
use std::time::Duration;

use enigma::{BatchOptions, BatchOutcome, Error};

use crate::batch_args::BatchArgs;
use crate::batch_input::{self, invalid};
use crate::batch_output::{Display, OutFile};
use crate::interrupt::{self, Signals};
use crate::signal::Signal;
use crate::{connect, exit};

/// How long a second signal gives the last terminates.
const LAST_TERMINATES: Duration = Duration::from_secs(3);

pub async fn run(args: BatchArgs, json: bool) -> Result<ExitCode, Error> {
    let input = batch_input::read(&args.file)?;
    let errors = input.errors();
    if !errors.is_empty() && !args.skip_invalid {
        // Nothing is sent: the whole file is refused, every bad line named.
        return Err(invalid(
            "file",
            format!(
                "{} invalid line(s), nothing was sent (--skip-invalid runs the rest):\n  {}",
                errors.len(),
                errors.join("\n  ")
            ),
        ));
    }
    let options = BatchOptions {
        concurrency: args.concurrency,
        budget: args.budget,
        journal: args.journal.clone(),
        tasks_per_session: args.tasks_per_session,
        retry_unknown: args.retry_unknown,
        on_guardrail: None,
        ..BatchOptions::default()
    };
    options.check()?;
    let written = crate::batch_output::indexes_in(&args.out);
    let mut out = OutFile::open(&args.out)?;
    let connection = connect::or_simulator(json).await?;
    let lines = input.lines.clone();
    let mut waits = connection.client.rate_limit_notices();
    let mut batch = connection.client.run_many_inputs(input.specs, options)?;
    let start = batch.progress();
    let display = Display::new(json, start.total - start.previously_done);
    for line in &errors {
        display.note(&format!("skipped {line}"));
    }
    // A kill can fall between the journal's record of a task's end and its out line: write the
    // lines the out file lacks, so a complete batch has exactly one line per task.
    for item in batch.previous_items().iter().filter(|i| !written.contains(&i.index)) {
        out.write(item, lines.get(item.index).copied().unwrap_or(item.index + 1))?;
    }
    if start.previously_done > 0 {
        display.note(&format!("{} task(s) already finished in the journal: not run again", start.previously_done));
    }
    let mut tick = tokio::time::interval(Duration::from_millis(200));
    let mut interrupted: Option<Signal> = None;
    // One listener for the whole loop, so a signal arriving while another branch runs is kept.
    let mut signals = Signals::listen();
    loop {
        tokio::select! {
            item = batch.next() => {
                let Some(item) = item else { break };
                if item.outcome == BatchOutcome::Skipped {
                    continue;
                }
                out.write(&item, lines.get(item.index).copied().unwrap_or(item.index + 1))?;
                display.update(&batch.progress());
            }
            _ = tick.tick() => display.update(&batch.progress()),
            Some(wait) = waits.next() => display.rate_limit(&wait),
            received = signals.next() => {
                if interrupted.is_some() {
                    display.note(&format!(
                        "interrupted again ({}): quitting after one quick round of terminates",
                        received.name()
                    ));
                    let _ = tokio::time::timeout(LAST_TERMINATES, connection.client.terminate_open_sessions()).await;
                    interrupt::exit_now(received);
                }
                interrupted = Some(received);
                display.note(&received.first_note("terminating the batch's sessions"));
                batch.cancel();
            }
        }
    }
    display.finish();
    let summary = batch.finished().await;
    crate::batch_output::summary(&summary, &errors, json);
    Ok(ExitCode::from(exit::for_batch(&summary, interrupted)))
}
