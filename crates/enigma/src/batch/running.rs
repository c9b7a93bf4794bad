//! A running batch as its caller holds it: [`Batch`], the stream of its items, and
//! [`BatchMonitor`], its progress, summary and cancel apart from the stream.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::item::{BatchItem, BatchProgress, BatchSummary};
use super::runner::Runner;

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

impl Batch {
    /// The batch whose items come from `items`, run by `runner`, summed up in `done`.
    pub(super) fn new(
        items: mpsc::UnboundedReceiver<BatchItem>,
        runner: Arc<Runner>,
        done: watch::Receiver<Option<BatchSummary>>,
        previous: Vec<BatchItem>,
    ) -> Batch {
        Batch { items, runner, done, previous }
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
