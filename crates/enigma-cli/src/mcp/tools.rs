//! The tools: the hosted server's six, with the same names and arguments, and what it lacks
//! (answer a guardrail, recent events, the live view, cost ceilings). Each reads its arguments
//! first (a missing or wrong-typed one is a tool error naming it, and nothing is sent), then
//! calls the core's handles; every error is a tool error with the SDK's code.

use std::sync::Arc;
use std::time::Duration;

use enigma::{Client, Error, ErrorPayload, GuardrailDecision, Session, SessionOptions, TaskOptions};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{CallToolResult, JsonObject};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, tool, tool_router};
use serde_json::json;

use super::answers::{self, merge};
use super::budget::Budget;
use super::guard::{Guard, Seen};
use super::inputs::{self, *};
use super::opened::{EVENTS_KEPT, Opened};

/// What every connection of the server shares.
pub struct Shared {
    pub client: Client,
    pub budget: Arc<Budget>,
    /// The ceiling of a task whose call names none (`--max-cost`).
    pub max_cost: Option<f64>,
    /// The sessions opened by calls outside any MCP session (stateless Streamable HTTP): they
    /// live until the server stops.
    pub server_wide: Arc<Opened>,
}

/// The MCP server of one connection (stdio) or one MCP session (Streamable HTTP).
#[derive(Clone)]
pub struct EnigmaMcp {
    shared: Arc<Shared>,
    /// The sessions this connection opened: terminated when it ends.
    own: Arc<Opened>,
    pub(super) tool_router: ToolRouter<EnigmaMcp>,
}

/// A failed call, as the tool error it answers.
pub struct Failure(Box<ErrorPayload>);

impl From<Error> for Failure {
    fn from(err: Error) -> Failure {
        Failure(Box::new(err.payload()))
    }
}

impl From<Box<ErrorPayload>> for Failure {
    fn from(payload: Box<ErrorPayload>) -> Failure {
        Failure(payload)
    }
}

type Answer = Result<CallToolResult, Failure>;

fn answer(result: Answer) -> CallToolResult {
    result.unwrap_or_else(|Failure(payload)| answers::failure(*payload))
}

/// How long `create_session` waits for the service to name the initial task.
const NAMING_WAIT: Duration = Duration::from_secs(5);

impl EnigmaMcp {
    pub fn new(shared: Arc<Shared>) -> EnigmaMcp {
        let own = Opened::new(shared.client.clone());
        EnigmaMcp { shared, own, tool_router: Self::tool_router() }
    }

    /// The sessions this connection opened (for its end).
    pub fn own(&self) -> Arc<Opened> {
        self.own.clone()
    }

    /// Where a call's sessions belong: to its MCP session, or, for a call outside any
    /// (stateless Streamable HTTP), to the server.
    fn scope(&self, ctx: &RequestContext<RoleServer>) -> Arc<Opened> {
        match ctx.extensions.get::<http::request::Parts>() {
            Some(parts) if !parts.headers.contains_key("mcp-session-id") => self.shared.server_wide.clone(),
            _ => self.own.clone(),
        }
    }

    /// A session opened through this scope (with its start data), else a handle by id.
    fn session(&self, opened: &Opened, session_id: &str) -> Result<Session, Error> {
        match opened.session(session_id) {
            Some(session) => Ok(session),
            None => self.shared.client.session(session_id),
        }
    }

    fn ceiling(&self, max_cost: Option<f64>) -> Result<Option<f64>, Error> {
        Ok(inputs::cost(max_cost)?.or(self.shared.max_cost))
    }

    /// Waits for a guarded task's outcome within `wait`; a call the host cancelled stops the
    /// task (and ends a session that was the task's own).
    async fn await_outcome(
        &self,
        guard: &Guard,
        session: &Session,
        own_session: bool,
        wait: Duration,
        ctx: &RequestContext<RoleServer>,
        extra: serde_json::Value,
    ) -> CallToolResult {
        let seen = guard.wait(wait, &ctx.ct).await;
        if let Seen::Cancelled = seen {
            let stopped = match own_session {
                true => session.terminate().await,
                false => session.stop().await,
            };
            if let Err(err) = stopped {
                tracing::warn!(session = session.id(), error = %err, "could not stop the task of a cancelled call");
            }
        }
        answers::seen(seen, session.id(), guard.task().id(), extra)
    }
}

