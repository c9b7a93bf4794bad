//! `Client`: configuration, the HTTP transport, the sessions it tracks, and the calls that need
//! no session handle. The methods that make sessions and tasks (`start_session`, `run_task`,
//! `task`...) are in `start.rs`, above `session.rs` and `task.rs`: this file imports no handle,
//! so the handles can hold a `Client` without an import circle.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde_json::Value;

use crate::ledger::Ledger;
use crate::model::config::ClientConfig;
use crate::model::error::{Error, RateLimitInfo, Result};
use crate::model::message::Message;
use crate::model::service::{ActiveSockets, Health};
use crate::rest::http::{Auth, Request, Transport, path_of};
use crate::rest::rate_waits::{RateLimitNotices, RateLimitWait, RateWaits};
use crate::rest::retry::RetryPolicy;

/// The entry point. Cheap to clone (one shared connection pool), `Send + Sync`.
///
/// A complete run against the simulator (the same code talks to the real service when
/// `ENIGMA_API_KEY` is set and no base URL is given):
///
/// ```
/// use enigma::{Client, Outcome, SessionOptions, TaskOptions, WaitOptions};
/// use enigma_sim::{SimConfig, Simulator};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let sim = Simulator::start(SimConfig::for_tests()).await?; // fast, no rate limit
/// let client = Client::builder().api_key("enig_docexampledocexampledocexample").base_url(sim.url()).build()?;
///
/// let result = client
///     .with_session(SessionOptions::new().starting_url("https://amazon.com"), |session| async move {
///         let task = session.new_task(TaskOptions::new("Search for 'mechanical keyboard'")).await?;
///         task.result(WaitOptions::new().max_cost(0.50)).await
///     })
///     .await?;
/// assert_eq!(result.outcome, Outcome::Completed);
/// assert!(result.message.unwrap().contains("mechanical keyboard"));
/// assert_eq!(sim.stats().sessions.open, 0); // with_session terminated it
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    transport: Transport,
    /// Sessions started through this client and not yet terminated through it: what
    /// [`Client::terminate_open_sessions`] ends (bindings call it at interpreter exit).
    open_sessions: Mutex<BTreeSet<String>>,
    /// Those of them that end with their first task (`terminate_on_completion`, one-shot
    /// tasks): a wait that sees that task end, through any handle, takes them out.
    self_ending: Mutex<BTreeSet<String>>,
    /// Set by [`Client::close`]: the client's own calls refuse from then on.
    closed: AtomicBool,
    /// The highest spend rate (USD per second of wall time since a task was sent) seen on any
    /// task: what bounds the cost of a task the service has not named yet (see `wait.rs`).
    spend_rate: Mutex<Option<f64>>,
    /// Whether the service names a session's initial task in the start answer (an extra of
    /// some services): unknown until a start-session with a task was answered.
    names_initial_tasks: Mutex<Option<bool>>,
    /// Where the sessions this client opens and sees end are recorded (`None`: off).
    ledger: Option<Ledger>,
}

impl Client {
    /// A client configured from `ENIGMA_*` environment variables (see [`ClientConfig::from_env`]).
    pub fn new() -> Result<Client> {
        Client::from_config(ClientConfig::from_env()?)
    }

    /// A client with exactly this configuration.
    pub fn from_config(config: ClientConfig) -> Result<Client> {
        // No logging set up here: a library never takes the process's global subscriber. The
        // applications (CLI, Python and Node bindings) call `init_logging_from_env` (`env-log`).
        let inner = ClientInner {
            transport: Transport::new(config.clone())?,
            open_sessions: Mutex::default(),
            self_ending: Mutex::default(),
            closed: AtomicBool::new(false),
            spend_rate: Mutex::new(None),
            names_initial_tasks: Mutex::new(None),
            ledger: ledger_of(&config),
        };
        Ok(Client { inner: Arc::new(inner) })
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.transport.config
    }

    /// Waits (at most `limit`) until everything this client recorded so far (the flight
    /// recorder, [`ClientBuilder::record`](crate::ClientBuilder::record)) is in its files; at
    /// once when it records nothing. The recorder writes on a thread of its own so that no call
    /// waits for a disk; a program that reads its recording, or ends right away, calls this.
    /// Dropping the last clone of the client does it too (for up to 2 s).
    pub fn flush_recording(&self, limit: std::time::Duration) {
        if let Some(recorder) = self.recorder() {
            recorder.flush(limit);
        }
    }

    /// The extra roots (`extra_root_ca_pem`), one copy shared by every session of the client.
    pub(crate) fn extra_root_ca_pem(&self) -> Option<std::sync::Arc<[u8]>> {
        self.inner.transport.extra_root_ca_pem.clone()
    }

