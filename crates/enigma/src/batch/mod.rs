//! Batches: many tasks under one key, within its limits, with a budget, a journal that survives
//! a crash, and progress ([`Client::run_many`]).
//!
//! Files: `spec` (a task spec from one serde value), `options`, `item` (items, progress,
//! summary), `feed` (a batch as a binding reads it), `guardrail_desk` (questions by token), `pacer` (rate-limit pacing from the service's headers), `journal` (the JSONL
//! journal), `tally` (counts and spend), `runner` (the workers).

#[cfg(feature = "binding")]
mod feed;
#[cfg(feature = "binding")]
mod guardrail_desk;
mod item;
mod journal;
mod options;
mod pacer;
mod runner;
mod spec;
mod tally;

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

#[cfg(feature = "binding")]
pub use feed::{BatchFeed, BatchNext};
#[cfg(feature = "binding")]
pub use guardrail_desk::GuardrailDesk;
pub use item::{BatchItem, BatchOutcome, BatchProgress, BatchSummary, ItemError, Timings};
pub use options::{BatchOptions, GuardrailHandler, GuardrailQuestion};
pub use spec::TaskSpec;
#[cfg(feature = "binding")]
pub use spec::specs_from_value;

use crate::handle::client::Client;
use crate::model::error::{Error, Result};
use journal::{Journal, Prior, digest};
use pacer::Pacer;
use runner::{Job, Runner, now_ms};
use tally::Tally;

/// A running batch: a [`Stream`] of [`BatchItem`]s in completion order, one per task that ends
/// in this run (tasks a journal shows finished are not reported again). Dropping it cancels the
/// batch (its sessions are terminated in the background); [`Batch::cancel`] then
/// [`Batch::finished`] does the same and waits for it.
pub struct Batch {
    items: mpsc::UnboundedReceiver<BatchItem>,
    runner: Arc<Runner>,
    done: watch::Receiver<Option<BatchSummary>>,
    previous: Vec<BatchItem>,
}

impl Client {
    /// Runs many tasks under this client's key (see [`BatchOptions`]). Must be called inside a
    /// tokio runtime. Bad options, or a journal that cannot be read or does not match `specs`,
    /// are an error before anything is sent.
    ///
    /// ```
    /// use enigma::{BatchOptions, BatchOutcome, TaskSpec};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = enigma_sim::Simulator::start(enigma_sim::SimConfig::for_tests()).await?;
    /// # let client = enigma::Client::builder().api_key("enig_docexampledocexampledocexample").base_url(sim.url())
    /// #     .poll_interval(std::time::Duration::from_millis(10)).build()?;
    ///
    /// let specs = vec![
    ///     TaskSpec::new("Price of a keyboard #sim message=\"49 USD\""),
    ///     TaskSpec::new("Price of a lost item #sim fail=ELEMENT_NOT_FOUND"),
    ///     TaskSpec::new(r#"Buy a mouse #sim guardrail="Which colour?""#),
    /// ];
    /// let options = BatchOptions::new()
    ///     .concurrency(2)
    ///     .budget(5.0)
    ///     .on_guardrail(|question| async move { (question.question == "Which colour?").then(|| "Black".to_owned()) });
    /// let mut batch = client.run_many(specs, options)?;
    /// while let Some(item) = batch.next().await {
    ///     println!("task {}: {} {:?}", item.index, item.outcome, item.message); // in completion order
    /// }
    /// let summary = batch.finished().await;
    /// assert_eq!(summary.count(BatchOutcome::Completed), 2); // the guardrail was answered
    /// assert_eq!(summary.count(BatchOutcome::Failed), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn run_many(&self, specs: Vec<TaskSpec>, options: BatchOptions) -> Result<Batch> {
        self.run_many_inputs(specs.into_iter().map(Ok).collect(), options)
    }

    /// Like [`Client::run_many`], with inputs that may be invalid: each `Err` is reported as a
    /// `skipped` item (nothing sent for it) and the rest run.
    pub fn run_many_inputs(&self, inputs: Vec<Result<TaskSpec>>, options: BatchOptions) -> Result<Batch> {
        options.check()?;
        let (journal, state) = match &options.journal {
            Some(path) => {
                let (journal, state) = Journal::open(path, options.budget)?;
                (Some(journal), state)
            }
            None => (None, Default::default()),
        };
        let digests: Vec<Option<String>> =
            inputs.iter().map(|i| i.as_ref().ok().map(|s| digest(&s.task_details))).collect();
        for (index, (_, recorded)) in &state.priors {
            if digests.get(*index).and_then(Option::as_deref) != Some(recorded.as_str()) {
                return Err(Error::validation(
                    "journal",
                    format!("it does not match the input: task {index} differs from the task journaled for it"),
                ));
            }
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let mut queue = VecDeque::new();
        let mut reattach = VecDeque::new();
        let (mut previously_done, mut early, mut previous) = (0, Vec::new(), Vec::new());
        for (index, input) in inputs.into_iter().enumerate() {
            let spec = match input {
                Ok(spec) => spec,
                Err(err) => {
                    early.push(BatchItem::from_error(index, None, &err, BatchOutcome::Skipped));
                    continue;
                }
            };
            let job = Job { index, digest: digests[index].clone().unwrap_or_default(), spec, reattach: None };
            match state.priors.get(&index).map(|(p, _)| p) {
                None => queue.push_back(job),
                Some(Prior::Ended(item)) if item.outcome == BatchOutcome::Unknown && options.retry_unknown => {
                    queue.push_back(job)
                }
                Some(Prior::Ended(item)) => {
                    previously_done += 1;
                    previous.push((**item).clone());
                }
                Some(Prior::Submitted { session_id, task_id }) => {
                    reattach.push_back(Job { reattach: Some((session_id.clone(), task_id.clone())), ..job })
                }
                Some(Prior::Sent) if options.retry_unknown => queue.push_back(job),
                Some(Prior::Sent) => {
                    // The process died with the create in flight: its answer is lost for good.
                    let err = Error::OutcomeUnknown {
                        operation: "run-task".to_owned(),
                        session_id: None,
                        message: "the process ended before the answer to the create was journaled".to_owned(),
                        source: None,
                    };
                    let mut item = BatchItem::from_error(index, job.spec.id.clone(), &err, BatchOutcome::Unknown);
                    item.timings = Timings { started_at_ms: now_ms(), ended_at_ms: now_ms(), duration_secs: 0.0 };
                    early.push(item);
                    if let Some(journal) = &journal {
                        journal.ended_now(early.last().expect("pushed"), &job.digest)?;
                    }
                }
            }
        }
        // Re-attached tasks first: they are already running (and billing).
        reattach.extend(queue);
        let total = digests.len();
        let tally = Tally::new(total, previously_done, options.budget, options.concurrency);
        tally.set_torn_line(state.torn_line);
        tally.set_queued(reattach.len());
        for item in &early {
            tally.ended(item);
            let _ = tx.send(item.clone());
        }
        let runner = Arc::new(Runner {
            client: self.clone(),
            pacer: Pacer::new(self.clone(), options.rate_window),
            journal,
            queue: Mutex::new(reattach),
            tally,
            items: Mutex::new(Some(tx)),
            cancel: CancellationToken::new(),
            budget_hit: CancellationToken::new(),
            halt: AtomicBool::new(false),
            workers: AtomicUsize::new(options.concurrency),
            rate_waits_before: self.rate_limit_waits(),
            options,
        });
        let (done_tx, done) = watch::channel(None);
        let driver = runner.clone();
        tokio::spawn(async move {
            driver.run().await;
            if driver.cancel.is_cancelled() {
                // Creates cut short by the cancel end their sessions in the core's tracked
                // cleanups: the batch has ended once they have.
                crate::handle::cleanup::wait_for_cleanups(Duration::from_secs(30)).await;
            }
            let summary = driver.tally.summary(driver.cancel.is_cancelled());
            let _ = done_tx.send(Some(summary));
            // The summary is set before the stream ends.
            driver.close();
        });
        Ok(Batch { items: rx, runner, done, previous })
    }
}

