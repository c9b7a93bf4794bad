//! `Session`: a handle on one browser session, and every command it takes; and the way back
//! from a task to its session (`Task::session`).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde_json::Value;

use tokio::time::Instant;

use super::birth::{Birth, Lookout, Stage};
use super::client::Client;
use super::event_stream::EventStream;
use super::task::Task;
use crate::live::LiveSlot;
use crate::model::checked::{Checked, IntoChecked};
use crate::model::classify::{TaskStatus, classify};
use crate::model::error::{Error, Result};
use crate::model::error_code::ErrorCode;
use crate::model::message::{GuardrailDecision, Interaction, Message, NewTask, SessionCommand, StateCommand, Typing};
use crate::model::options::TaskOptions;
use crate::model::validate;
use crate::rest::answer;

/// How long a new task waits for the session's socket to finish connecting.
const SETTLE_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// How long [`Session::new_task`] waits for the service to name or refuse the task before it
/// returns a handle whose id comes later. Refusals (a task already running, an unknown
/// session, no balance) come back at once, so they stay `new_task`'s own errors.
pub const ACCEPT_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// What start-session answered (contract §2.1), beyond the id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionInfo {
    /// Where to connect for live events.
    pub socket_url: Option<String>,
    /// The live view page.
    pub web_view_url: Option<String>,
    /// The WebRTC (WHEP) video stream.
    pub web_rtc_url: Option<String>,
    /// Viewport (width, height); serialised as `{width, height}`.
    #[serde(serialize_with = "width_height")]
    pub dimensions: Option<(u64, u64)>,
    /// The initial task as the service understood it.
    pub initial_prompt: Option<String>,
    /// Lifetime in ms.
    pub expires_in: Option<u64>,
    /// The account balance, USD.
    pub balance: Option<f64>,
    /// The service's message.
    pub message: Option<String>,
    /// The whole answer.
    pub raw: Value,
}

fn width_height<S: serde::Serializer>(dims: &Option<(u64, u64)>, s: S) -> std::result::Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Dimensions {
        width: u64,
        height: u64,
    }
    dims.map(|(width, height)| Dimensions { width, height }).serialize(s)
}

impl SessionInfo {
    pub(crate) fn from_body(body: &Value) -> SessionInfo {
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let streaming = body.get("streaming").cloned().unwrap_or(Value::Null);
        let dims = streaming.get("dimensions");
        let dim = |k: &str| dims.and_then(|d| d.get(k)).and_then(Value::as_u64);
        SessionInfo {
            socket_url: text(body, "socketURL"),
            web_view_url: text(&streaming, "webViewURL"),
            web_rtc_url: text(&streaming, "webRTCURL"),
            dimensions: dim("width").zip(dim("height")),
            initial_prompt: text(body, "initialPrompt"),
            expires_in: body.get("expiresIn").and_then(Value::as_u64),
            balance: body.get("balance").and_then(Value::as_f64),
            message: text(body, "message"),
            raw: body.clone(),
        }
    }
}

/// A browser session. Cheap to clone (clones share state); re-made from an id with
/// [`Client::session`]. Sessions bill while open: end them with [`Session::terminate`], or use
/// [`Client::with_session`], which always does.
///
/// Tasks one after another in one browser, a guardrail question answered on the way (against
/// the in-process simulator, whose `#sim` directives script the agent; `client` is a
/// [`Client`] on it, as in [`Client`]'s example):
///
/// ```
/// use enigma::{GuardrailDecision, Outcome, SessionOptions, TaskOptions, WaitOptions};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sim = enigma_sim::Simulator::start(enigma_sim::SimConfig::for_tests()).await?;
/// # let client = enigma::Client::builder().api_key("enig_docexampledocexampledocexample").base_url(sim.url())
/// #     .poll_interval(std::time::Duration::from_millis(10)).build()?;
///
/// let session = client.start_session(SessionOptions::new().starting_url("https://shop.example")).await?;
/// let task = session.new_task(TaskOptions::new(r#"Buy shoes #sim guardrail="Which size?""#)).await?;
/// let asked = task.result(WaitOptions::new()).await?;
/// assert_eq!((asked.outcome, asked.question.as_deref()), (Outcome::Guardrail, Some("Which size?")));
///
/// session.answer_guardrail("42", GuardrailDecision::Resume).await?; // the same task goes on
/// assert_eq!(task.result(WaitOptions::new()).await?.outcome, Outcome::Completed);
///
/// let next = session.new_task(TaskOptions::new("Now find socks")).await?;
/// assert_eq!(next.result(WaitOptions::new()).await?.outcome, Outcome::Completed);
/// session.terminate().await?; // stops the billing
/// # assert_eq!(sim.stats().sessions.open, 0);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<SessionInner>,
}

