//! The `Client`'s doors to sessions and tasks: start, run, re-attach, and end what it started.
//! These `impl Client` methods sit above `session.rs` and `task.rs` (which hold a `Client`), so
//! that imports run one way: `client.rs` knows no handle, and this file knows them all.

use std::future::Future;

use serde::Serialize;
use serde_json::Value;

use super::birth::{Birth, learn_initial_task};
use super::cleanup;
use super::client::Client;
use super::session::{Session, SessionInfo};
use super::task::Task;
use crate::model::checked::{Checked, IntoChecked, WithTask};
use crate::model::error::{Error, Result};
use crate::model::options::{RunTaskOptions, SessionOptions, TaskOptions};
use crate::model::result::{Outcome, TaskResult};
use crate::model::validate;
use crate::rest::answer;
use crate::rest::retry::RetryPolicy;

impl Client {
    /// Terminates every session in [`Client::open_session_ids`], concurrently; returns the
    /// ids that could not be terminated, with the error.
    pub async fn terminate_open_sessions(&self) -> Vec<(String, Error)> {
        let sessions: Vec<Session> =
            self.open_session_ids().iter().map(|id| Session::attach(self.clone(), id)).collect();
        let results = futures_util::future::join_all(sessions.iter().map(Session::terminate)).await;
        sessions.iter().zip(results).filter_map(|(s, r)| r.err().map(|e| (s.id().to_owned(), e))).collect()
    }

    /// Starts a session. It bills until it ends: prefer [`Client::with_session`].
    #[tracing::instrument(name = "start_session", level = "info", skip_all, fields(session = tracing::field::Empty))]
    pub async fn start_session(&self, options: impl IntoChecked<SessionOptions>) -> Result<Session> {
        let options = options.into_checked()?.into_inner();
        self.check_open()?;
        let body = to_json(&options)?;
        let sent_at = tokio::time::Instant::now();
        let answer = self.create(body, "/start/start-session", "start-session").await?;
        // An answer that cannot be read leaves the outcome unknown: the session may exist.
        let id = answer::required_id(&answer, "sessionId", "start-session")
            .map_err(|e| Error::unknown_outcome("start-session", None, &e))?;
        self.track_session(id);
        tracing::Span::current().record("session", id);
        let has_task = options.task_details.as_deref().is_some_and(|t| !t.trim().is_empty());
        let initial_task_id = match has_task {
            true => answer::optional_id(&answer, "taskId", "start-session")
                .map_err(|e| Error::unknown_outcome("start-session", Some(id), &e))?,
            false => None,
        };
        if has_task {
            self.note_initial_task_named(initial_task_id.is_some());
        }
        if options.terminate_on_completion == Some(true) {
            self.track_self_ending(id);
        }
        // The initial task exists from now on, named by the answer (an extra of some services)
        // or later by the session's events.
        let ends_session = options.terminate_on_completion == Some(true);
        let initial_task = has_task.then(|| match initial_task_id {
            Some(task_id) => Birth::named(task_id, None, ends_session),
            None => {
                let birth = Birth::pending(ends_session, true);
                birth.answer(None);
                birth
            }
        });
        let info = SessionInfo::from_body(&answer);
        let initial = initial_task.clone().map(|birth| (birth, sent_at));
        let session = Session::started(self.clone(), id, info, initial, options.live_events);
        // Connect now, so the socket is up before anything needs to wait.
        session.live_slot().connect_in_background();
        if let Some(birth) = initial_task.filter(|b| b.id().is_none()) {
            match session.live_slot().enabled() {
                true => learn_initial_task(&birth, session.live_slot().clone()),
                false => birth.unnamed(),
            }
        }
        Ok(session)
    }

    /// Starts a session, runs `work` with it, and terminates it afterwards whatever happens:
    /// on success, on error, and when the returned future is dropped (cancellation), in which
    /// case the terminate is spawned on the current tokio runtime as a tracked cleanup
    /// ([`crate::wait_for_cleanups`]).
    pub async fn with_session<F, Fut, T, E>(
        &self,
        options: impl IntoChecked<SessionOptions>,
        work: F,
    ) -> std::result::Result<T, E>
    where
        F: FnOnce(Session) -> Fut,
        Fut: Future<Output = std::result::Result<T, E>>,
        E: From<Error>,
    {
        let session = self.start_session(options).await?;
        let mut guard = TerminateOnDrop(Some(session.clone()));
        let outcome = work(session.clone()).await;
        guard.0 = None;
        let terminated = session.terminate().await;
        match (outcome, terminated) {
            (Ok(value), Ok(())) => Ok(value),
            (Ok(_), Err(err)) => Err(err.into()),
            (Err(err), terminated) => {
                if let Err(term_err) = terminated {
                    tracing::warn!(session = session.id(), error = %term_err, "could not terminate the session");
                }
                Err(err)
            }
        }
    }

