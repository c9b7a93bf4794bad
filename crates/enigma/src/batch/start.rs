//! `Client::run_many`: a batch from its specs (and its journal, when resumed), its runner
//! started; the caller reads it as a [`Batch`].

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::item::{BatchItem, BatchOutcome, Timings};
use super::journal::{Journal, Prior, digest};
use super::options::BatchOptions;
use super::pacer::Pacer;
use super::runner::{Job, Runner, now_ms};
use super::running::Batch;
use super::spec::TaskSpec;
use super::tally::Tally;
use crate::handle::client::Client;
use crate::model::error::{Error, Result};

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
        Ok(Batch::new(rx, runner, done, previous))
    }
}