struct SessionInner {
    client: Client,
    id: String,
    info: Option<SessionInfo>,
    initial_task: Option<Task>,
    /// The live connection, shared with the session's tasks.
    live: Arc<LiveSlot>,
    /// Set once terminated through this handle: later commands are refused without a request.
    terminated: AtomicBool,
    /// The tasks created through this handle (and its clones), the initial one first: a new
    /// task's events are told from theirs by their ids.
    births: std::sync::Mutex<Vec<Arc<Birth>>>,
}

impl Session {
    /// A session just started; `initial_task` is the birth of the task its `task_details` started.
    pub(crate) fn started(
        client: Client,
        id: &str,
        info: SessionInfo,
        initial_task: Option<(Arc<Birth>, Instant)>,
        live_events: Option<bool>,
    ) -> Session {
        Session::make(client, id, Some(info), initial_task, live_events)
    }

    pub(crate) fn attach(client: Client, id: &str) -> Session {
        Session::make(client, id, None, None, None)
    }

    /// `live_events`: the session's own setting, else the client's.
    fn make(
        client: Client,
        id: &str,
        info: Option<SessionInfo>,
        initial_task: Option<(Arc<Birth>, Instant)>,
        live_events: Option<bool>,
    ) -> Session {
        // The socket URL the service gave, else the base URL (re-attached sessions).
        let socket_url = info
            .as_ref()
            .and_then(|i| i.socket_url.as_deref())
            .and_then(|u| url::Url::parse(u).ok())
            .unwrap_or_else(|| client.config().base_url.clone());
        let live_events = live_events.unwrap_or(client.config().live_events);
        let tap = client.recorder().map(|r| r.for_session(id));
        let live = LiveSlot::new(id, socket_url, client.config(), client.extra_root_ca_pem(), live_events, tap);
        let initial_task =
            initial_task.map(|(birth, sent_at)| Task::new(client.clone(), id, birth, live.clone(), Some(sent_at)));
        let terminated = AtomicBool::new(false);
        let births = std::sync::Mutex::new(initial_task.iter().map(|t| t.birth.clone()).collect());
        let inner = SessionInner { client, id: id.to_owned(), info, initial_task, live, terminated, births };
        Session { inner: Arc::new(inner) }
    }

    pub(crate) fn live_slot(&self) -> &Arc<LiveSlot> {
        &self.inner.live
    }

    /// The session's live events (agent thoughts, actions, outcomes, the session's end,
    /// connection changes), from the moment the stream connects. Several streams may watch one
    /// session. Ends when the session ends.
    pub fn events(&self) -> EventStream {
        EventStream::new(self.inner.live.clone())
    }

    /// The session id.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    /// The start answer (live-view URLs, expiry, balance); `None` on a re-attached handle.
    pub fn info(&self) -> Option<&SessionInfo> {
        self.inner.info.as_ref()
    }

    /// The live view page, when known.
    pub fn live_view_url(&self) -> Option<&str> {
        self.info()?.web_view_url.as_deref()
    }

    /// The task started by `task_details` at start. Its id may come later
    /// ([`Task::wait_for_id`]): the documented answer does not name it, so it is learned from
    /// the session's events (`task_completed` at the latest); with live events off and a
    /// service that does not name it, waiting on it fails with `outcome_unknown`.
    pub fn initial_task(&self) -> Option<&Task> {
        self.inner.initial_task.as_ref()
    }

    /// The client this session uses.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// Whether this handle terminated the session.
    pub fn is_terminated(&self) -> bool {
        self.inner.terminated.load(Ordering::SeqCst)
    }

    /// A handle on a task of this session.
    pub fn task(&self, task_id: &str) -> Result<Task> {
        validate::id("task_id", task_id)?;
        let birth = Birth::named(task_id, None, false);
        Ok(Task::new(self.inner.client.clone(), &self.inner.id, birth, self.inner.live.clone(), None))
    }

    /// Starts a task. One runs at a time; one more waits queued; a third is refused
    /// ([`ApiErrorKind::TaskAlreadyRunning`](crate::ApiErrorKind::TaskAlreadyRunning)).
    ///
    /// Returns as soon as the service named the task (its answer, or an event of the session
    /// that names a new task) or refused it, and after at most [`ACCEPT_WAIT`] otherwise, with
    /// a handle whose id comes later ([`Task::id`]): the service holds the answer to `newTask`
    /// until the task ends or 50 s passed. The task runs meanwhile, so the session's commands
    /// (`pause`, `stop`...) act on it at once; the answer, when it comes, feeds the handle (an
    /// inline outcome needs no further request), and a create that failed after this returned
    /// is the error of the task's wait.
    #[tracing::instrument(name = "new_task", level = "info", skip_all, fields(session = %self.inner.id, task = tracing::field::Empty))]
    pub async fn new_task(&self, options: impl IntoChecked<TaskOptions>) -> Result<Task> {
        self.start_new_task(options.into_checked()?, false).await
    }

