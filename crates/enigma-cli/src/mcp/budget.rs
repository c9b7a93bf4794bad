//! The server's budget (`--budget`): what all its tool calls may spend together. Each task's
//! spend is counted as it grows (ended tasks at their final cost, running ones at the cost last
//! seen); once the total reaches the budget, running tasks are stopped (`reached` wakes their
//! guards) and no task starts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use enigma::{Error, ErrorCode, ErrorPayload};
use tokio::sync::watch;

pub struct Budget {
    limit: Option<f64>,
    spend: Mutex<Spend>,
    next_key: AtomicU64,
    /// Flips to true once, when the total reaches the limit.
    reached: watch::Sender<bool>,
}

#[derive(Default)]
struct Spend {
    ended: f64,
    running: HashMap<u64, f64>,
}

impl Spend {
    fn total(&self) -> f64 {
        self.ended + self.running.values().sum::<f64>()
    }
}

impl Budget {
    pub fn new(limit: Option<f64>) -> Result<Budget, Error> {
        if let Some(usd) = limit.filter(|usd| !(usd.is_finite() && *usd > 0.0)) {
            return Err(Error::Validation {
                field: "budget".into(),
                reason: format!("--budget must be a positive number of USD, got {usd}"),
            });
        }
        let (reached, _) = watch::channel(false);
        Ok(Budget { limit, spend: Mutex::default(), next_key: AtomicU64::new(0), reached })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Spend> {
        self.spend.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// USD spent so far by the server's tasks (running ones at their cost last seen).
    pub fn spent(&self) -> f64 {
        self.lock().total()
    }

    /// The budget, if any.
    pub fn limit(&self) -> Option<f64> {
        self.limit
    }

    /// What is left, if there is a budget.
    pub fn remaining(&self) -> Option<f64> {
        self.limit.map(|limit| (limit - self.spent()).max(0.0))
    }

    /// A task may start: the budget is not reached; its key for [`Budget::saw`] and
    /// [`Budget::ended`]. Else a `cost_limit` error (nothing was sent).
    pub fn admit(&self) -> Result<u64, Box<ErrorPayload>> {
        if let Some(limit) = self.limit
            && self.spent() >= limit
        {
            let reason = format!(
                "the server's budget of {limit} USD is spent ({:.4} USD): no task starts (restart the server with a larger --budget)",
                self.spent()
            );
            let mut refusal = Error::Validation { field: "budget".into(), reason }.payload();
            refusal.code = ErrorCode::CostLimit;
            refusal.retryable = false;
            return Err(Box::new(refusal));
        }
        let key = self.next_key.fetch_add(1, Ordering::Relaxed);
        self.lock().running.insert(key, 0.0);
        Ok(key)
    }

    /// A running task's cost so far.
    pub fn saw(&self, key: u64, cost: f64) {
        let total = {
            let mut spend = self.lock();
            if let Some(seen) = spend.running.get_mut(&key) {
                *seen = seen.max(cost);
            }
            spend.total()
        };
        self.check(total);
    }

    /// A task ended at `cost` (its last cost seen when unknown).
    pub fn ended(&self, key: u64, cost: Option<f64>) {
        let total = {
            let mut spend = self.lock();
            let seen = spend.running.remove(&key).unwrap_or(0.0);
            spend.ended += cost.unwrap_or(seen).max(seen);
            spend.total()
        };
        self.check(total);
    }

    fn check(&self, total: f64) {
        if self.limit.is_some_and(|limit| total >= limit) {
            self.reached.send_replace(true);
        }
    }

    /// Waits until the budget is reached (forever without a budget).
    pub async fn reached(&self) {
        let mut seen = self.reached.subscribe();
        if self.limit.is_none() || seen.wait_for(|reached| *reached).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn running_and_ended_tasks_count_and_the_budget_wakes_its_waiters() {
        let budget = std::sync::Arc::new(Budget::new(Some(1.0)).unwrap());
        let a = budget.admit().unwrap();
        let b = budget.admit().unwrap();
        budget.saw(a, 0.4);
        budget.saw(a, 0.3); // a cost never goes down
        budget.ended(b, Some(0.2));
        assert!((budget.spent() - 0.6).abs() < 1e-9);
        assert!((budget.remaining().unwrap() - 0.4).abs() < 1e-9);
        let waiter = tokio::spawn({
            let budget = budget.clone();
            async move { budget.reached().await }
        });
        budget.saw(a, 0.8);
        waiter.await.unwrap();
        let refused = budget.admit().unwrap_err();
        assert_eq!(refused.code, ErrorCode::CostLimit);
        assert!(refused.message.contains("budget"), "{}", refused.message);
    }

    #[test]
    fn a_budget_must_be_positive() {
        assert!(Budget::new(Some(0.0)).is_err());
        assert!(Budget::new(Some(f64::NAN)).is_err());
        assert!(Budget::new(None).unwrap().admit().is_ok());
    }
}
