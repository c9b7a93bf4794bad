//! The batch runner: workers that each hold at most one session at a time, take tasks from one
//! queue, pace their creates ([`Pacer`]), journal every state, keep the budget, and own the end
//! of every session they open (terminated on a guardrail, an error, a cancel; left to end by
//! itself only when the service ends it: a one-shot task that finished).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::item::{BatchItem, BatchOutcome, BatchProgress, ItemError, Timings};
use super::journal::Journal;
use super::options::{BatchOptions, GuardrailQuestion};
use super::pacer::Pacer;
use super::spec::TaskSpec;
use super::tally::Tally;
use crate::handle::client::Client;
use crate::handle::session::Session;
use crate::handle::task::Task;
use crate::model::error::Error;
use crate::model::error_code::ErrorCode;
use crate::model::message::GuardrailDecision;
use crate::model::result::Outcome;

/// First and longest pause of the last worker when the key has no free session.
const LIMIT_BACKOFF: (Duration, Duration) = (Duration::from_millis(200), Duration::from_secs(8));

/// One task to run.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub index: usize,
    pub spec: TaskSpec,
    pub digest: String,
    /// Started by an earlier run: wait on these ids instead of creating it again.
    pub reattach: Option<(String, String)>,
}

pub(crate) struct Runner {
    pub client: Client,
    pub options: BatchOptions,
    pub journal: Option<Journal>,
    pub pacer: Pacer,
    pub queue: Mutex<VecDeque<Job>>,
    pub tally: Tally,
    /// Where items go; taken (closing the stream) when the batch ends.
    pub items: Mutex<Option<mpsc::UnboundedSender<BatchItem>>>,
    pub cancel: CancellationToken,
    /// Fired once the budget is reached: running tasks are stopped.
    pub budget_hit: CancellationToken,
    /// Set when no new task may start (budget, cancel, a key-level refusal).
    pub halt: AtomicBool,
    /// Workers still taking tasks (the concurrency now).
    pub workers: AtomicUsize,
    /// The client's count of rate-limit waits when the batch began.
    pub rate_waits_before: u64,
}

impl Runner {
    /// Where the batch stands: the tally's counts, and the client's waits for the rate limit.
    pub(crate) fn progress(&self) -> BatchProgress {
        BatchProgress {
            rate_limit_wait: self.client.rate_limit_wait(),
            rate_limit_waits: self.client.rate_limit_waits().saturating_sub(self.rate_waits_before),
            ..self.tally.progress()
        }
    }
}

/// What a worker does after a task.
enum Next {
    Continue,
    /// The key has no free session: this worker leaves (the concurrency drops by one).
    Retire,
}

/// How a task run ended, for the worker.
enum Ran {
    Ended(Box<BatchItem>),
    /// The batch was cancelled and the session terminated.
    Cancelled,
}

impl Runner {
    pub(crate) async fn run(&self) {
        let workers = self.options.concurrency;
        self.workers.store(workers, Ordering::SeqCst);
        futures_util::future::join_all((0..workers).map(|_| self.worker())).await;
        self.tally.set_queued(self.queue().len());
    }

    /// Closes the item stream (after the summary is set).
    pub(crate) fn close(&self) {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<Job>> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn next_job(&self) -> Option<Job> {
        if self.halt.load(Ordering::SeqCst) || self.cancel.is_cancelled() || self.budget_hit.is_cancelled() {
            return None;
        }
        let mut queue = self.queue();
        let job = queue.pop_front();
        self.tally.set_queued(queue.len());
        job
    }

    fn requeue(&self, job: Job) {
        self.tally.requeued(job.index);
        let mut queue = self.queue();
        queue.push_front(job);
        self.tally.set_queued(queue.len());
    }

    async fn worker(&self) {
        let mut backoff = LIMIT_BACKOFF.0;
        while let Some(job) = self.next_job() {
            let next = match job.reattach.clone() {
                Some((session_id, task_id)) => self.reattach(job, &session_id, &task_id).await,
                None if self.options.tasks_per_session > 1 => self.run_group(job).await,
                None => self.run_one(job).await,
            };
            if let Next::Retire = next {
                // Leave if others remain; the last worker waits and tries again instead.
                let left = self.workers.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| (n > 1).then(|| n - 1));
                if let Ok(before) = left {
                    tracing::info!(concurrency = before - 1, "the key has no free session: lowering the concurrency");
                    self.tally.set_concurrency(before - 1);
                    return;
                }
                tokio::select! {
                    _ = tokio::time::sleep(backoff) => {}
                    _ = self.cancel.cancelled() => return,
                }
                backoff = (backoff * 2).min(LIMIT_BACKOFF.1);
            } else {
                backoff = LIMIT_BACKOFF.0;
            }
        }
    }