    /// One-shot: a session that runs one task, ends by itself, and the task's result.
    ///
    /// ```
    /// use std::time::Duration;
    /// use enigma::{Error, Outcome, RunTaskOptions};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = enigma_sim::Simulator::start(enigma_sim::SimConfig::for_tests()).await?;
    /// # let client = enigma::Client::builder().api_key("enig_docexampledocexampledocexample").base_url(sim.url())
    /// #     .poll_interval(std::time::Duration::from_millis(10)).build()?;
    ///
    /// let options = RunTaskOptions::new("Find the opening hours of the Louvre #sim message=\"9 to 6\"")
    ///     .timeout(Duration::from_secs(120))
    ///     .max_cost(0.25);
    /// let result = client.run_task(options).await?;
    /// assert_eq!((result.outcome, result.message.as_deref()), (Outcome::Completed, Some("9 to 6")));
    ///
    /// // A failure is an error, with its code and the usage so far.
    /// let failed = client.run_task(RunTaskOptions::new("Open a page #sim fail=PAGE_CRASH")).await;
    /// assert!(matches!(failed, Err(Error::TaskFailed { ref server_code, .. }) if server_code == "PAGE_CRASH"));
    /// # assert_eq!(sim.stats().sessions.open, 0);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// Nothing is left open behind it:
    /// - a result with [`Outcome::Guardrail`](crate::Outcome::Guardrail) (the agent asks a
    ///   question) ends the session before this returns: the result still holds the outcome and
    ///   the `question`, but it cannot be answered. To answer questions, run the task in a
    ///   session of your own ([`Client::with_session`] and [`Session::new_task`]) or use
    ///   [`Client::start_task`] and its task's session. If that terminate fails, the session is
    ///   added to [`Client::open_session_ids`] (so [`Client::terminate_open_sessions`] and the
    ///   bindings' exit hooks reach it) and the result is still returned;
    /// - if the call is cancelled (its future dropped) the session is terminated in a tracked
    ///   background task ([`crate::wait_for_cleanups`]): nobody is left to want its result.
    ///
    /// A wait timeout is not a cancellation: the task goes on ([`Client::task_of`] re-attaches to it). On
    /// any error but those after which the session is over (`task_failed` and `session_ended`:
    /// [`ErrorCode::ends_its_session`](crate::ErrorCode::ends_its_session)) the session stays in [`Client::open_session_ids`], so it is never left open untracked.
    ///
    /// Everything that guards the task acts from the moment it is sent, not when the service's
    /// answer comes (which can take the 50 s inline wait): the wait's timeout, the cost ceiling
    /// (see [`WaitOptions::max_cost`](crate::WaitOptions::max_cost) for its bound), and
    /// cancellation, which terminates the session at once.
    #[tracing::instrument(name = "run_task", level = "info", skip_all, fields(session = tracing::field::Empty, task = tracing::field::Empty))]
    pub async fn run_task(&self, options: impl IntoChecked<RunTaskOptions>) -> Result<TaskResult> {
        let (session_options, wait) = options.into_checked()?.split();
        let task = self.start_one_shot(session_options, wait.max_cost.is_some()).await?;
        let session = task.session();
        tracing::Span::current().record("session", session.id()).record("task", task.id());
        let mut guard = TerminateOnDrop(Some(session.clone()));
        let result = task.result(wait).await;
        if let Ok(answer) = &result
            && answer.outcome == Outcome::Guardrail
        {
            // Nobody can answer the question of a one-shot call: end its session now.
            if let Err(err) = session.terminate().await {
                tracing::warn!(session = session.id(), error = %err, "could not terminate a one-shot session after its guardrail");
                self.track_session(session.id());
            }
        }
        // Any other error (a timeout, a cost ceiling, a lost connection) may leave the task
        // running: its session stays in `open_session_ids` (where start-session put it), so
        // `terminate_open_sessions` and the bindings' exit and signal hooks reach it. A final
        // outcome took it out (the session ended with its task).
        guard.0 = None;
        result
    }