#[tool_router]
impl EnigmaMcp {
    #[tool(
        name = "browser_task",
        description = "Run one browser task in a session of its own and return its result (the session ends with the task). Waits up to waitSeconds (default 50) and then answers with the task still running; poll it with get_task_status. A question from the agent (a guardrail) is answered with answer_guardrail.",
        input_schema = inputs::schema::<BrowserTask>()
    )]
    async fn browser_task(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_browser_task(arguments, &ctx).await)
    }

    #[tool(
        name = "create_session",
        description = "Start a browser session that stays open for more tasks (send_task_to_session); with taskDetails, an initial task starts at once. Returns the sessionId, the initial taskId and the live view URL. The session bills until it ends: control_session terminate ends it (so does the host disconnecting).",
        input_schema = inputs::schema::<CreateSession>()
    )]
    async fn create_session(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_create_session(arguments, &ctx).await)
    }

    #[tool(
        name = "send_task_to_session",
        description = "Start a task in an open session and return its result (waits up to waitSeconds, default 50, then answers with the task still running).",
        input_schema = inputs::schema::<SendTask>()
    )]
    async fn send_task_to_session(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_send_task(arguments, &ctx).await)
    }

    #[tool(
        name = "get_task_status",
        description = "One look at a task: running (with its cost so far), completed (with the agent's answer), a guardrail question, failed, stopped or terminated.",
        input_schema = inputs::schema::<TaskIds>(),
        annotations(read_only_hint = true)
    )]
    async fn get_task_status(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_task_status(arguments, &ctx).await)
    }

    #[tool(
        name = "control_session",
        description = "Pause or resume the current task, stop it (the session stays open), or terminate the session (final; it stops billing).",
        input_schema = inputs::schema::<Control>()
    )]
    async fn control_session(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_control(arguments, &ctx).await)
    }

    #[tool(
        name = "take_over_session",
        description = "Take manual control of the browser (the agent pauses; a human acts in the live view) or release it (the agent resumes).",
        input_schema = inputs::schema::<TakeOver>()
    )]
    async fn take_over_session(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_take_over(arguments, &ctx).await)
    }

    #[tool(
        name = "answer_guardrail",
        description = "Answer the agent's question (a guardrail) in a session: the same task goes on with the answer (or stops, with resume false). Returns the task's next outcome (waits up to waitSeconds, default 50).",
        input_schema = inputs::schema::<AnswerGuardrail>()
    )]
    async fn answer_guardrail(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_answer_guardrail(arguments, &ctx).await)
    }

    #[tool(
        name = "get_recent_events",
        description = "The latest live events of a session this server opened (the agent's reasoning, its actions, outcomes), oldest first.",
        input_schema = inputs::schema::<RecentEvents>(),
        annotations(read_only_hint = true)
    )]
    async fn get_recent_events(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_recent_events(arguments, &ctx))
    }

    #[tool(
        name = "get_live_view",
        description = "The URL of a session's live view, where a human can watch the browser (and act on it after take_over_session); known for the sessions create_session opened.",
        input_schema = inputs::schema::<LiveView>(),
        annotations(read_only_hint = true)
    )]
    async fn get_live_view(&self, arguments: JsonObject, ctx: RequestContext<RoleServer>) -> CallToolResult {
        answer(self.run_live_view(arguments, &ctx))
    }
}

impl EnigmaMcp {
    async fn run_browser_task(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: BrowserTask = inputs::read(arguments)?;
        let max_cost = self.ceiling(args.max_cost)?;
        let wait = inputs::wait_for(args.wait_seconds)?;
        let mut options = SessionOptions::new();
        options.task_details = Some(args.task_details);
        options.starting_url = args.starting_url;
        options.max_duration = inputs::millis(args.max_duration);
        options.terminate_on_completion = Some(true);
        options.validate(true).map_err(inputs::as_argument)?;
        let opened = self.scope(ctx);
        let budget = &self.shared.budget;
        let key = budget.admit()?;
        // The core's one-shot start: one start-session that carries the task when the service
        // names such tasks, else start-session then newTask (a task the service names only at
        // its end could not be polled, so no ceiling could see its cost grow).
        let task = match self.shared.client.start_task(options).await {
            Ok(task) => task,
            Err(err) => {
                budget.ended(key, None);
                return Err(err.into());
            }
        };
        let session = task.session();
        opened.add(&session);
        let guard = Guard::spawn(task, key, max_cost, true, budget.clone());
        opened.set_current(session.id(), guard.clone());
        let extra = json!({ "sessionId": session.id(), "liveViewUrl": session.live_view_url() });
        Ok(self.await_outcome(&guard, &session, true, wait, ctx, extra).await)
    }

