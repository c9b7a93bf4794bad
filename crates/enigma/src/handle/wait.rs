//! Waiting for a task's outcome, by the fastest path that is still correct: the inline answer
//! if it came; else the live connection's events for the task, with one REST check whenever
//! events may have been missed (a (re)connect, a lag) and whenever the socket has been quiet
//! (`check_timing`: after a poll interval, then ever less often while the connection is up);
//! else REST polls at the poll interval. Every path ends in the same classifier, so the outcome
//! does not depend on the path.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use tokio::time::Instant;

use super::birth::Stage;
use super::ceiling::Ceiling;
use super::check_timing::{Watching, next_check};
use super::task::Task;
use crate::live::{Events, Live};
use crate::model::checked::{Checked, IntoChecked};
use crate::model::classify::{TaskState, TaskStatus, classify, final_status};
use crate::model::error::{Error, Result};
use crate::model::error_code::ErrorCode;
use crate::model::event::Event;
use crate::model::message::{Message, StateCommand};
use crate::model::options::WaitOptions;
use crate::model::result::{Outcome, TaskResult};
use crate::model::usage::Usage;

impl Task {
    /// Waits for the outcome: the inline answer if one came, else the live connection's events
    /// and polls, until a final answer, the deadline ([`Error::WaitTimeout`](crate::Error::WaitTimeout):
    /// this handle can wait again) or the cost ceiling ([`Error::CostLimit`](crate::Error::CostLimit),
    /// after sending `stop`; see [`WaitOptions::max_cost`] for its bound). A failure is
    /// [`Error::TaskFailed`](crate::Error::TaskFailed); the session ending under the task is
    /// [`Error::SessionEnded`](crate::Error::SessionEnded).
    ///
    /// A task the service has not named yet (its create's answer has not come) is guarded from
    /// the first second all the same: the deadline, the ceiling (by time, see
    /// [`WaitOptions::max_cost`]) and dropping this future act while the create is in flight.
    pub async fn result(&self, options: impl IntoChecked<WaitOptions>) -> Result<TaskResult> {
        wait_for_result(self, options.into_checked()?, None::<fn(&TaskStatus)>).await
    }

    /// Like [`Task::result`], calling `on_status` with every status seen while waiting
    /// (progress displays: state, cost so far). The cost is polled every poll interval even
    /// when live events are on, since running cost is only visible on polls.
    pub async fn result_with_progress(
        &self,
        options: impl IntoChecked<WaitOptions>,
        on_status: impl FnMut(&TaskStatus) + Send,
    ) -> Result<TaskResult> {
        wait_for_result(self, options.into_checked()?, Some(on_status)).await
    }
}

/// How long an outcome event waits for the create's answer (which the task's end brings at
/// once) before a poll confirms it instead.
const ANSWER_GRACE: Duration = Duration::from_secs(1);

/// After a stop for cost sent before the task was named, how long to wait for the create's
/// answer (the stop ends the task, so it comes at once) to name the task and tell its usage.
const STOP_ANSWER_WAIT: Duration = Duration::from_secs(5);

#[tracing::instrument(name = "wait", level = "info", skip_all, fields(session = task.session_id(), task = task.id()))]
pub(crate) async fn wait_for_result(
    task: &Task,
    options: Checked<WaitOptions>,
    mut on_status: Option<impl FnMut(&TaskStatus) + Send>,
) -> Result<TaskResult> {
    let options = options.into_inner();
    let started = Instant::now();
    let deadline = options.timeout.map(|t| started + t);
    let outcome = wait_named(task, &options, started, deadline, &mut on_status).await;
    let self_ending = task.birth.ends_session() || task.client.ends_with_its_task(task.session_id());
    let session_over = matches!(&outcome, Err(err) if err.error_code() == ErrorCode::SessionEnded);
    if session_over || (self_ending && ended_the_session(&outcome)) {
        // The session ended (with its task, on terminate on completion, or under it: the
        // service said so): nothing to end any more.
        task.client.forget_session(task.session_id());
    }
    outcome
}

/// Whether a wait's outcome means the task's session is over, when it ends with the task.
fn ended_the_session(outcome: &Result<TaskResult>) -> bool {
    match outcome {
        Ok(result) => result.outcome != Outcome::Guardrail,
        Err(err) => err.error_code().ends_its_session(),
    }
}

