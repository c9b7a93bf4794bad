//! Waiting for a task's outcome, by the fastest path that is still correct: the inline answer
//! if it came; else the live connection's events for the task, with one REST check whenever
//! events may have been missed (a (re)connect, a lag) and whenever the socket has been silent
//! for a poll interval; else REST polls at the poll interval. So a wait on the socket is never
//! slower than polling would have been. Every path ends in the same classifier, so the outcome
//! does not depend on the path.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::time::Instant;

use super::task::Task;
use crate::live::Live;
use crate::model::classify::{TaskState, TaskStatus, classify, final_status};
use crate::model::error::{Error, Result};
use crate::model::event::Event;
use crate::model::message::{Message, StateCommand};
use crate::model::options::WaitOptions;
use crate::model::result::TaskResult;
use crate::model::validate;

impl Task {
    /// Waits for the outcome: the inline answer if one came, else polls every poll interval
    /// until a final answer, the deadline ([`Error::WaitTimeout`](crate::Error::WaitTimeout):
    /// this handle can wait again) or the cost ceiling ([`Error::CostLimit`](crate::Error::CostLimit),
    /// after sending `stop`). A failure is [`Error::TaskFailed`](crate::Error::TaskFailed); the
    /// session ending under the task is [`Error::SessionEnded`](crate::Error::SessionEnded).
    pub async fn result(&self, options: WaitOptions) -> Result<TaskResult> {
        wait_for_result(self, options, |_| {}).await
    }

    /// Like [`Task::result`], calling `on_status` with every status polled while waiting
    /// (progress displays: state, cost so far).
    pub async fn result_with_progress(
        &self,
        options: WaitOptions,
        on_status: impl FnMut(&TaskStatus) + Send,
    ) -> Result<TaskResult> {
        wait_for_result(self, options, on_status).await
    }
}

/// While events flow, a REST check this often anyway: a safety net against an outcome event
/// lost on the service's side while other events still come. Long enough that a typical task
/// needs none.
const SAFETY_POLL: Duration = Duration::from_secs(60);

#[tracing::instrument(name = "wait", level = "info", skip_all, fields(session = task.session_id(), task = task.id()))]
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
    let interval = task.client.config().poll_interval;
    let mut watch = Watch::open(task).await;
    // A check first, unless the socket has been up since before the task began: then nothing
    // can have been missed.
    let mut check_now = watch.as_ref().is_none_or(|w| !w.saw_everything_since(task.sent_at()));
    match watch.as_ref().and_then(|w| w.cached_outcome(task)) {
        Some(Cached::Trusted(status)) => {
            on_status(&status);
            if let Some(outcome) = finish(status, task) {
                return outcome;
            }
        }
        Some(Cached::Confirm) => check_now = true,
        None => {}
    }
    // When the last REST check was made, and when the socket last proved it delivers.
    let mut last_check = Instant::now();
    let mut last_heard = last_check;
    loop {
        if check_now {
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
            check_now = false;
            last_check = Instant::now();
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(timed_out(task, started));
        }
        // Polling is the path without a socket, and how a cost ceiling sees usage grow.
        let on_socket = watch.is_some() && options.max_cost.is_none();
        let next_check = next_check(on_socket, last_check, last_heard, interval);
        let wake = deadline.map_or(next_check, |d| next_check.min(d));
        let Some(live) = watch.as_mut() else {
            tokio::time::sleep_until(wake).await;
            check_now = true;
            continue;
        };
        tokio::select! {
            received = live.events.recv() => match received {
                Ok(event) => {
                    if proves_delivery(&event) {
                        last_heard = Instant::now();
                    }
                    match live.judge(event, task) {
                        Verdict::Outcome(status) => {
                            on_status(&status);
                            if let Some(outcome) = finish(status, task) {
                                return outcome;
                            }
                        }
                        Verdict::Check => check_now = true,
                        Verdict::Ignore => {}
                    }
                }
                // Events this wait never saw may include its outcome: ask.
                Err(broadcast::error::RecvError::Lagged(_)) => check_now = true,
                Err(broadcast::error::RecvError::Closed) => {
                    // The connection gave up (or the session ended): poll from here on.
                    watch = None;
                    check_now = true;
                }
            },
            _ = tokio::time::sleep_until(wake) => check_now = true,
        }
    }
}

