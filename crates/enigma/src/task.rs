//! `Task`: a handle on one task of a session (ids plus a client).

use std::fmt;
use std::sync::{Arc, Mutex};

use tokio::time::Instant;

use crate::client::Client;
use crate::error::Result;
use crate::live::LiveSlot;
use crate::options::WaitOptions;
use crate::result::TaskResult;
use crate::session::Session;
use crate::status::{TaskState, TaskStatus, classify};
use crate::wait;

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

    /// A handle on the task's session (re-attached by id).
    pub fn session(&self) -> Session {
        Session::attach(self.client.clone(), &self.session_id)
    }

    /// One look at the task (`GET /task/:sessionId/:taskId`).
    pub async fn poll(&self) -> Result<TaskStatus> {
        let body = self.client.poll_raw(&self.session_id, &self.task_id).await?;
        classify(&body)
    }

    /// Waits for the outcome: the inline answer if one came, else polls every poll interval
    /// until a final answer, the deadline ([`Error::WaitTimeout`](crate::Error::WaitTimeout):
    /// this handle can wait again) or the cost ceiling ([`Error::CostLimit`](crate::Error::CostLimit),
    /// after sending `stop`). A failure is [`Error::TaskFailed`](crate::Error::TaskFailed); the
    /// session ending under the task is [`Error::SessionEnded`](crate::Error::SessionEnded).
    pub async fn result(&self, options: WaitOptions) -> Result<TaskResult> {
        wait::wait_for_result(self, options, |_| {}).await
    }

    /// Like [`Task::result`], calling `on_status` with every status polled while waiting
    /// (progress displays: state, cost so far).
    pub async fn result_with_progress(
        &self,
        options: WaitOptions,
        on_status: impl FnMut(&TaskStatus) + Send,
    ) -> Result<TaskResult> {
        wait::wait_for_result(self, options, on_status).await
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