    /// The flight recorder, when `record` is set.
    pub(crate) fn recorder(&self) -> Option<&crate::record::Recorder> {
        self.inner.transport.recorder.as_ref()
    }

    /// Closes the client (and its clones): from then on its calls that start or re-attach to
    /// something, or ask the service (`start_session`, `run_task`, `start_task`, `session`,
    /// `task`, `health`, `active_sockets`), fail with a `validation` error naming `client`.
    /// Handles made before keep working, and [`Client::terminate_open_sessions`] still ends
    /// the sessions left open: closing terminates nothing by itself (the bindings do that when
    /// the client's setting says so). Idempotent.
    ///
    /// What the flight recorder took so far is written out first (for up to 2 s; see
    /// [`Client::flush_recording`]).
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
        self.flush_recording(std::time::Duration::from_secs(2));
    }

    /// Whether [`Client::close`] was called (on this client or a clone).
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// The error of a call on a closed client.
    pub(crate) fn check_open(&self) -> Result<()> {
        match self.is_closed() {
            true => Err(Error::validation("client", "it was closed")),
            false => Ok(()),
        }
    }

    /// Ids of the sessions started through this client (or its clones) that were not
    /// terminated through it. Some may have ended by themselves on the service.
    pub fn open_session_ids(&self) -> Vec<String> {
        self.open_sessions().iter().cloned().collect()
    }

    /// The SDK saw the session end (terminated, ended with its task, unknown to the service):
    /// it leaves the client's tracking and is recorded ended in the ledger.
    pub(crate) fn forget_session(&self, id: &str) {
        if let Some(ledger) = &self.inner.ledger {
            ledger.ended(id);
        }
        self.open_sessions().remove(id);
        self.inner.self_ending.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }

    /// Tracks a session that ends with its first task.
    pub(crate) fn track_self_ending(&self, id: &str) {
        self.inner.self_ending.lock().unwrap_or_else(|e| e.into_inner()).insert(id.to_owned());
    }

    /// Whether a session this client tracks ends with its first task.
    pub(crate) fn ends_with_its_task(&self, id: &str) -> bool {
        self.inner.self_ending.lock().unwrap_or_else(|e| e.into_inner()).contains(id)
    }

    /// Tracks a session as open (started through this client, or left to the caller by a
    /// one-shot call that could not end it).
    pub(crate) fn track_session(&self, id: &str) {
        self.open_sessions().insert(id.to_owned());
    }

    /// Records in the ledger a session a create's answer named: the one place every session
    /// the SDK opens passes (start-session, one-shot tasks, batches; not re-attached ones).
    pub(crate) fn note_opened(&self, id: &str) {
        if let Some(ledger) = &self.inner.ledger {
            ledger.opened(id);
        }
    }

    /// The ledger this client writes (`None`: off).
    pub(crate) fn ledger(&self) -> Option<&Ledger> {
        self.inner.ledger.as_ref()
    }

    fn open_sessions(&self) -> std::sync::MutexGuard<'_, BTreeSet<String>> {
        self.inner.open_sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether start-session answers were seen to name the initial task (`None`: not known yet).
    pub(crate) fn names_initial_tasks(&self) -> Option<bool> {
        *self.inner.names_initial_tasks.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn note_initial_task_named(&self, named: bool) {
        *self.inner.names_initial_tasks.lock().unwrap_or_else(|e| e.into_inner()) = Some(named);
    }

    /// The highest spend rate (USD per second) seen on a task of this client, if any.
    pub(crate) fn spend_rate(&self) -> Option<f64> {
        *self.inner.spend_rate.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes a task's cost after it ran `elapsed` since it was sent.
    pub(crate) fn note_spend(&self, cost: f64, elapsed: std::time::Duration) {
        // Too early a look says little about a rate (and divides by almost nothing).
        if !(cost.is_finite() && cost > 0.0) || elapsed < std::time::Duration::from_millis(100) {
            return;
        }
        let rate = cost / elapsed.as_secs_f64();
        let mut seen = self.inner.spend_rate.lock().unwrap_or_else(|e| e.into_inner());
        if seen.is_none_or(|r| rate > r) {
            *seen = Some(rate);
        }
    }

    /// The `X-RateLimit-*` headers of the latest answer that carried them, and how many answers
    /// carried them so far (a counter that tells a fresh reading from a stale one).
    pub fn rate_limit_seen(&self) -> (Option<RateLimitInfo>, u64) {
        self.inner.transport.rate_limit_seen()
    }

    /// The wait for the key's rate limit under way, if any: the batch pacer waiting for room in
    /// the window, or a request sleeping after a 429 before it is sent again. Its `message` is
    /// what a display shows (`waiting for the rate limit: 10 creates/min, next in 5 s`).
    pub fn rate_limit_wait(&self) -> Option<RateLimitWait> {
        self.inner.transport.rate_waits.current()
    }

    /// How many waits for the rate limit this client has begun (waiters for the same moment
    /// count once).
    pub fn rate_limit_waits(&self) -> u64 {
        self.inner.transport.rate_waits.count()
    }

    /// The waits for the rate limit that begin from now on, one by one (for a display that
    /// says so as each begins).
    pub fn rate_limit_notices(&self) -> RateLimitNotices {
        self.inner.transport.rate_waits.notices()
    }

    pub(crate) fn rate_waits(&self) -> &RateWaits {
        &self.inner.transport.rate_waits
    }

    /// Service health (`GET /start/health`, no key needed).
    pub async fn health(&self) -> Result<Health> {
        self.check_open()?;
        let body = self.get("/start/health", Auth::None, "health").await?;
        Ok(Health {
            status: body.get("status").and_then(Value::as_str).unwrap_or("unknown").to_owned(),
            instances_available: body.get("instancesAvailable").and_then(Value::as_bool),
            instance_count: body.get("instanceCount").and_then(Value::as_u64),
            timestamp: body.get("timestamp").map(|t| t.to_string().trim_matches('"').to_owned()),
            raw: body,
        })
    }

    /// Active instance connections (`GET /start/active-sockets`, no key needed).
    pub async fn active_sockets(&self) -> Result<ActiveSockets> {
        self.check_open()?;
        let body = self.get("/start/active-sockets", Auth::None, "active-sockets").await?;
        let sockets: Vec<String> = body
            .get("sockets")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        let count = body.get("count").and_then(Value::as_u64).unwrap_or(sockets.len() as u64);
        Ok(ActiveSockets { sockets, count, raw: body })
    }

    /// `POST /start/send-message` with the retry policy the message allows.
    #[tracing::instrument(name = "send_message", level = "info", skip_all, fields(session = session_id, kind = %message.label()))]
    pub(crate) async fn send_message_raw(&self, session_id: &str, message: &Message) -> Result<Value> {
        let retry = match message {
            Message::NewTask(_) => RetryPolicy::Create,
            m if m.is_idempotent() => RetryPolicy::Safe,
            _ => RetryPolicy::Once,
        };
        let operation = match message {
            Message::NewTask(_) => "newTask",
            Message::State { .. } => "state",
            Message::Interaction { .. } => "interaction",
            Message::Guardrail { .. } => "guardrail",
        };
        tracing::debug!(session = session_id, message = %message.label(), "send-message");
        let body = serde_json::json!({ "sessionId": session_id, "message": message });
        let answer = self.post("/start/send-message", &body, retry, operation, Some(session_id)).await;
        if let Err(err) = &answer
            && err.error_code() == crate::ErrorCode::SessionNotFound
        {
            // The service no longer knows the session: it has ended.
            self.forget_session(session_id);
        }
        answer
    }

    /// `GET /task/:sessionId/:taskId`, the raw body.
    pub(crate) async fn poll_raw(&self, session_id: &str, task_id: &str) -> Result<Value> {
        self.get(&path_of(&["task", session_id, task_id]), Auth::IfPresent, "poll").await
    }

    pub(crate) async fn post(
        &self,
        path: &str,
        body: &Value,
        retry: RetryPolicy,
        operation: &'static str,
        session_id: Option<&str>,
    ) -> Result<Value> {
        let request = Request {
            method: Method::POST,
            path: path.to_owned(),
            body: Some(body),
            auth: Auth::Required,
            retry,
            operation,
            session_id,
        };
        self.inner.transport.send(&request).await
    }

    async fn get(&self, path: &str, auth: Auth, operation: &'static str) -> Result<Value> {
        let request = Request {
            method: Method::GET,
            path: path.to_owned(),
            body: None,
            auth,
            retry: RetryPolicy::Safe,
            operation,
            session_id: None,
        };
        self.inner.transport.send(&request).await
    }
}

/// The ledger a configuration writes. Every host is recorded, a simulator on this machine too:
/// a user tries `enigma session list` on the simulator before trusting it with a real key, and a
/// simulator started with `enigma sim` outlives the programs that use it. (Test suites keep out of
/// the user's ledger by naming their own: `ENIGMA_LEDGER` in scripts/test-all.sh, the Python
/// conftest and the Node test helpers.)
fn ledger_of(config: &ClientConfig) -> Option<Ledger> {
    let path = crate::ledger::location::resolve(&config.ledger)?;
    let key = config.api_key.as_ref().map(|k| k.expose());
    Some(Ledger::new(path, key, config.base_url.as_str()))
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = self.config();
        f.debug_struct("Client")
            .field("base_url", &config.base_url.as_str())
            .field("api_key", &config.api_key)
            .finish_non_exhaustive()
    }
}