/// When the next REST check is due. Polling: a poll interval after the last check. On the
/// socket: once it has said nothing for a poll interval (an open socket can go silent: a stalled
/// server, withheld events, a connection down and reconnecting), so that the wait is never slower
/// than polling; and every [`SAFETY_POLL`] however busy it is.
fn next_check(on_socket: bool, last_check: Instant, last_heard: Instant, interval: Duration) -> Instant {
    if !on_socket {
        return last_check + interval;
    }
    (last_check.max(last_heard) + interval).min(last_check + SAFETY_POLL.max(interval))
}

/// Whether an event shows that the service's events reach this client. The SDK's own reports
/// of a connection going down (or of a reader falling behind) do not.
fn proves_delivery(event: &Event) -> bool {
    !matches!(
        event,
        Event::Disconnected { .. } | Event::Reconnecting { .. } | Event::ConnectError { .. } | Event::Lagged { .. }
    )
}

/// A waiter's subscription to the session's live connection.
struct Watch {
    live: Arc<Live>,
    events: broadcast::Receiver<Event>,
}

enum Cached {
    Trusted(TaskStatus),
    Confirm,
}

enum Verdict {
    Outcome(TaskStatus),
    Check,
    Ignore,
}

impl Watch {
    async fn open(task: &Task) -> Option<Watch> {
        let slot = task.live_slot();
        if !slot.enabled() {
            return None;
        }
        let live = slot.get_or_connect().await.ok()?;
        let events = live.subscribe()?;
        Some(Watch { live, events })
    }

    fn saw_everything_since(&self, sent_at: Option<Instant>) -> bool {
        matches!((self.live.connected_since(), sent_at), (Some(up), Some(sent)) if up <= sent)
    }

    /// An outcome seen before the waiter subscribed: a completion or stop as it stands, a
    /// guardrail or failure to confirm over REST (see `trusted`).
    fn cached_outcome(&self, task: &Task) -> Option<Cached> {
        match classify(&self.live.final_for(task.id())?) {
            Ok(status) if trusted(&status) => Some(Cached::Trusted(status)),
            _ => Some(Cached::Confirm),
        }
    }

    /// What an event means for the waited task.
    fn judge(&self, event: Event, task: &Task) -> Verdict {
        match &event {
            Event::Connected | Event::SessionEnded { .. } | Event::InstanceReconnected { .. } => Verdict::Check,
            Event::Lagged { .. } => Verdict::Check,
            Event::TaskCompleted { raw, .. }
            | Event::Guardrail { raw, .. }
            | Event::TaskError { raw, .. }
            | Event::Raw { payload: raw, .. } => {
                let Some(status) = final_status(raw) else { return Verdict::Ignore };
                match event.task_id() {
                    Some(id) if id == task.id() && trusted(&status) => Verdict::Outcome(status),
                    Some(id) if id == task.id() => Verdict::Check,
                    Some(_) => Verdict::Ignore,
                    // An outcome that names no task may be ours: ask the service.
                    None => Verdict::Check,
                }
            }
            _ => Verdict::Ignore,
        }
    }
}

/// Whether a socket event's outcome is final as it stands. A completion or a stop is. A
/// guardrail question may already have been answered (the event can arrive after the answer),
/// and a failure event carries no usage: both are confirmed with one REST check.
fn trusted(status: &TaskStatus) -> bool {
    matches!(status.state, TaskState::Completed { .. } | TaskState::Stopped)
}

impl std::ops::Deref for Watch {
    type Target = Live;
    fn deref(&self) -> &Live {
        &self.live
    }
}

fn finish(status: TaskStatus, task: &Task) -> Option<Result<TaskResult>> {
    TaskResult::from_status(status, task.session_id(), task.id())
}

fn timed_out(task: &Task, started: Instant) -> Error {
    Error::WaitTimeout {
        session_id: task.session_id().to_owned(),
        task_id: task.id().to_owned(),
        waited: started.elapsed(),
    }
}

/// Sends `stop` (the seed's "stop if cost exceeds threshold" tip) and reports the usage seen.
async fn stop_for_cost(task: &Task, status: TaskStatus, limit: f64) -> Error {
    let stop = Message::State { new_state: StateCommand::Stop };
    if let Err(err) = task.client.send_message_raw(task.session_id(), &stop).await {
        // The cost error is what the caller must see; the failed stop is worth a warning.
        tracing::warn!(task = task.id(), error = %err, "could not stop the task after its cost passed the limit");
    }
    Error::CostLimit {
        session_id: task.session_id().to_owned(),
        task_id: task.id().to_owned(),
        usage: Box::new(status.usage),
        limit,
    }
}