    /// `new_task` for the only task of a fresh session (a one-shot's): an outcome event that
    /// names no task is then its own, even before the service named it.
    pub(crate) async fn new_task_alone(&self, options: Checked<TaskOptions>) -> Result<Task> {
        self.start_new_task(options, true).await
    }

    async fn start_new_task(&self, options: Checked<TaskOptions>, alone: bool) -> Result<Task> {
        let options = options.into_inner();
        self.ensure_open()?;
        // A socket still connecting (it starts with the session) is worth a moment: with it up
        // before the task starts, the wait sees every event and needs no REST check.
        self.inner.live.settle(SETTLE_LIMIT).await;
        let birth = Birth::pending(options.terminate_on_completion == Some(true), alone);
        // A re-attached handle cannot know the tasks started elsewhere: only the answer names.
        let lookout = match self.inner.info {
            Some(_) => Lookout::on(&self.inner.live, &self.earlier_tasks(&birth)),
            None => None,
        };
        let sent_at = Instant::now();
        let message = Message::NewTask(NewTask::new(options));
        // The request is a child of this call's span, though it outlives the call.
        let create = create_task(self.clone(), message, birth.clone(), lookout);
        tokio::spawn(tracing::Instrument::instrument(create, tracing::Span::current()));
        birth.settled_within(ACCEPT_WAIT).await;
        if let Stage::Failed(err) = birth.stage() {
            return Err(err);
        }
        if let Some(id) = birth.id() {
            tracing::Span::current().record("task", id);
        }
        Ok(Task::new(self.inner.client.clone(), &self.inner.id, birth, self.inner.live.clone(), Some(sent_at)))
    }

    /// The tasks created through this handle before `new`, which joins them.
    fn earlier_tasks(&self, new: &Arc<Birth>) -> Vec<Arc<Birth>> {
        let mut births = self.inner.births.lock().unwrap_or_else(|e| e.into_inner());
        let earlier = births.clone();
        births.push(new.clone());
        earlier
    }

    /// Pauses the current task after its current action.
    pub async fn pause(&self) -> Result<()> {
        self.command(SessionCommand::Pause).await
    }

    /// Resumes a paused task.
    pub async fn resume(&self) -> Result<()> {
        self.command(SessionCommand::Resume).await
    }

    /// Stops the current task; the session stays usable.
    pub async fn stop(&self) -> Result<()> {
        self.command(SessionCommand::Stop).await
    }

    /// Ends the session (final). Safe to call more than once, and a session the service already
    /// ended counts as terminated: the goal, a session that no longer bills, holds.
    #[tracing::instrument(name = "terminate", level = "info", skip_all, fields(session = %self.inner.id))]
    pub async fn terminate(&self) -> Result<()> {
        if self.is_terminated() {
            return Ok(());
        }
        let terminate = Message::State { new_state: StateCommand::Terminate };
        self.inner.live.log().command(&serde_json::to_value(&terminate).unwrap_or_default());
        match self.inner.client.send_message_raw(&self.inner.id, &terminate).await {
            Ok(_) => {}
            Err(err) if err.error_code() == ErrorCode::SessionNotFound => {
                tracing::debug!(session = %self.inner.id, "terminate: the session had already ended");
            }
            Err(err) => return Err(err),
        }
        self.inner.terminated.store(true, Ordering::SeqCst);
        self.inner.live.mark_ended();
        self.inner.client.forget_session(&self.inner.id);
        Ok(())
    }

    /// Takes manual control of the browser (the agent pauses).
    pub async fn take_over(&self) -> Result<()> {
        self.command(SessionCommand::TakeOver).await
    }

    /// Gives control back to the agent.
    pub async fn release(&self) -> Result<()> {
        self.command(SessionCommand::Release).await
    }

    /// Sends a command that takes no arguments (what [`pause`](Self::pause), `resume`, `stop`,
    /// `take_over` and `release` send), for callers that hold it as a value.
    pub async fn command(&self, command: SessionCommand) -> Result<()> {
        self.send(command.message()).await.map(drop)
    }

    /// Clicks at window coordinates (x 0–1024, y 155–755).
    pub async fn click(&self, x: u32, y: u32) -> Result<()> {
        self.interact(Interaction::Click { x, y }).await
    }

    /// Double-clicks at window coordinates.
    pub async fn double_click(&self, x: u32, y: u32) -> Result<()> {
        self.interact(Interaction::DoubleClick { x, y }).await
    }

    /// Types text, at once ([`Typing::Instant`]) or with human-like timing
    /// ([`Typing::HumanLike`]).
    pub async fn type_text(&self, text: &str, typing: Typing) -> Result<()> {
        let human_like = (typing == Typing::HumanLike).then_some(true);
        self.interact(Interaction::Type { text: text.to_owned(), human_like }).await
    }

