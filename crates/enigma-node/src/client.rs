//! `NativeClient`: wraps `enigma::Client`.

use enigma::Client;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::{
    ActiveSocketsData, HealthData, SessionOptionsArg, TaskResultData, WaitOptionsArg, health_data, millis, result_data,
    sockets_data,
};
use crate::errors::{invalid, to_napi};
use crate::session::NativeSession;
use crate::task::NativeTask;

/// Client settings (Node spelling; durations in ms). Unset ones come from `ENIGMA_*`.
#[napi(object)]
#[derive(Default)]
pub struct ClientOptionsArg {
    pub api_key: Option<String>,
    pub base_url: Option<String>,
    pub request_timeout_ms: Option<f64>,
    pub connect_timeout_ms: Option<f64>,
    pub max_retries: Option<f64>,
    pub retry_backoff_ms: Option<f64>,
    pub retry_backoff_max_ms: Option<f64>,
    pub poll_interval_ms: Option<f64>,
    pub allow_insecure_http: Option<bool>,
    pub extra_root_ca_pem: Option<String>,
    pub user_agent_prefix: Option<String>,
    /// Use the Socket.IO connection for waits and commands (default true; `ENIGMA_LIVE_EVENTS=0`
    /// turns it off): false means REST only.
    pub live_events: Option<bool>,
}

/// The non-secret configuration in use.
#[napi(object, use_nullable = true)]
pub struct ClientConfigData {
    pub base_url: String,
    /// The key's redacted form (`enig_…`), never the key.
    pub api_key: Option<String>,
    pub request_timeout_ms: f64,
    pub max_retries: u32,
    pub poll_interval_ms: f64,
    pub allow_insecure_http: bool,
    pub live_events: bool,
}

/// An Enigma client: one connection pool, shared by every session and task made from it.
#[napi]
pub struct NativeClient {
    pub(crate) inner: Client,
}

#[napi]
impl NativeClient {
    #[napi(constructor)]
    pub fn new(options: Option<ClientOptionsArg>) -> Result<Self> {
        let o = options.unwrap_or_default();
        let mut b = Client::builder();
        if let Some(key) = o.api_key {
            b = b.api_key(key);
        }
        if let Some(url) = o.base_url {
            b = b.base_url(url);
        }
        if let Some(t) = millis("requestTimeoutMs", o.request_timeout_ms)? {
            b = b.request_timeout(t);
        }
        if let Some(t) = millis("connectTimeoutMs", o.connect_timeout_ms)? {
            b = b.connect_timeout(t);
        }
        if let Some(n) = crate::convert::whole("maxRetries", o.max_retries)? {
            b = b.max_retries(u32::try_from(n).map_err(|_| invalid("maxRetries", "is too large"))?);
        }
        let first = millis("retryBackoffMs", o.retry_backoff_ms)?;
        let max = millis("retryBackoffMaxMs", o.retry_backoff_max_ms)?;
        if first.is_some() || max.is_some() {
            let defaults = enigma::ClientConfig::default();
            b = b.retry_backoff(first.unwrap_or(defaults.retry_backoff), max.unwrap_or(defaults.retry_backoff_max));
        }
        if let Some(t) = millis("pollIntervalMs", o.poll_interval_ms)? {
            b = b.poll_interval(t);
        }
        if let Some(allow) = o.allow_insecure_http {
            b = b.allow_insecure_http(allow);
        }
        if let Some(pem) = o.extra_root_ca_pem {
            b = b.extra_root_ca_pem(pem.into_bytes());
        }
        if let Some(on) = o.live_events {
            b = b.live_events(on);
        }
        if let Some(prefix) = o.user_agent_prefix {
            b = b.user_agent_prefix(prefix);
        }
        Ok(NativeClient { inner: b.build().map_err(to_napi)? })
    }

    /// The configuration in use (without the key).
    #[napi(getter)]
    pub fn config(&self) -> ClientConfigData {
        let c = self.inner.config();
        ClientConfigData {
            base_url: c.base_url.as_str().trim_end_matches('/').to_owned(),
            api_key: c.api_key.as_ref().map(|k| k.to_string()),
            request_timeout_ms: c.request_timeout.as_secs_f64() * 1000.0,
            max_retries: c.max_retries,
            poll_interval_ms: c.poll_interval.as_secs_f64() * 1000.0,
            allow_insecure_http: c.allow_insecure_http,
            live_events: c.live_events,
        }
    }

