//! `Task`: a handle on one task of a session (ids plus a client). Waiting for its outcome
//! (`Task::result`) is `wait.rs`; its session (`Task::session`) is `session.rs`.

use std::fmt;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;

use super::client::Client;
use crate::live::LiveSlot;
use crate::model::classify::{TaskState, TaskStatus, classify};
use crate::model::error::Result;

/// A task of a session. Cheap to clone; re-made from ids with [`Client::task`].
#[derive(Clone)]
pub struct Task {
    pub(crate) client: Client,
    session_id: Arc<str>,
    task_id: Arc<str>,
    /// The final (or guardrail) answer that came inline with newTask/run-task, so a wait
    /// returns it without a request. A guardrail is handed out once: after it is answered the
    /// task runs again and must be waited on afresh.
    inline: Arc<Mutex<Option<TaskStatus>>>,
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
        task_id: &str,
        inline: Option<TaskStatus>,
        live: Arc<LiveSlot>,
        sent_at: Option<Instant>,
    ) -> Task {
        let inline = inline.filter(|s| s.state.is_final());
        let inline = Arc::new(Mutex::new(inline));
        Task { client, session_id: session_id.into(), task_id: task_id.into(), inline, live, sent_at }
    }

    /// The task id.
    pub fn id(&self) -> &str {
        &self.task_id
    }

    /// The session's id.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// One look at the task (`GET /task/:sessionId/:taskId`).
    #[tracing::instrument(name = "poll", level = "debug", skip_all, fields(session = %self.session_id, task = %self.task_id))]
    pub async fn poll(&self) -> Result<TaskStatus> {
        let body = self.client.poll_raw(&self.session_id, &self.task_id).await?;
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
        let mut inline = self.inline.lock().unwrap_or_else(|e| e.into_inner());
        match inline.as_ref()?.state {
            TaskState::Guardrail { .. } => inline.take(),
            _ => inline.clone(),
        }
    }
}

impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task").field("id", &self.task_id).field("session_id", &self.session_id).finish()
    }
}