async fn wait_named(
    task: &Task,
    options: &WaitOptions,
    started: Instant,
    deadline: Option<Instant>,
    on_status: &mut Option<impl FnMut(&TaskStatus) + Send>,
) -> Result<TaskResult> {
    if task.id().is_none()
        && let Some(ended) = Box::pin(until_named(task, options, started, deadline)).await?
    {
        return ended;
    }
    // Polls are the path without a socket, and how a ceiling or a progress display sees the
    // cost grow (events carry none until the end).
    let watches_cost = options.max_cost.is_some() || on_status.is_some();
    let mut report = |status: &TaskStatus| {
        if let Some(on_status) = on_status.as_mut() {
            on_status(status);
        }
    };
    if let Some(status) = task.take_inline()
        && let Some(outcome) = finish(status, task, options)
    {
        return outcome;
    }
    let interval = task.client.config().poll_interval;
    let mut watch = Watch::open(task).await;
    // A check first, unless the socket has been up since before the task began: then nothing
    // can have been missed.
    let mut check_now = watch.as_ref().is_none_or(|w| !w.saw_everything_since(task.sent_at()));
    match watch.as_ref().and_then(|w| w.cached_outcome(task)) {
        Some(Cached::Trusted(status)) => {
            report(&status);
            if let Some(outcome) = finish(status, task, options) {
                return outcome;
            }
        }
        Some(Cached::Confirm) => check_now = true,
        None => {}
    }
    // When the last REST check was made, and since when the socket has been quiet: since it
    // last proved it delivers, or since this client last sent the session a command.
    let mut last_check = Instant::now();
    let mut quiet_since = last_check;
    let mut commands = watch.as_ref().map(|_| task.live_slot().commands());
    // Checks made in a row because the socket was quiet: each next one waits longer.
    let mut quiet_checks = 0u32;
    // An event told this task's outcome, to be confirmed by a check.
    let mut outcome_seen = false;
    let mut ceiling = options.max_cost.map(|limit| Ceiling::new(limit, task.sent_at()));
    loop {
        if check_now && outcome_seen {
            // An outcome event needs confirming: if the create's answer is still on its way,
            // it comes now (the task just ended) and holds the outcome, which saves the poll
            // (the inline fast path).
            if task.birth.is_sending() {
                let until = Instant::now() + ANSWER_GRACE;
                task.birth.answered_by(deadline.map_or(until, |d| d.min(until))).await;
            }
            if let Some(status) = task.take_inline()
                && let Some(outcome) = finish(status, task, options)
            {
                return outcome;
            }
        }
        if check_now {
            outcome_seen = false;
            // Boxed, like the other requests below: a wait spends its life between checks, and
            // an HTTP request's state inline would be carried by every idle waiter.
            let status = match deadline {
                Some(deadline) => match tokio::time::timeout_at(deadline, Box::pin(task.poll())).await {
                    Ok(polled) => polled?,
                    Err(_) => return Err(timed_out(task, started)),
                },
                None => Box::pin(task.poll()).await?,
            };
            report(&status);
            if let Some(cost) = status.usage.cost {
                if let Some(sent) = task.sent_at() {
                    task.client.note_spend(cost, sent.elapsed());
                }
                if let Some(ceiling) = ceiling.as_mut() {
                    ceiling.saw(cost);
                }
            }
            if let Some(limit) = options.max_cost
                && status.usage.cost.is_some_and(|cost| cost > limit)
                && !status.state.is_final()
            {
                return Err(Box::pin(stop_for_cost(task, status, limit)).await);
            }
            if let Some(outcome) = finish(status, task, options) {
                return outcome;
            }
            check_now = false;
            last_check = Instant::now();
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(timed_out(task, started));
        }
        let watching = match watch.as_ref() {
            Some(live) if !watches_cost && live.is_connected() => Watching::SocketUp,
            Some(_) if !watches_cost => Watching::SocketDown,
            _ => Watching::Polling,
        };
        let quiet_check = next_check(watching, last_check, quiet_since, interval, quiet_checks);
        let mut next_check = quiet_check;
        if let Some(ceiling) = &ceiling {
            next_check = next_check.min(ceiling.next_look(last_check, interval, task.client.spend_rate()));
        }
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
                        quiet_since = Instant::now();
                        quiet_checks = 0;
                    }
                    match live.judge(&event, task) {
                        Verdict::Outcome(status) => {
                            report(&status);
                            if let Some(outcome) = finish(status, task, options) {
                                return outcome;
                            }
                        }
                        Verdict::Check => check_now = true,
                        Verdict::Confirm => {
                            check_now = true;
                            outcome_seen = true;
                        }
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
            // A command (a stop, say) may change the task without an event: the quiet starts
            // over, so the next check is a poll interval away, as polling would find it.
            Some(()) = next_command(&mut commands) => {
                quiet_since = Instant::now();
                quiet_checks = 0;
            }
            _ = tokio::time::sleep_until(wake) => {
                check_now = true;
                if Instant::now() >= quiet_check {
                    quiet_checks = quiet_checks.saturating_add(1);
                }
            }
        }
    }
}

