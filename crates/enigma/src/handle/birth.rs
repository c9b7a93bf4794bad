//! A task's birth: from the moment its create is sent until the service names it.
//!
//! The service answers `newTask` only when the task ends or after the 50 s inline wait, and
//! start-session names its initial task nowhere in the documented answer. So a task handle
//! exists before its id is known (sending -> named -> final), and everything that guards the
//! task (a wait's deadline, a cost ceiling, cancellation, events) starts at sending time, not
//! when the answer comes. `Birth` is what the handle's clones share about that: the id once
//! known, the create's answer once it came (with an inline outcome), or the create's failure.
//!
//! The id is learned from whichever source names the task first: the create's answer, or an
//! event on the session's live connection that names a task no event named before the create
//! was sent (the simulator's ids on every event; `task_completed`'s documented `taskId` at the
//! latest).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use tokio::sync::{broadcast, watch};

use crate::live::{Events, LiveSlot};
use crate::model::classify::{TaskState, TaskStatus};
use crate::model::error::{Error, Result};

/// Where a task's create stands.
#[derive(Debug, Clone)]
pub(crate) enum Stage {
    /// The create was sent; no answer yet.
    Sending,
    /// The create was answered (the id may still be unknown: start-session's initial task).
    Answered,
    /// The create failed: the error is the task's (a refusal, or an unknown outcome).
    Failed(Error),
    /// Nothing will ever name the task (its session's answer did not, and live events are off).
    Unnamed,
}

/// What a task's handles share about its birth.
pub(crate) struct Birth {
    id: OnceLock<Arc<str>>,
    stage: watch::Sender<Stage>,
    /// The final (or guardrail) outcome that came inline with the create's answer, so that a
    /// wait returns it without a request. A guardrail is handed out once: after it is answered
    /// the task runs again and must be waited on afresh.
    inline: Mutex<Option<TaskStatus>>,
    /// The task's session ends with it (run-task, `terminate_on_completion`): a final outcome
    /// means the session is over too.
    ends_session: bool,
    /// The session's first task, which nothing runs before: an outcome event that names no
    /// task (the documented guardrail and error events) is its own.
    alone: bool,
    /// The number of the last such event a wait handed out (see `Live::unnamed_outcome`), so
    /// that a question already answered is not handed out again.
    handed_unnamed: std::sync::atomic::AtomicU64,
}

impl Birth {
    /// A task already named (re-attached, or named in its create's answer).
    pub(crate) fn named(id: &str, inline: Option<TaskStatus>, ends_session: bool) -> Arc<Birth> {
        let birth = Birth::pending(ends_session, false);
        let _ = birth.id.set(id.into());
        birth.answer(inline);
        birth
    }

    /// A task whose create is on its way.
    /// `alone`: the first task of its session (see the field).
    pub(crate) fn pending(ends_session: bool, alone: bool) -> Arc<Birth> {
        let (stage, _) = watch::channel(Stage::Sending);
        let handed_unnamed = std::sync::atomic::AtomicU64::new(0);
        Arc::new(Birth { id: OnceLock::new(), stage, inline: Mutex::new(None), ends_session, alone, handed_unnamed })
    }

    pub(crate) fn alone(&self) -> bool {
        self.alone
    }

