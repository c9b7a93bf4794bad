//! `Task`: a handle on one task of a session (ids plus a client). Its id may not be known yet:
//! a task exists from the moment its create is sent (`birth.rs`). Waiting for its outcome
//! (`Task::result`) is `wait.rs`; its session (`Task::session`) is `session.rs`.

use std::fmt;
use std::sync::Arc;

use tokio::time::Instant;

use super::birth::Birth;
use super::client::Client;
use crate::live::LiveSlot;
use crate::model::classify::{TaskStatus, classify};
use crate::model::error::Result;

/// A task of a session. Cheap to clone; re-made from ids with [`Client::task`].
///
/// Started, looked at, and waited for with a deadline and a cost ceiling (`client` is a
/// [`Client`] on the in-process simulator, as in [`Client`]'s example):
///
/// ```
/// use std::time::Duration;
/// use enigma::{Outcome, SessionOptions, TaskState, WaitOptions};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sim = enigma_sim::Simulator::start(enigma_sim::SimConfig::for_tests()).await?;
/// # let client = enigma::Client::builder().api_key("enig_docexampledocexampledocexample").base_url(sim.url())
/// #     .poll_interval(std::time::Duration::from_millis(10)).build()?;
///
/// let task = client.start_task(SessionOptions::new().task_details("Find a desk lamp #sim duration=5")).await?;
/// let status = task.poll().await?; // one look, no waiting
/// assert!(matches!(status.state, TaskState::Running { .. } | TaskState::Completed { .. }), "{status:?}");
///
/// let wait = WaitOptions::new().timeout(Duration::from_secs(60)).max_cost(0.50);
/// let result = task.result(wait).await?;
/// assert_eq!(result.outcome, Outcome::Completed);
/// println!("{} in session {}: {:?} USD", result.outcome, task.session_id(), result.usage.cost);
/// task.session().terminate().await?; // `start_task`'s session ends with its task; this makes sure
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Task {
    pub(crate) client: Client,
    session_id: Arc<str>,
    pub(crate) birth: Arc<Birth>,
    /// The session's live connection (shared with the session handle).
    live: Arc<LiveSlot>,
    /// When the request that created the task was sent (unknown for a re-attached task): a
    /// socket up since before then has seen every event of the task.
    sent_at: Option<Instant>,
}

impl Task {
    pub(crate) fn new(
        client: Client,
        session_id: &str,
        birth: Arc<Birth>,
        live: Arc<LiveSlot>,
        sent_at: Option<Instant>,
    ) -> Task {
        Task { client, session_id: session_id.into(), birth, live, sent_at }
    }

    /// The task id, once the service named the task; `None` while its create is still
    /// waiting for an answer from a service that names tasks only there (the documented
    /// service holds a `newTask` answer up to 50 s, and names start-session's initial task
    /// on its `task_completed` event). [`Task::wait_for_id`] waits for it.
    pub fn id(&self) -> Option<&str> {
        self.birth.id()
    }

    /// The task id, waiting until the service names the task. Fails with the create's error
    /// if the create failed.
    pub async fn wait_for_id(&self) -> Result<String> {
        Ok(self.birth.named_id(&self.session_id).await?.to_string())
    }

    /// The session's id.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// One look at the task (`GET /task/:sessionId/:taskId`); first waits until the task is
    /// named ([`Task::wait_for_id`]).
    #[tracing::instrument(name = "poll", level = "debug", skip_all, fields(session = %self.session_id, task = self.id()))]
    pub async fn poll(&self) -> Result<TaskStatus> {
        let id = self.birth.named_id(&self.session_id).await?;
        let body = self.client.poll_raw(&self.session_id, &id).await?;
        classify(&body)
    }

    pub(crate) fn live_slot(&self) -> &LiveSlot {
        &self.live
    }

    pub(crate) fn sent_at(&self) -> Option<Instant> {
        self.sent_at
    }

    /// The inline answer, if any. A guardrail is taken (handed out once); final answers stay.
    pub(crate) fn take_inline(&self) -> Option<TaskStatus> {
        self.birth.take_inline()
    }
}

impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task").field("id", &self.id()).field("session_id", &self.session_id).finish()
    }
}