/// Guards a task the service has not named yet with what needs no id, until it is named: the
/// deadline, and the cost ceiling by time (its running cost cannot be polled without the id, so
/// it is estimated with the highest spend rate this client has seen; with none seen yet the
/// ceiling waits for the name). The first task of a session also takes the outcome events
/// that name no task (the documented guardrail and error events): they can only be its own.
/// Returns `None` when the task is named, or the outcome such an event gave; fails with the
/// create's error.
async fn until_named(
    task: &Task,
    options: &WaitOptions,
    started: Instant,
    deadline: Option<Instant>,
) -> Result<Option<Result<TaskResult>>> {
    let mut stage = task.birth.watch();
    let ceiling = options.max_cost.and_then(|limit| {
        let rate = task.client.spend_rate()?;
        let reached_at = task.sent_at()? + Duration::try_from_secs_f64(limit / rate).ok()?;
        Some((reached_at, limit))
    });
    let watch = match task.birth.alone() {
        true => Watch::open(task).await,
        false => None,
    };
    // An outcome that came before the subscription (the connection keeps the latest).
    if let Some((number, raw)) = watch.as_ref().and_then(|w| w.unnamed_outcome())
        && task.birth.is_new_unnamed(number)
        && let Some(status) = final_status(&raw)
        && let Some(outcome) = finish(status, task, options)
    {
        task.birth.handed_unnamed(number);
        return Ok(Some(outcome));
    }
    let live = watch.as_ref().map(|w| w.live.clone());
    let mut events = watch.map(|w| w.events);
    loop {
        if task.id().is_some() {
            return Ok(None);
        }
        let current = stage.borrow_and_update().clone();
        match current {
            Stage::Failed(err) => return Err(err),
            Stage::Unnamed => return task.birth.named_id(task.session_id()).await.map(|_| None),
            Stage::Sending | Stage::Answered => {}
        }
        let wake = [deadline, ceiling.map(|(at, _)| at)].into_iter().flatten().min();
        tokio::select! {
            // The sender lives in the task's birth, which `task` holds.
            _ = stage.changed() => {}
            received = next_event(&mut events) => match received.as_deref() {
                Some(Event::Guardrail { task_id: None, raw, .. } | Event::TaskError { task_id: None, raw, .. }) => {
                    if let Some(status) = final_status(raw)
                        && let Some(outcome) = finish(status, task, options)
                    {
                        // The connection numbered it before it was sent: mark it handed out.
                        if let Some((number, _)) = live.as_ref().and_then(|l| l.unnamed_outcome()) {
                            task.birth.handed_unnamed(number);
                        }
                        return Ok(Some(outcome));
                    }
                }
                // Its completion names it (the learner may not have read it yet).
                Some(Event::TaskCompleted { task_id: Some(id), .. }) => task.birth.name(id),
                // The session ended before anything named the task: its outcome cannot be learned.
                Some(Event::SessionEnded { .. }) => {
                    return Err(Error::SessionEnded { session_id: task.session_id().to_owned(), task_id: None });
                }
                Some(_) => {}
                None => events = None,
            },
            _ = sleep_until(wake) => {
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Err(timed_out(task, started));
                }
                if let Some((_, limit)) = ceiling {
                    return Err(stop_unnamed_for_cost(task, limit).await);
                }
            }
        }
    }
}

/// The next event of a subscription (skipping a lag); `None` once it closed. Never resolves
/// without one.
async fn next_event(events: &mut Option<Events>) -> Option<Arc<Event>> {
    let Some(receiver) = events.as_mut() else { return std::future::pending().await };
    loop {
        match receiver.recv().await {
            Ok(event) => return Some(event),
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return None,
        }
    }
}