    /// One-shot without waiting: a session that runs one task and ends by itself, and the task.
    ///
    /// It does not send `run-task`: that answer, with the session's id, can take the service's
    /// whole 50 s inline wait, and a session whose id is unknown cannot be stopped or ended. So
    /// it starts a session that ends after its task (`terminateOnCompletion`, which is what
    /// run-task does) and whose id comes back at once. With live events, one start-session
    /// with the task; its answer or its events name the task. Without live events, or when the
    /// service was seen not to name a session's initial task in its answer (the documented
    /// service names it only on its `task_completed` event, so its cost could never be polled),
    /// start-session then `newTask`, whose answer names the task: two rate-limited requests.
    pub async fn start_task(&self, options: impl IntoChecked<SessionOptions, WithTask>) -> Result<Task> {
        self.start_one_shot(options, true).await
    }

    /// `start_task`; `needs_polls`: the caller's wait must see the cost grow (a ceiling), so the
    /// task must be named before it ends.
    #[tracing::instrument(name = "start_task", level = "info", skip_all, fields(session = tracing::field::Empty, task = tracing::field::Empty))]
    pub(crate) async fn start_one_shot(
        &self,
        options: impl IntoChecked<SessionOptions, WithTask>,
        needs_polls: bool,
    ) -> Result<Task> {
        let options = options.into_checked()?;
        self.check_open()?;
        let task = match self.one_shot_requests(&options, needs_polls) {
            1 => {
                // A flag set on checked options: they stay checked.
                let options = SessionOptions { terminate_on_completion: Some(true), ..options.into_inner() };
                let session = self.start_session(Checked::<SessionOptions>::assume(options)).await?;
                session.initial_task().cloned().ok_or_else(|| Error::validation("task_details", "is required"))?
            }
            _ => self.start_task_in_two(options).await?,
        };
        tracing::Span::current().record("session", task.session_id()).record("task", task.id());
        Ok(task)
    }

    /// How many rate-limited requests a one-shot task with these options sends: one
    /// start-session with the task, or (see [`Client::start_task`]) start-session then `newTask`.
    pub(crate) fn one_shot_requests(&self, options: &SessionOptions, needs_polls: bool) -> u32 {
        let live_events = options.live_events.unwrap_or(self.config().live_events);
        let named_late = self.names_initial_tasks() == Some(false);
        match live_events && !(needs_polls && named_late) {
            true => 1,
            false => 2,
        }
    }

    /// `start_task` without live events: start-session, then the task with `newTask`.
    async fn start_task_in_two(&self, options: Checked<SessionOptions, WithTask>) -> Result<Task> {
        // The task's fields and the session's are the checked one-shot's (its task given), so
        // both pass their rules: they are not checked again.
        let task = TaskOptions {
            task_details: options.task_details.clone().unwrap_or_default(),
            max_duration: options.max_duration,
            max_input_tokens: options.max_input_tokens,
            max_output_tokens: options.max_output_tokens,
            starting_url: options.starting_url.clone(),
            avoid_domains: options.avoid_domains.clone(),
            terminate_on_completion: Some(true),
        };
        let session_options = SessionOptions {
            max_duration: options.max_duration,
            live_events: options.live_events,
            ..SessionOptions::default()
        };
        let session = self.start_session(Checked::<SessionOptions>::assume(session_options)).await?;
        // Its task ends it (the task's `terminateOnCompletion`).
        self.track_self_ending(session.id());
        let mut guard = TerminateOnDrop(Some(session.clone()));
        let started = session.new_task_alone(Checked::assume(task)).await;
        guard.0 = None;
        if started.is_err()
            && let Err(err) = session.terminate().await
        {
            tracing::warn!(session = session.id(), error = %err, "could not end a session whose task was refused");
        }
        started
    }

    /// Re-attaches to a session by id (e.g. started in another process).
    pub fn session(&self, session_id: &str) -> Result<Session> {
        self.check_open()?;
        validate::id("session_id", session_id)?;
        Ok(Session::attach(self.clone(), session_id))
    }

