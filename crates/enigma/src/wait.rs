//! Waiting for a task's outcome: the inline answer, else polling with a deadline and a cost
//! ceiling.

use tokio::time::Instant;

use crate::error::{Error, Result};
use crate::message::{Message, StateCommand};
use crate::options::WaitOptions;
use crate::result::TaskResult;
use crate::status::TaskStatus;
use crate::task::Task;
use crate::validate;

pub(crate) async fn wait_for_result(
    task: &Task,
    options: WaitOptions,
    mut on_status: impl FnMut(&TaskStatus) + Send,
) -> Result<TaskResult> {
    validate::wait_options(&options)?;
    if let Some(status) = task.take_inline()
        && let Some(outcome) = finish(status, task)
    {
        return outcome;
    }
    let started = Instant::now();
    let deadline = options.timeout.map(|t| started + t);
    let interval = options.poll_interval.unwrap_or(task.client.config().poll_interval);
    loop {
        let status = match deadline {
            Some(deadline) => match tokio::time::timeout_at(deadline, task.poll()).await {
                Ok(polled) => polled?,
                Err(_) => return Err(timed_out(task, started)),
            },
            None => task.poll().await?,
        };
        on_status(&status);
        if let Some(limit) = options.max_cost
            && status.usage.cost.is_some_and(|cost| cost > limit)
            && !status.state.is_final()
        {
            return Err(stop_for_cost(task, status, limit).await);
        }
        if let Some(outcome) = finish(status, task) {
            return outcome;
        }
        let mut wake = Instant::now() + interval;
        if let Some(deadline) = deadline {
            if Instant::now() >= deadline {
                return Err(timed_out(task, started));
            }
            wake = wake.min(deadline);
        }
        tokio::time::sleep_until(wake).await;
    }
}

fn finish(status: TaskStatus, task: &Task) -> Option<Result<TaskResult>> {
    TaskResult::from_status(status, task.session_id(), task.id())
}

fn timed_out(task: &Task, started: Instant) -> Error {
    Error::WaitTimeout { task: Box::new(task.clone()), waited: started.elapsed() }
}

/// Sends `stop` (the seed's "stop if cost exceeds threshold" tip) and reports the usage seen.
async fn stop_for_cost(task: &Task, status: TaskStatus, limit: f64) -> Error {
    let stop = Message::State { new_state: StateCommand::Stop };
    if let Err(err) = task.client.send_message_raw(task.session_id(), &stop).await {
        // The cost error is what the caller must see; the failed stop is worth a warning.
        tracing::warn!(task = task.id(), error = %err, "could not stop the task after its cost passed the limit");
    }
    Error::CostLimit { task: Box::new(task.clone()), usage: Box::new(status.usage), limit }
}