/// The next command this client sends the session; `None` once nothing can send one.
async fn next_command(commands: &mut Option<tokio::sync::watch::Receiver<u64>>) -> Option<()> {
    commands.as_mut()?.changed().await.ok()
}

async fn sleep_until(wake: Option<Instant>) {
    match wake {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
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
    events: Events,
}

enum Cached {
    Trusted(TaskStatus),
    Confirm,
}

enum Verdict {
    Outcome(TaskStatus),
    /// Something may have been missed: ask the service.
    Check,
    /// The task's outcome, to be confirmed (a guardrail, a failure).
    Confirm,
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
        match classify(&self.live.final_for(task.id()?)?) {
            Ok(status) if trusted(&status) => Some(Cached::Trusted(status)),
            _ => Some(Cached::Confirm),
        }
    }

    /// What an event means for the waited task.
    fn judge(&self, event: &Event, task: &Task) -> Verdict {
        match event {
            Event::Connected | Event::SessionEnded { .. } | Event::InstanceReconnected { .. } => Verdict::Check,
            Event::Lagged { .. } => Verdict::Check,
            Event::TaskCompleted { raw, .. }
            | Event::Guardrail { raw, .. }
            | Event::TaskError { raw, .. }
            | Event::Raw { payload: raw, .. } => {
                let Some(status) = final_status(raw) else { return Verdict::Ignore };
                match event.task_id() {
                    Some(id) if Some(id) == task.id() && trusted(&status) => Verdict::Outcome(status),
                    Some(id) if Some(id) == task.id() => Verdict::Confirm,
                    Some(_) => Verdict::Ignore,
                    // An outcome that names no task (the documented events) may be ours.
                    None => Verdict::Confirm,
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

/// The outcome of a final status, or `None` while the task runs. A task that ended over the
/// wait's cost ceiling is a `cost_limit` error, never a silent success.
fn finish(status: TaskStatus, task: &Task, options: &WaitOptions) -> Option<Result<TaskResult>> {
    if let (Some(cost), Some(sent)) = (status.usage.cost, task.sent_at())
        && status.state.is_final()
    {
        task.client.note_spend(cost, sent.elapsed());
    }
    if let Some(limit) = options.max_cost
        && status.usage.cost.is_some_and(|cost| cost > limit)
        && matches!(status.state, TaskState::Completed { .. })
    {
        return Some(Err(cost_limit(task, status.usage, limit)));
    }
    TaskResult::from_status(status, task.session_id(), task.id().unwrap_or_default())
}

fn timed_out(task: &Task, started: Instant) -> Error {
    Error::WaitTimeout {
        session_id: task.session_id().to_owned(),
        task_id: task.id().map(str::to_owned),
        waited: started.elapsed(),
    }
}

fn cost_limit(task: &Task, usage: Usage, limit: f64) -> Error {
    Error::CostLimit {
        session_id: task.session_id().to_owned(),
        task_id: task.id().map(str::to_owned),
        usage: Box::new(usage),
        limit,
    }
}

/// Sends `stop` (the seed's "stop if cost exceeds threshold" tip) and reports the usage seen.
async fn stop_for_cost(task: &Task, status: TaskStatus, limit: f64) -> Error {
    send_stop(task).await;
    cost_limit(task, status.usage, limit)
}

/// The ceiling was reached, by estimate, before the service named the task: `stop` (which
/// needs no id), then the usage the create's answer (which the stop brings at once) tells.
async fn stop_unnamed_for_cost(task: &Task, limit: f64) -> Error {
    send_stop(task).await;
    let named = tokio::time::timeout(STOP_ANSWER_WAIT, task.birth.named_id(task.session_id())).await;
    let usage = match (task.take_inline(), named) {
        (Some(status), _) => status.usage,
        (None, Ok(Ok(_))) => task.poll().await.map(|s| s.usage).unwrap_or_default(),
        _ => Usage::default(),
    };
    cost_limit(task, usage, limit)
}

/// Stops the session's current task (a stop needs no task id). Over REST, not the socket: its
/// answer proves the service took the stop before the caller hears of it, so a poll that
/// follows sees the task stopped. A failed stop is worth a warning: the cost error is what the
/// caller must see.
async fn send_stop(task: &Task) {
    let stop = Message::State { new_state: StateCommand::Stop };
    if let Err(err) = task.client.send_message_raw(task.session_id(), &stop).await {
        tracing::warn!(task = task.id(), error = %err, "could not stop the task after its cost passed the limit");
    }
}