    async fn run_create_session(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: CreateSession = inputs::read(arguments)?;
        let max_cost = self.ceiling(args.max_cost)?;
        let mut options = SessionOptions::new();
        let has_task = args.task_details.as_deref().is_some_and(|t| !t.trim().is_empty());
        options.task_details = args.task_details.filter(|_| has_task);
        options.starting_url = args.starting_url;
        options.max_duration = inputs::millis(args.max_duration);
        options.validate(false).map_err(inputs::as_argument)?;
        let opened = self.scope(ctx);
        let budget = &self.shared.budget;
        let key = if has_task { Some(budget.admit()?) } else { None };
        let session = match self.shared.client.start_session(options).await {
            Ok(session) => session,
            Err(err) => {
                if let Some(key) = key {
                    budget.ended(key, None);
                }
                return Err(err.into());
            }
        };
        opened.add(&session);
        let mut task_id = None;
        if let (Some(task), Some(key)) = (session.initial_task().cloned(), key) {
            let guard = Guard::spawn(task.clone(), key, max_cost, false, budget.clone());
            opened.set_current(session.id(), guard);
            // Named by the start answer on some services, by the task's events on others.
            task_id = match task.id() {
                Some(id) => Some(id.to_owned()),
                None => tokio::time::timeout(NAMING_WAIT, task.wait_for_id()).await.ok().and_then(Result::ok),
            };
        }
        let info = session.info();
        Ok(answers::ok(json!({
            "success": true,
            "sessionId": session.id(),
            "taskId": task_id,
            "liveViewUrl": session.live_view_url(),
            "expiresIn": info.and_then(|i| i.expires_in),
            "message": match has_task {
                true => "The session is open and its task runs: get_task_status tells how it goes. Terminate the session when done (control_session terminate).",
                false => "The session is open: send it tasks with send_task_to_session. Terminate it when done (control_session terminate).",
            },
        })))
    }

    async fn run_send_task(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: SendTask = inputs::read(arguments)?;
        let max_cost = self.ceiling(args.max_cost)?;
        let wait = inputs::wait_for(args.wait_seconds)?;
        let mut options = TaskOptions::new(args.task_details);
        options.terminate_on_completion = args.terminate_on_completion;
        options.validate().map_err(inputs::as_argument)?;
        let opened = self.scope(ctx);
        let session = self.session(&opened, &args.session_id).map_err(inputs::as_argument)?;
        let budget = &self.shared.budget;
        let key = budget.admit()?;
        let task = match session.new_task(options).await {
            Ok(task) => task,
            Err(err) => {
                budget.ended(key, None);
                return Err(err.into());
            }
        };
        let guard = Guard::spawn(task, key, max_cost, false, budget.clone());
        opened.set_current(session.id(), guard.clone());
        let extra = json!({ "sessionId": session.id() });
        Ok(self.await_outcome(&guard, &session, false, wait, ctx, extra).await)
    }

    async fn run_task_status(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: TaskIds = inputs::read(arguments)?;
        let opened = self.scope(ctx);
        let ids = json!({ "sessionId": args.session_id, "taskId": args.task_id });
        // A task guarded here that ended: its outcome as the guard saw it (a ceiling's stop too).
        if let Some(ended) = opened.guard_of(&args.session_id, &args.task_id).and_then(|g| g.outcome()) {
            return Ok(answers::outcome(ended, ids));
        }
        let task = self.shared.client.task(&args.session_id, &args.task_id).map_err(inputs::as_argument)?;
        let status = task.poll().await?;
        // `{"state": {"state": "running", "paused": false}, "usage", "raw"}` becomes
        // `{"status": "running", "paused": false, "usage", "answer": <the service's body>}`.
        let mut view = crate::output::camel(&status);
        if let Some(map) = view.as_object_mut() {
            match map.remove("state") {
                Some(serde_json::Value::Object(state)) => {
                    for (key, value) in state {
                        map.insert(if key == "state" { "status".into() } else { key }, value);
                    }
                }
                Some(state) => {
                    map.insert("status".into(), state);
                }
                None => {}
            }
            if let Some(raw) = map.remove("raw") {
                map.insert("answer".into(), raw);
            }
        }
        Ok(answers::ok(merge(view, ids)))
    }