    /// One task in its own one-shot session (`run-task`).
    async fn run_one(&self, job: Job) -> Next {
        let started = now_ms();
        self.journal_sent(&job).await;
        self.tally.running(job.index);
        // A ceiling (the task's or the budget) needs the task named early to poll its cost.
        let needs_polls = job.spec.max_cost.is_some() || self.options.budget.is_some();
        let options = job.spec.session_options();
        let created = {
            // One permit per rate-limited request the one-shot sends (one, or two: see
            // `Client::start_task`).
            let mut permits = Vec::new();
            for _ in 0..self.client.one_shot_requests(&options, needs_polls) {
                permits.push(tokio::select! {
                    permit = self.pacer.acquire() => permit,
                    _ = self.cancel.cancelled() => return self.refused(job).await,
                });
            }
            tokio::select! {
                created = self.client.start_one_shot(options, needs_polls) => created,
                // The core terminates the session of an answer nobody takes.
                _ = self.cancel.cancelled() => {
                    self.tally.cancelled(job.index, None);
                    self.journal(|j| j.cancelled(job.index, &job.digest)).await;
                    return Next::Continue;
                }
            }
        };
        let task = match created {
            Ok(task) => task,
            Err(err) => return self.create_failed(job, err, started).await,
        };
        self.client.track_session(task.session_id());
        self.journal_submitted(&job, &task).await;
        let session = task.session();
        match self.wait(&job, &task, &session, started).await {
            Ran::Ended(item) => {
                let item = *item;
                // A one-shot session ends by itself after its task, unless the task waits on a
                // question or the wait gave up while it ran: then it is ours to end.
                let ends_itself = matches!(item.outcome, BatchOutcome::Completed | BatchOutcome::Stopped)
                    || item
                        .error
                        .as_ref()
                        .and_then(|e| ErrorCode::from_name(&e.code))
                        .is_some_and(ErrorCode::ends_its_session);
                if ends_itself {
                    self.client.forget_session(session.id());
                } else {
                    self.terminate(&session).await;
                }
                self.emit(item, &job).await;
            }
            Ran::Cancelled => {}
        }
        Next::Continue
    }

    /// Up to `tasks_per_session` tasks one after another in one session, then its terminate.
    async fn run_group(&self, first: Job) -> Next {
        let started = now_ms();
        self.journal_sent(&first).await;
        self.tally.running(first.index);
        let created = {
            let _permit = tokio::select! {
                permit = self.pacer.acquire() => permit,
                _ = self.cancel.cancelled() => return self.refused(first).await,
            };
            tokio::select! {
                created = self.client.start_session(first.spec.session_options()) => created,
                _ = self.cancel.cancelled() => {
                    self.tally.cancelled(first.index, None);
                    self.journal(|j| j.cancelled(first.index, &first.digest)).await;
                    return Next::Continue;
                }
            }
        };
        let session = match created {
            Ok(session) => session,
            Err(err) => return self.create_failed(first, err, started).await,
        };
        let Some(task) = session.initial_task().cloned() else {
            let err = Error::unknown_outcome(
                "start-session",
                Some(session.id()),
                &Error::validation("taskId", "the service named no task for the session's first task"),
            );
            self.terminate(&session).await;
            let mut item = BatchItem::from_error(first.index, first.spec.id.clone(), &err, BatchOutcome::Unknown);
            item.session_id = Some(session.id().to_owned());
            self.finish(item, &first, started).await;
            return Next::Continue;
        };
        let (mut job, mut task, mut started) = (first, task, started);
        let mut run = 1;
        loop {
            self.journal_submitted(&job, &task).await;
            let item = match self.wait(&job, &task, &session, started).await {
                Ran::Ended(item) => *item,
                Ran::Cancelled => return Next::Continue,
            };
            let reusable = matches!(item.outcome, BatchOutcome::Completed | BatchOutcome::Stopped);
            self.emit(item, &job).await;
            if !reusable || run >= self.options.tasks_per_session {
                break;
            }
            let Some(next) = self.next_job() else { break };
            run += 1;
            (job, started) = (next, now_ms());
            self.journal_sent(&job).await;
            self.tally.running(job.index);
            let sent = {
                let _permit = self.pacer.acquire().await;
                session.new_task(job.spec.task_options()).await
            };
            task = match sent {
                Ok(task) => task,
                Err(err) => {
                    // The session ends here either way; the task's end is the create's.
                    self.terminate(&session).await;
                    return self.create_failed(job, err, started).await;
                }
            };
        }
        self.terminate(&session).await;
        Next::Continue
    }

