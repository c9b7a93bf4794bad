//! A task's guard: from the moment the server sends it, one background wait per task holds
//! its cost ceiling (the call's `maxCost`, within what is left of the server's budget), counts
//! its spend into the budget, and keeps its outcome for the tool calls that wait on it. The
//! task does not depend on the call that started it: a call that stops waiting answers
//! "running", and the guard goes on.

use std::sync::Arc;
use std::time::Duration;

use enigma::{Error, ErrorPayload, Outcome, Task, TaskResult, WaitOptions};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::budget::Budget;

/// How a guarded task ended, or asked.
pub type Ended = Result<TaskResult, Box<ErrorPayload>>;

pub struct Guard {
    task: Task,
    /// The key of the task's spend in the budget.
    key: u64,
    max_cost: Option<f64>,
    /// The session is the task's own (`browser_task`): it ends with the task's end.
    own_session: bool,
    outcome: watch::Receiver<Option<Ended>>,
}

/// What a call saw of a guarded task within its wait.
pub enum Seen {
    Ended(Box<Ended>),
    /// Still running when the call's wait ran out.
    Running,
    /// The host cancelled the call.
    Cancelled,
}

impl Guard {
    /// Guards `task` (admitted to the budget as `key`) until its outcome; with `own_session`,
    /// its session is terminated at its end (a ceiling's stop, a failure) unless it ended itself.
    pub fn spawn(task: Task, key: u64, max_cost: Option<f64>, own_session: bool, budget: Arc<Budget>) -> Arc<Guard> {
        let (sender, outcome) = watch::channel(None);
        tokio::spawn(watch_task(task.clone(), key, max_cost, own_session, budget, sender));
        Arc::new(Guard { task, key, max_cost, own_session, outcome })
    }

    /// The same task again, after its guardrail question was answered: a new wait, the same
    /// ceiling and the same spend.
    pub fn again(&self, budget: Arc<Budget>) -> Arc<Guard> {
        Guard::spawn(self.task.clone(), self.key, self.max_cost, self.own_session, budget)
    }

    /// Whether the session is the task's own (`browser_task`).
    pub fn own_session(&self) -> bool {
        self.own_session
    }

    pub fn task(&self) -> &Task {
        &self.task
    }

    /// The outcome, if the task has one.
    pub fn outcome(&self) -> Option<Ended> {
        self.outcome.borrow().clone()
    }

    /// Whether the task ended with a question.
    pub fn asked(&self) -> bool {
        matches!(self.outcome(), Some(Ok(ref result)) if result.outcome == Outcome::Guardrail)
    }

    /// Waits up to `wait` for the outcome, or until the host cancels the call.
    pub async fn wait(&self, wait: Duration, cancelled: &CancellationToken) -> Seen {
        let mut outcome = self.outcome.clone();
        tokio::select! {
            ended = outcome.wait_for(Option::is_some) => match ended {
                Ok(ended) => Seen::Ended(Box::new(ended.clone().unwrap_or_else(|| Err(lost())))),
                Err(_) => Seen::Ended(Box::new(Err(lost()))),
            },
            _ = tokio::time::sleep(wait) => Seen::Running,
            _ = cancelled.cancelled() => Seen::Cancelled,
        }
    }
}

/// A guard that ended without a word (its runtime shut down).
fn lost() -> Box<ErrorPayload> {
    Box::new(Error::Cancelled.payload())
}

async fn watch_task(
    task: Task,
    key: u64,
    max_cost: Option<f64>,
    own_session: bool,
    budget: Arc<Budget>,
    sender: watch::Sender<Option<Ended>>,
) {
    // The task's own ceiling, within what the budget has left as it starts; the budget itself
    // stops it too when other tasks spend what is left.
    let ceiling = match (max_cost, budget.remaining()) {
        (Some(own), Some(left)) => Some(own.min(left)),
        (own, left) => own.or(left),
    };
    let wait = WaitOptions { timeout: None, max_cost: ceiling.map(|c| c.max(f64::MIN_POSITIVE)) };
    let counting = budget.clone();
    let waited = task.result_with_progress(wait, move |status| {
        if let Some(cost) = status.usage.cost {
            counting.saw(key, cost);
        }
    });
    let result = tokio::select! {
        result = waited => result,
        _ = budget.reached() => over_budget(&task, &budget).await,
    };
    let asked = matches!(&result, Ok(r) if r.outcome == Outcome::Guardrail);
    match &result {
        Ok(r) if asked => budget.saw(key, r.usage.cost.unwrap_or(0.0)),
        Ok(r) => budget.ended(key, r.usage.cost),
        Err(err) => budget.ended(key, err.usage().and_then(|u| u.cost)),
    }
    if own_session && !asked {
        end_own_session(&task).await;
    }
    sender.send_replace(Some(result.map_err(|err| Box::new(err.payload()))));
}

/// A `browser_task`'s session after its task: it ends by itself after a completed task; after a
/// stop (a ceiling) or a failure it may not, and nothing else will use it.
async fn end_own_session(task: &Task) {
    let session = task.session();
    if session.client().open_session_ids().iter().any(|id| id == session.id())
        && let Err(err) = session.terminate().await
        && err.error_code() != enigma::ErrorCode::SessionNotFound
    {
        tracing::warn!(session = session.id(), error = %err, "could not terminate a task's own session");
    }
}

/// The budget ran out while the task ran: stop it, and say so as a cost limit.
async fn over_budget(task: &Task, budget: &Budget) -> Result<TaskResult, Error> {
    let session = task.session();
    if let Err(err) = session.stop().await {
        tracing::warn!(session = session.id(), error = %err, "could not stop a task over the budget");
    }
    let usage = match task.id() {
        Some(_) => task.poll().await.map(|s| s.usage).unwrap_or_default(),
        None => Default::default(),
    };
    Err(Error::CostLimit {
        session_id: task.session_id().to_owned(),
        task_id: task.id().map(str::to_owned),
        usage: Box::new(usage),
        limit: budget.limit().unwrap_or_default(),
    })
}