    async fn run_control(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: Control = inputs::read(arguments)?;
        let session = self.session(&self.scope(ctx), &args.session_id).map_err(inputs::as_argument)?;
        let (done, name) = match args.action {
            ControlAction::Pause => (session.pause().await, "pause"),
            ControlAction::Resume => (session.resume().await, "resume"),
            ControlAction::Stop => (session.stop().await, "stop"),
            ControlAction::Terminate => (session.terminate().await, "terminate"),
        };
        done?;
        Ok(answers::ok(json!({ "success": true, "sessionId": session.id(), "action": name })))
    }

    async fn run_take_over(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: TakeOver = inputs::read(arguments)?;
        let session = self.session(&self.scope(ctx), &args.session_id).map_err(inputs::as_argument)?;
        let (done, name) = match args.action {
            TakeOverAction::Takeover => (session.take_over().await, "takeover"),
            TakeOverAction::Release => (session.release().await, "release"),
        };
        done?;
        Ok(answers::ok(json!({
            "success": true,
            "sessionId": session.id(),
            "action": name,
            "liveViewUrl": session.live_view_url(),
        })))
    }

    async fn run_answer_guardrail(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: AnswerGuardrail = inputs::read(arguments)?;
        let wait = inputs::wait_for(args.wait_seconds)?;
        if args.answer.trim().is_empty() {
            return Err(Error::Validation { field: "answer".into(), reason: "answer must not be empty".into() }.into());
        }
        let opened = self.scope(ctx);
        let session = self.session(&opened, &args.session_id).map_err(inputs::as_argument)?;
        let resume = args.resume.unwrap_or(true);
        let decision = if resume { GuardrailDecision::Resume } else { GuardrailDecision::Stop };
        session.answer_guardrail(&args.answer, decision).await?;
        let acked = json!({ "success": true, "sessionId": session.id(), "resumed": resume });
        // The task that asked, guarded here: wait for its next outcome under the same ceiling.
        match opened.current(session.id()).filter(|g| g.asked()) {
            Some(asked) if resume => {
                let guard = asked.again(self.shared.budget.clone());
                opened.set_current(session.id(), guard.clone());
                let own_session = guard.own_session();
                Ok(self.await_outcome(&guard, &session, own_session, wait, ctx, acked).await)
            }
            _ => Ok(answers::ok(acked)),
        }
    }

    fn run_recent_events(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: RecentEvents = inputs::read(arguments)?;
        let limit = args.limit.map_or(20, |n| (n as usize).min(EVENTS_KEPT));
        let events =
            self.scope(ctx).recent_events(&args.session_id, limit).ok_or_else(|| not_here(&args.session_id))?;
        Ok(answers::ok(json!({ "sessionId": args.session_id, "events": events })))
    }

    fn run_live_view(&self, arguments: JsonObject, ctx: &RequestContext<RoleServer>) -> Answer {
        let args: LiveView = inputs::read(arguments)?;
        let session = self.scope(ctx).session(&args.session_id).ok_or_else(|| not_here(&args.session_id))?;
        let info = session.info();
        Ok(answers::ok(json!({
            "sessionId": session.id(),
            "liveViewUrl": session.live_view_url(),
            "webRtcUrl": info.and_then(|i| i.web_rtc_url.clone()),
        })))
    }
}

/// A session this server did not open: it has no events or start data here.
fn not_here(session_id: &str) -> Error {
    Error::Validation {
        field: "sessionId".into(),
        reason: format!(
            "sessionId: {session_id} is not a session this server opened (it keeps events and live-view URLs of its own sessions only)"
        ),
    }
}