    /// A task an earlier run started: wait on it by id, then end its session.
    async fn reattach(&self, job: Job, session_id: &str, task_id: &str) -> Next {
        let started = now_ms();
        self.tally.running(job.index);
        let task = match self.client.task(session_id, task_id) {
            Ok(task) => task,
            Err(err) => {
                self.finish(
                    BatchItem::from_error(job.index, job.spec.id.clone(), &err, BatchOutcome::Failed),
                    &job,
                    started,
                )
                .await;
                return Next::Continue;
            }
        };
        let session = task.session();
        self.client.track_session(session_id);
        if let Ran::Ended(item) = self.wait(&job, &task, &session, started).await {
            let mut item = *item;
            item.reattached = true;
            item.session_id.get_or_insert_with(|| session_id.to_owned());
            item.task_id.get_or_insert_with(|| task_id.to_owned());
            self.terminate(&session).await;
            self.emit(item, &job).await;
        }
        Next::Continue
    }

    /// A create that did not give a task: refused (back to the queue), unknown, or failed.
    async fn create_failed(&self, job: Job, err: Error, started: u64) -> Next {
        match err.code() {
            "session_limit" => {
                self.journal(|j| j.refused(job.index, &job.digest)).await;
                self.requeue(job);
                Next::Retire
            }
            "rate_limited" => {
                // The transport already waited and retried what the service asked; wait once more.
                let pause = err.retry_after().unwrap_or(Duration::from_secs(1));
                self.journal(|j| j.refused(job.index, &job.digest)).await;
                self.requeue(job);
                tokio::select! {
                    _ = tokio::time::sleep(pause) => {}
                    _ = self.cancel.cancelled() => {}
                }
                Next::Continue
            }
            "outcome_unknown" => {
                let session_id = match &err {
                    Error::OutcomeUnknown { session_id, .. } => session_id.clone(),
                    _ => None,
                };
                if let Some(id) = &session_id {
                    self.terminate(&Session::attach(self.client.clone(), id)).await;
                }
                let mut item = BatchItem::from_error(job.index, job.spec.id.clone(), &err, BatchOutcome::Unknown);
                item.session_id = session_id;
                self.finish(item, &job, started).await;
                Next::Continue
            }
            code => {
                // A refusal that concerns the key, not the task, ends the batch's new starts.
                if matches!(code, "authentication" | "permission_denied" | "insufficient_balance") {
                    tracing::warn!(error = %err, "the service refuses the key: no new task starts");
                    self.halt.store(true, Ordering::SeqCst);
                }
                let item = BatchItem::from_error(job.index, job.spec.id.clone(), &err, BatchOutcome::Failed);
                self.finish(item, &job, started).await;
                Next::Continue
            }
        }
    }

    /// Cancelled before the create went out: the task goes back, untouched.
    async fn refused(&self, job: Job) -> Next {
        self.journal(|j| j.refused(job.index, &job.digest)).await;
        self.requeue(job);
        Next::Continue
    }