impl Batch {
    /// The next task to end (`None` once every task has ended): the stream's next item, without
    /// needing `StreamExt`.
    pub async fn next(&mut self) -> Option<BatchItem> {
        self.items.recv().await
    }

    /// Where the batch stands now.
    pub fn progress(&self) -> BatchProgress {
        self.runner.progress()
    }

    /// The items a journal shows ended in earlier runs (not run again and not in the stream):
    /// lets a caller whose own record of them was cut short (a kill between the journal's
    /// record and its own) complete it.
    pub fn previous_items(&self) -> &[BatchItem] {
        &self.previous
    }

    /// The summary, once the batch has ended (after the stream ended).
    pub fn summary(&self) -> Option<BatchSummary> {
        self.done.borrow().clone()
    }

    /// Stops the batch: no new task starts, every session it opened is terminated, and the
    /// journal records the interrupted tasks (a rerun with it runs them again).
    pub fn cancel(&self) {
        self.runner.cancel.cancel();
    }

    /// Waits for the batch's end (all its sessions ended) and returns the summary. Items not yet
    /// read stay readable.
    pub async fn finished(&self) -> BatchSummary {
        let mut done = self.done.clone();
        match done.wait_for(Option::is_some).await {
            Ok(summary) => summary.clone().expect("waited for it"),
            Err(_) => self.runner.tally.summary(self.runner.cancel.is_cancelled()),
        }
    }

    /// A cloneable view of the batch (progress, summary, cancel) that needs no access to the
    /// stream: for a display, or a binding whose reader holds the stream.
    pub fn monitor(&self) -> BatchMonitor {
        BatchMonitor { runner: self.runner.clone(), done: self.done.clone() }
    }

    /// A token that cancels the batch (for a signal handler or a binding's abort).
    pub fn cancel_token(&self) -> CancellationToken {
        self.runner.cancel.clone()
    }
}

/// Progress, summary and cancel of a [`Batch`], apart from its stream ([`Batch::monitor`]).
#[derive(Clone)]
pub struct BatchMonitor {
    runner: Arc<Runner>,
    done: watch::Receiver<Option<BatchSummary>>,
}

impl BatchMonitor {
    /// Where the batch stands now.
    pub fn progress(&self) -> BatchProgress {
        self.runner.progress()
    }

    /// The summary, once the batch has ended.
    pub fn summary(&self) -> Option<BatchSummary> {
        self.done.borrow().clone()
    }

    /// Stops the batch, like [`Batch::cancel`].
    pub fn cancel(&self) {
        self.runner.cancel.cancel();
    }
}

impl Stream for Batch {
    type Item = BatchItem;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<BatchItem>> {
        self.items.poll_recv(cx)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Nobody reads any more: stop, and let the workers end their sessions.
        if self.done.borrow().is_none() {
            self.runner.cancel.cancel();
        }
    }
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch").field("progress", &self.progress()).finish()
    }
}