    /// Starts a batch: `tasks` a list of task texts or spec objects, `options` the batch options
    /// (camelCase); `guardrail`: questions come out of the batch's `next()`. Bad tasks or
    /// options reject with a validation error naming them, before anything is sent.
    #[napi(ts_return_type = "Promise<NativeBatch>")]
    pub fn run_many<'e>(
        &self,
        env: &'e Env,
        tasks: serde_json::Value,
        options: serde_json::Value,
        guardrail: bool,
    ) -> Result<PromiseRaw<'e, crate::batch::NativeBatch>> {
        let client = self.inner.clone();
        spawn(env, None, async move { crate::batch::start(&client, &tasks, &options, guardrail) }, |b| b)
    }

    /// Starts a session. Cancelling rejects at once and drops the request; the core then
    /// terminates the session if the service had already made it.
    #[napi(ts_return_type = "Promise<NativeSession>")]
    pub fn start_session<'e>(
        &self,
        env: &'e Env,
        options: Option<SessionOptionsArg>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, NativeSession>> {
        let options = options.unwrap_or_default().into_core()?;
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.start_session(options).await }, NativeSession::from)
    }

    /// One-shot task: run-task, then wait for the result. Cancelling rejects at once; a
    /// cancelled start is undone by the core, a cancelled wait terminates the one-shot session.
    #[napi(ts_return_type = "Promise<TaskResultData>")]
    pub fn run_task<'e>(
        &self,
        env: &'e Env,
        options: SessionOptionsArg,
        wait: Option<WaitOptionsArg>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, TaskResultData>> {
        let (session, wait) = (options.into_core()?, wait.unwrap_or_default().into_core()?);
        let client = self.inner.clone();
        let token = token_of(cancel);
        // The core terminates the one-shot session when this future is dropped (an abort).
        let work = async move { client.run_task(enigma::RunTaskOptions { session, wait }).await };
        spawn(env, token, work, result_data)
    }

    /// run-task without waiting: the task to wait on. Cancelling rejects at once (the core
    /// undoes a start already made).
    #[napi(ts_return_type = "Promise<NativeTask>")]
    pub fn start_task<'e>(
        &self,
        env: &'e Env,
        options: SessionOptionsArg,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, NativeTask>> {
        let options = options.into_core()?;
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.start_task(options).await }, NativeTask::from)
    }

    /// Re-attaches to a session by id.
    #[napi]
    pub fn session(&self, session_id: String) -> Result<NativeSession> {
        self.inner.session(&session_id).map(NativeSession::from).map_err(to_napi)
    }

    /// Re-attaches to a task by ids.
    #[napi]
    pub fn task(&self, session_id: String, task_id: String) -> Result<NativeTask> {
        self.inner.task(&session_id, &task_id).map(NativeTask::from).map_err(to_napi)
    }

    /// Service health.
    #[napi(ts_return_type = "Promise<HealthData>")]
    pub fn health<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, HealthData>> {
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.health().await }, health_data)
    }

    /// Active instance connections.
    #[napi(ts_return_type = "Promise<ActiveSocketsData>")]
    pub fn active_sockets<'e>(
        &self,
        env: &'e Env,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, ActiveSocketsData>> {
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.active_sockets().await }, sockets_data)
    }

    /// Ids of the sessions started through this client and not terminated through it.
    #[napi]
    pub fn open_session_ids(&self) -> Vec<String> {
        self.inner.open_session_ids()
    }

    /// Terminates every open session; resolves to the ids that could not be terminated.
    #[napi(ts_return_type = "Promise<Array<string>>")]
    pub fn terminate_open_sessions<'e>(&self, env: &'e Env) -> Result<PromiseRaw<'e, Vec<String>>> {
        let client = self.inner.clone();
        let work =
            async move { Ok(client.terminate_open_sessions().await.into_iter().map(|(id, _)| id).collect::<Vec<_>>()) };
        spawn(env, None, work, |ids| ids)
    }
}