    /// Re-attaches to a task by ids.
    pub fn task(&self, session_id: &str, task_id: &str) -> Result<Task> {
        self.session(session_id)?.task(task_id)
    }

    /// The task a wait timeout or cost-limit stop names ([`Error::WaitTimeout`],
    /// [`Error::CostLimit`]), re-attached with this client to poll or wait on again; `None` for
    /// other errors, and when the error names no task (the service had not named it yet: the
    /// handle that waited still resolves it). Errors carry ids, not handles: this is the way
    /// back from one to a task.
    pub fn task_of(&self, error: &Error) -> Option<Task> {
        if !error.error_code().carries_task() {
            return None;
        }
        self.task(error.session_id()?, error.task_id()?).ok()
    }

    /// Sends a request that creates a session (start-session, run-task) so that cancelling the
    /// caller cannot leave that session billing: the request runs to its end in a task of its
    /// own, and if nobody takes the answer (the caller was cancelled before it came, or just as
    /// it came), the session it created is terminated.
    ///
    /// That task is a tracked cleanup ([`crate::wait_for_cleanups`]) for its whole life: a
    /// process that exits right after cancelling waits for the answer, and for the terminate.
    async fn create(&self, body: Value, path: &'static str, operation: &'static str) -> Result<Value> {
        let (answer_tx, answer_rx) = tokio::sync::oneshot::channel();
        let client = self.clone();
        let request = async move {
            let answer = client.post(path, &body, RetryPolicy::Create, operation, None).await;
            // Recorded as soon as the answer names it, before anyone may be cancelled: a
            // process killed from here on leaves the session findable.
            if let Some(id) = answer.as_ref().ok().and_then(|a| a.get("sessionId")).and_then(Value::as_str) {
                client.note_opened(id);
            }
            if let Err(Ok(orphan)) = answer_tx.send(answer) {
                terminate_orphan(client, operation, orphan).await;
            }
        };
        // The request is a child of the caller's span, though it may outlive the call.
        cleanup::spawn(tracing::Instrument::instrument(request, tracing::Span::current()));
        let mut slot = AnswerSlot { rx: Some(answer_rx), client: self.clone(), operation };
        let answer = slot.rx.as_mut().expect("set above").await;
        slot.rx = None;
        answer.map_err(|_| Error::Cancelled)?
    }
}

/// Terminates the session if dropped armed (the cancellation path of `with_session` and
/// `run_task`), in a tracked background task.
struct TerminateOnDrop(Option<Session>);

impl Drop for TerminateOnDrop {
    fn drop(&mut self) {
        let Some(session) = self.0.take() else { return };
        let id = session.id().to_owned();
        let spawned = cleanup::spawn(async move {
            if let Err(err) = session.terminate().await {
                tracing::warn!(session = session.id(), error = %err, "could not terminate a cancelled session");
            }
        });
        if !spawned {
            tracing::warn!(session = %id, "cancelled outside a runtime: the session was not terminated");
        }
    }
}

/// Terminates the session a create's answer names, when nobody took that answer.
async fn terminate_orphan(client: Client, operation: &'static str, answer: Value) {
    let Some(id) = answer.get("sessionId").and_then(Value::as_str) else { return };
    tracing::debug!(session = id, "{operation} was cancelled: terminating the session it created");
    if let Err(err) = Session::attach(client, id).terminate().await {
        tracing::warn!(session = id, error = %err, "could not terminate a cancelled {operation}");
    }
}

/// The caller's end of a create's answer. Dropped before the answer was read (the caller was
/// cancelled after the answer was handed over but before it looked), it closes the channel,
/// so an answer still to come goes back to the request's task, and terminates the session of
/// an answer already there. Exactly one side ends up holding an untaken answer.
struct AnswerSlot {
    rx: Option<tokio::sync::oneshot::Receiver<Result<Value>>>,
    client: Client,
    operation: &'static str,
}

impl Drop for AnswerSlot {
    fn drop(&mut self) {
        let Some(mut rx) = self.rx.take() else { return };
        rx.close();
        if let Ok(Ok(orphan)) = rx.try_recv() {
            let (client, operation) = (self.client.clone(), self.operation);
            cleanup::spawn(terminate_orphan(client, operation, orphan));
        }
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::validation("options", format!("cannot be encoded as JSON: {e}")))
}