    /// Presses one key (Enter, Escape, Tab, arrows..., or one character).
    pub async fn press_key(&self, key: &str) -> Result<()> {
        self.interact(Interaction::KeyPress { key: key.to_owned() }).await
    }

    /// Answers a guardrail question: [`GuardrailDecision::Resume`] goes on with the answer,
    /// [`GuardrailDecision::Stop`] ends the task.
    pub async fn answer_guardrail(&self, text: &str, new_state: GuardrailDecision) -> Result<()> {
        validate::guardrail_answer(text)?;
        self.send(Message::Guardrail { task_details: text.to_owned(), new_state }).await.map(drop)
    }

    /// Sends any message and returns the service's answer as JSON. The typed methods above are
    /// shorthands for this.
    pub async fn send(&self, message: Message) -> Result<Value> {
        match &message {
            Message::NewTask(task) => task.options().validate()?,
            Message::Interaction { action } => validate::interaction(action)?,
            Message::Guardrail { task_details, .. } => validate::guardrail_answer(task_details)?,
            Message::State { new_state: StateCommand::Terminate } => {
                self.terminate().await?;
                return Ok(serde_json::json!({"success": true}));
            }
            Message::State { .. } => {}
        }
        self.ensure_open()?;
        if !matches!(message, Message::NewTask(_)) {
            self.inner.live.log().command(&serde_json::to_value(&message).unwrap_or_default());
        }
        // Commands that need no answer go over the socket when it is up (no rate limit, no
        // round trip). newTask always goes over REST: it needs its taskId or its refusal. So does
        // a guardrail answer: a wait that follows must see the task running again, and only
        // a REST answer proves the service took the answer before the wait looks.
        let answer = if !matches!(message, Message::NewTask(_) | Message::Guardrail { .. })
            && let Some(live) = self.inner.live.connected()
            && live.emit(&serde_json::to_value(&message).unwrap_or_default())
        {
            tracing::debug!(session = %self.inner.id, message = %message.label(), "sent over the socket");
            Ok(serde_json::json!({ "success": true, "message": "Message sent over the live connection" }))
        } else {
            self.inner.client.send_message_raw(&self.inner.id, &message).await
        };
        if !matches!(message, Message::NewTask(_)) {
            self.inner.live.commanded();
        }
        answer
    }

    async fn interact(&self, action: Interaction) -> Result<()> {
        self.send(Message::Interaction { action }).await.map(drop)
    }

    fn ensure_open(&self) -> Result<()> {
        if self.is_terminated() {
            return Err(Error::SessionEnded { session_id: self.inner.id.clone(), task_id: None });
        }
        Ok(())
    }
}

impl Session {
    /// Reads `taskId` and the inline outcome from a newTask answer. It created a task, so an
    /// answer that cannot be read leaves the outcome unknown, never a `decode` error a caller
    /// might answer by sending the task again.
    fn read_task_answer(&self, body: &Value) -> Result<(String, TaskStatus)> {
        let unknown = |e: Error| Error::unknown_outcome("newTask", Some(&self.inner.id), &e);
        let task_id = answer::required_id(body, "taskId", "newTask").map_err(unknown)?;
        let inline = classify(body).map_err(unknown)?;
        Ok((task_id.to_owned(), inline))
    }
}

/// Sends a `newTask` and feeds its answer to the task's birth; meanwhile, names the task as
/// soon as an event of the session names a task no event named before.
async fn create_task(session: Session, message: Message, birth: Arc<Birth>, mut lookout: Option<Lookout>) {
    let sent = std::time::Instant::now();
    let request = session.inner.client.send_message_raw(&session.inner.id, &message);
    tokio::pin!(request);
    let answer = loop {
        let Some(watching) = lookout.as_mut() else { break request.await };
        tokio::select! {
            answer = &mut request => break answer,
            named = watching.next_new_task() => {
                if let Some(id) = named {
                    tracing::debug!(session = %session.inner.id, task = %id, "the new task was named by an event");
                    birth.name(&id);
                }
                lookout = None;
            }
        }
    };
    let log = session.inner.live.log();
    log.created(&serde_json::to_value(&message).unwrap_or_default(), sent, answer.as_ref().ok());
    match answer.and_then(|body| session.read_task_answer(&body)) {
        Ok((id, inline)) => {
            birth.answer(Some(inline));
            birth.name(&id);
        }
        Err(err) => birth.fail(err),
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session").field("id", &self.inner.id).field("terminated", &self.is_terminated()).finish()
    }
}

impl Task {
    /// A handle on the task's session (re-attached by id).
    pub fn session(&self) -> Session {
        Session::attach(self.client.clone(), self.session_id())
    }
}