    /// Waits for a task's end: its cost feeds the budget; the budget stops it; a question goes
    /// to the handler; a cancel terminates its session.
    async fn wait(&self, job: &Job, task: &Task, session: &Session, started: u64) -> Ran {
        let mut options = job.spec.wait_options();
        if options.max_cost.is_none() && self.options.budget.is_some() {
            // A cost ceiling makes the wait poll, and each poll reports the cost so far.
            options.max_cost = self.options.budget;
        }
        let mut stop_sent = false;
        loop {
            let index = job.index;
            let waited = task.result_with_progress(options, |status| {
                if self.tally.cost_so_far(index, status.usage.cost.unwrap_or(0.0)) {
                    self.budget_hit.cancel();
                }
            });
            tokio::pin!(waited);
            let result = loop {
                tokio::select! {
                    result = &mut waited => break result,
                    _ = self.cancel.cancelled() => {
                        self.terminate_now(session).await;
                        self.tally.cancelled(index, None);
                        self.journal(|j| j.cancelled(index, &job.digest)).await;
                        return Ran::Cancelled;
                    }
                    _ = self.budget_hit.cancelled(), if !stop_sent => {
                        stop_sent = true;
                        self.halt.store(true, Ordering::SeqCst);
                        match session.stop().await {
                            Ok(()) => {}
                            // It ended by itself meanwhile: nothing left to stop.
                            Err(err) if err.error_code() == ErrorCode::SessionNotFound => {}
                            Err(err) => {
                                tracing::warn!(session = session.id(), error = %err, "could not stop a task at the budget");
                            }
                        }
                    }
                }
            };
            let id = job.spec.id.clone();
            let mut item = match result {
                Ok(result) if result.outcome == Outcome::Guardrail => {
                    let question = result.question.clone().unwrap_or_default();
                    if !stop_sent && let Some(answer) = self.ask(job, task, &question).await {
                        let answered = {
                            let _permit = self.pacer.acquire().await;
                            session.answer_guardrail(&answer, GuardrailDecision::Resume).await
                        };
                        match answered {
                            Ok(()) => continue,
                            Err(err) => BatchItem::from_error(index, id, &err, BatchOutcome::Failed),
                        }
                    } else {
                        BatchItem::from_result(index, id, &result)
                    }
                }
                Ok(result) => BatchItem::from_result(index, id, &result),
                Err(err @ Error::CostLimit { .. }) => BatchItem::from_error(index, id, &err, BatchOutcome::Stopped),
                Err(err) => BatchItem::from_error(index, id, &err, BatchOutcome::Failed),
            };
            if stop_sent && item.outcome == BatchOutcome::Stopped && item.error.is_none() {
                item.error = Some(ItemError {
                    code: "budget".to_owned(),
                    message: "stopped: the batch's budget was reached".to_owned(),
                    server_code: None,
                });
            }
            item.session_id.get_or_insert_with(|| task.session_id().to_owned());
            if let Some(task_id) = task.id() {
                item.task_id.get_or_insert_with(|| task_id.to_owned());
            }
            item.timings = timings(started);
            return Ran::Ended(Box::new(item));
        }
    }

    async fn ask(&self, job: &Job, task: &Task, question: &str) -> Option<String> {
        let handler = self.options.on_guardrail.as_ref()?;
        let asked = GuardrailQuestion {
            index: job.index,
            id: job.spec.id.clone(),
            question: question.to_owned(),
            session_id: task.session_id().to_owned(),
            task_id: task.id().unwrap_or_default().to_owned(),
        };
        tokio::select! {
            answer = handler(asked) => answer.filter(|a| !a.trim().is_empty()),
            _ = self.cancel.cancelled() => None,
        }
    }

    /// Ends a session through the pacer (a terminate is a rate-limited POST).
    async fn terminate(&self, session: &Session) {
        let _permit = self.pacer.acquire().await;
        self.terminate_now(session).await;
    }

    /// Ends a session at once (cancelling: no time to pace; the transport still honours a 429).
    async fn terminate_now(&self, session: &Session) {
        if let Err(err) = session.terminate().await {
            tracing::warn!(session = session.id(), error = %err, "could not terminate a batch session");
            self.client.track_session(session.id());
        }
    }

    async fn finish(&self, mut item: BatchItem, job: &Job, started: u64) {
        item.timings = timings(started);
        self.emit(item, job).await;
    }

    /// Journals an ended task and hands it to the caller.
    async fn emit(&self, item: BatchItem, job: &Job) {
        self.journal(|j| j.ended(&item, &job.digest)).await;
        if self.tally.ended(&item) {
            self.budget_hit.cancel();
            self.halt.store(true, Ordering::SeqCst);
        }
        // A caller that stopped reading still gets its sessions ended; nothing else to do.
        if let Some(items) = self.items.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            let _ = items.send(item);
        }
    }

    /// Journals a task the service named, so that a resumed batch re-attaches to it. A task
    /// not named yet stays `sent` (a resume cannot tell whether it started).
    async fn journal_submitted(&self, job: &Job, task: &Task) {
        if let Some(task_id) = task.id() {
            self.journal(|j| j.submitted(job.index, &job.digest, task.session_id(), task_id)).await;
        }
    }

    async fn journal_sent(&self, job: &Job) {
        self.journal(|j| j.sent(job.index, &job.digest)).await;
    }

    async fn journal<'a, F, Fut>(&'a self, write: F)
    where
        F: FnOnce(&'a Journal) -> Fut,
        Fut: std::future::Future<Output = crate::Result<()>>,
    {
        if let Some(journal) = &self.journal
            && let Err(err) = write(journal).await
        {
            tracing::error!(error = %err, "could not write the batch journal");
        }
    }
}

pub(crate) fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or_default()
}

fn timings(started_at_ms: u64) -> Timings {
    let ended_at_ms = now_ms().max(started_at_ms);
    Timings { started_at_ms, ended_at_ms, duration_secs: (ended_at_ms - started_at_ms) as f64 / 1000.0 }
}
