//! The batch's running counts: spend (ended plus running), outcomes, and what progress and the
//! summary report. One lock, short critical sections.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Instant;

use super::item::{BatchItem, BatchOutcome, BatchProgress, BatchSummary};

#[derive(Debug)]
pub(crate) struct Tally {
    inner: Mutex<Counts>,
    started: Instant,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    previously_done: usize,
    outcomes: BTreeMap<BatchOutcome, usize>,
    /// Cost so far of each running task, by index.
    running: HashMap<usize, f64>,
    ended_spend: f64,
    budget: Option<f64>,
    queued: usize,
    cancelled: usize,
    concurrency: usize,
    budget_reached: bool,
    torn_line: Option<usize>,
}

impl Tally {
    pub(crate) fn new(total: usize, previously_done: usize, budget: Option<f64>, concurrency: usize) -> Tally {
        let counts = Counts { total, previously_done, budget, concurrency, ..Counts::default() };
        Tally { inner: Mutex::new(counts), started: Instant::now() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Counts> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn set_queued(&self, queued: usize) {
        self.lock().queued = queued;
    }

    pub(crate) fn set_torn_line(&self, line: Option<usize>) {
        self.lock().torn_line = line;
    }

    pub(crate) fn set_concurrency(&self, concurrency: usize) {
        self.lock().concurrency = concurrency;
    }

    /// A task started (or re-attached): it counts as running from now.
    pub(crate) fn running(&self, index: usize) {
        self.lock().running.entry(index).or_insert(0.0);
    }

    /// A running task's cost so far; true when the budget is now reached.
    pub(crate) fn cost_so_far(&self, index: usize, cost: f64) -> bool {
        let mut counts = self.lock();
        if let Some(slot) = counts.running.get_mut(&index) {
            *slot = slot.max(cost);
        }
        counts.check_budget()
    }

    /// A task ended; true when the budget is now reached.
    pub(crate) fn ended(&self, item: &BatchItem) -> bool {
        let mut counts = self.lock();
        counts.running.remove(&item.index);
        counts.ended_spend += item.cost();
        *counts.outcomes.entry(item.outcome).or_default() += 1;
        counts.check_budget()
    }

    /// A task was interrupted by cancelling the batch.
    pub(crate) fn cancelled(&self, index: usize, cost: Option<f64>) {
        let mut counts = self.lock();
        let running = counts.running.remove(&index).unwrap_or(0.0);
        counts.ended_spend += cost.unwrap_or(running);
        counts.cancelled += 1;
    }

    /// A started task went back to the queue (the service refused its create).
    pub(crate) fn requeued(&self, index: usize) {
        self.lock().running.remove(&index);
    }

    pub(crate) fn progress(&self) -> BatchProgress {
        let counts = self.lock();
        let done: usize = counts.outcomes.values().sum();
        let failed = [BatchOutcome::Failed, BatchOutcome::Unknown]
            .iter()
            .map(|o| counts.outcomes.get(o).copied().unwrap_or(0))
            .sum();
        BatchProgress {
            total: counts.total,
            done,
            failed,
            running: counts.running.len(),
            queued: counts.queued,
            previously_done: counts.previously_done,
            spent: counts.spent(),
            budget: counts.budget,
            concurrency: counts.concurrency,
            elapsed_secs: self.started.elapsed().as_secs_f64(),
            ..BatchProgress::default()
        }
    }

    pub(crate) fn summary(&self, was_cancelled: bool) -> BatchSummary {
        let counts = self.lock();
        let outcomes = BatchOutcome::ALL
            .iter()
            .map(|o| (o.as_str().to_owned(), counts.outcomes.get(o).copied().unwrap_or(0)))
            .collect();
        BatchSummary {
            total: counts.total,
            outcomes,
            previously_done: counts.previously_done,
            not_started: counts.queued,
            cancelled: counts.cancelled,
            spent: counts.spent(),
            budget: counts.budget,
            budget_reached: counts.budget_reached,
            was_cancelled,
            wall_secs: self.started.elapsed().as_secs_f64(),
            journal_torn_line: counts.torn_line,
            concurrency_end: counts.concurrency,
        }
    }
}

impl Counts {
    fn spent(&self) -> f64 {
        self.ended_spend + self.running.values().sum::<f64>()
    }

    fn check_budget(&mut self) -> bool {
        if let Some(budget) = self.budget
            && self.spent() >= budget
        {
            self.budget_reached = true;
        }
        self.budget_reached
    }
}