    /// Whether an unnamed outcome event of this number is news to this task's waits.
    pub(crate) fn is_new_unnamed(&self, number: u64) -> bool {
        number > self.handed_unnamed.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// A wait handed out the unnamed outcome event of this number.
    pub(crate) fn handed_unnamed(&self, number: u64) {
        self.handed_unnamed.fetch_max(number, std::sync::atomic::Ordering::SeqCst);
    }

    pub(crate) fn id(&self) -> Option<&str> {
        self.id.get().map(|id| &**id)
    }

    pub(crate) fn ends_session(&self) -> bool {
        self.ends_session
    }

    pub(crate) fn stage(&self) -> Stage {
        self.stage.borrow().clone()
    }

    /// Whether the create is still waiting for its answer.
    pub(crate) fn is_sending(&self) -> bool {
        matches!(*self.stage.borrow(), Stage::Sending)
    }

    /// Waits until the create's answer came (or failed), at most until `until`.
    pub(crate) async fn answered_by(&self, until: tokio::time::Instant) {
        self.wait_until(until, |_| false).await;
    }

    /// Waits (at most until `until`) while the create is still on its way, unless `done`
    /// holds first (the id, say, which an event may bring before the answer).
    async fn wait_until(&self, until: tokio::time::Instant, done: impl Fn(&Birth) -> bool) {
        let mut stage = self.watch();
        let sending = async {
            while !done(self) && matches!(stage.borrow_and_update().clone(), Stage::Sending) {
                if stage.changed().await.is_err() {
                    return;
                }
            }
        };
        let _ = tokio::time::timeout_at(until, sending).await;
    }

    pub(crate) fn watch(&self) -> watch::Receiver<Stage> {
        self.stage.subscribe()
    }

    /// The service named the task. The first name wins; a later, different one (which the
    /// learning rules should make impossible) is only logged.
    pub(crate) fn name(&self, id: &str) {
        if self.id.set(id.into()).is_err() && self.id() != Some(id) {
            tracing::warn!(
                learned = self.id(),
                answered = id,
                "the service named the task differently than its events"
            );
        }
        self.stage.send_modify(|_| {});
    }

    /// The create's answer came, with its inline outcome (if any). A guardrail question in an
    /// answer that comes after an event named the task is dropped: a wait may already have
    /// seen it (and the question been answered), and a stale one would be handed out again.
    pub(crate) fn answer(&self, inline: Option<TaskStatus>) {
        let named_before = self.id().is_some();
        let inline =
            inline.filter(|s| s.state.is_final() && !(named_before && matches!(s.state, TaskState::Guardrail { .. })));
        *self.inline.lock().unwrap_or_else(|e| e.into_inner()) = inline;
        self.stage.send_replace(Stage::Answered);
    }

    pub(crate) fn fail(&self, error: Error) {
        self.stage.send_replace(Stage::Failed(error));
    }

    pub(crate) fn unnamed(&self) {
        if self.id().is_none() {
            self.stage.send_replace(Stage::Unnamed);
        }
    }

    /// The inline answer, if any. A guardrail is taken (handed out once); final answers stay.
    pub(crate) fn take_inline(&self) -> Option<TaskStatus> {
        let mut inline = self.inline.lock().unwrap_or_else(|e| e.into_inner());
        match inline.as_ref()?.state {
            TaskState::Guardrail { .. } => inline.take(),
            _ => inline.clone(),
        }
    }

    /// Waits until the task is named, its create failed, or it can never be named.
    pub(crate) async fn named_id(&self, session_id: &str) -> Result<Arc<str>> {
        let mut stage = self.watch();
        loop {
            if let Some(id) = self.id.get() {
                return Ok(id.clone());
            }
            let current = stage.borrow_and_update().clone();
            match current {
                Stage::Failed(err) => return Err(err),
                Stage::Unnamed => return Err(unnamed_error(session_id)),
                Stage::Sending | Stage::Answered => {}
            }
            // The sender lives in `self`: `changed` cannot fail while we borrow it.
            let _ = stage.changed().await;
        }
    }

    /// Waits (at most `limit`) until the create was answered, failed, or the task was named.
    pub(crate) async fn settled_within(&self, limit: Duration) {
        self.wait_until(tokio::time::Instant::now() + limit, |birth| birth.id().is_some()).await;
    }
}

fn unnamed_error(session_id: &str) -> Error {
    Error::OutcomeUnknown {
        operation: "start-session".to_owned(),
        session_id: Some(session_id.to_owned()),
        message: "the service did not name the initial task and live events are off, so its id cannot be learned"
            .to_owned(),
        source: None,
    }
}

/// What a create's events may name: a connection that was up when the create was sent, and
/// the tasks its events had named by then (those are not ours).
pub(crate) struct Lookout {
    events: Events,
    before: HashSet<String>,
}

impl Lookout {
    /// A lookout on the session's connection if it is up right now, given the tasks created
    /// before through the session's handle (`None` when a task may run that this process cannot
    /// tell from the new one: an earlier task not named yet, whose first named event could be
    /// taken for the new task's, queued behind it).
    pub(crate) fn on(live: &LiveSlot, earlier: &[Arc<Birth>]) -> Option<Lookout> {
        let mut before = HashSet::new();
        for birth in earlier {
            before.insert(birth.id()?.to_owned());
        }
        let live = live.connected()?;
        let events = live.subscribe()?;
        before.extend(live.named_tasks());
        Some(Lookout { events, before })
    }

    /// The first task named that was not named before; `None` once the connection closed.
    pub(crate) async fn next_new_task(&mut self) -> Option<String> {
        loop {
            match self.events.recv().await {
                Ok(event) => {
                    if let Some(id) = event.task_id()
                        && !self.before.contains(id)
                    {
                        return Some(id.to_owned());
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

/// Learns the id of a session's initial task, which start-session's documented answer does not
/// give: the first task any event of the session names is it (the initial task starts at once,
/// before any other). Runs while a handle of the task lives and the connection is open.
pub(crate) fn learn_initial_task(birth: &Arc<Birth>, live: Arc<LiveSlot>) {
    let weak: Weak<Birth> = Arc::downgrade(birth);
    tokio::spawn(async move {
        let Ok(connection) = live.get_or_connect().await else {
            // No connection: nothing else can name it.
            if let Some(birth) = weak.upgrade() {
                birth.unnamed();
            }
            return;
        };
        let Some(mut events) = connection.subscribe() else { return };
        // Named before the subscription began? The connection remembers the first task.
        let mut found = connection.first_named_task();
        let mut check = tokio::time::interval(Duration::from_secs(5));
        while found.is_none() {
            tokio::select! {
                received = events.recv() => match received {
                    Ok(event) => found = event.task_id().map(str::to_owned),
                    Err(broadcast::error::RecvError::Lagged(_)) => found = connection.first_named_task(),
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                // Nobody holds the task any more: stop listening.
                _ = check.tick() => if weak.strong_count() == 0 { return },
            }
        }
        if let (Some(birth), Some(id)) = (weak.upgrade(), found) {
            tracing::debug!(task = %id, "the initial task was named by an event");
            birth.name(&id);
        }
    });
}
