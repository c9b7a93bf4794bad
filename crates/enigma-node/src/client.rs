//! `NativeClient`: wraps `enigma::Client`.

use enigma::Client;
use enigma::binding::Spelling;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::{JsData, data, js_data, json, read_options};
use crate::errors::OrThrow;
use crate::session::NativeSession;
use crate::task::NativeTask;

/// An Enigma client: one connection pool, shared by every session and task made from it.
#[napi]
pub struct NativeClient {
    pub(crate) inner: Client,
}

#[napi]
impl NativeClient {
    /// `options`: the settings given (`requestTimeoutMs`, `maxRetries`, ...: `index.d.ts`'s
    /// `ClientOptions`); the core reads and checks them, the rest come from `ENIGMA_*`.
    #[napi(constructor)]
    pub fn new(
        env: &Env,
        #[napi(ts_arg_type = "object | undefined | null")] options: Option<Unknown<'_>>,
    ) -> Result<Self> {
        // `ENIGMA_LOG` is read when a client is made, as in every language: the binding is the
        // application here, so it may install the stderr subscriber (the core never does).
        enigma::init_logging_from_env();
        let settings = read_options(options, enigma::binding::client_settings).or_throw(env)?;
        let built = Client::builder().settings(settings).build();
        Ok(NativeClient { inner: built.map_err(|e| Spelling::Camel.error(e)).or_throw(env)? })
    }

    /// The configuration in use: the settings as `new NativeClient` takes them, with the key
    /// only in redacted form (`apiKey`).
    #[napi(getter, ts_return_type = "object")]
    pub fn config(&self) -> serde_json::Value {
        let mut shown = data(self.inner.config().settings());
        shown["apiKey"] = self.inner.config().api_key.as_ref().map(|k| k.to_string()).into();
        shown
    }

    /// Starts a batch: `tasks` a list of task texts or spec objects, `options` the batch options
    /// (camelCase); `guardrail`: questions come out of the batch's `next()`. Bad tasks or
    /// options reject with a validation error naming them, before anything is sent.
    #[napi(ts_return_type = "Promise<NativeBatch>")]
    pub fn run_many<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "any")] tasks: Unknown<'_>,
        #[napi(ts_arg_type = "any")] options: Unknown<'_>,
        guardrail: bool,
    ) -> Result<PromiseRaw<'e, crate::batch::NativeBatch>> {
        let (tasks, options) = (json(Some(tasks), "tasks").or_throw(env)?, json(Some(options), "").or_throw(env)?);
        let client = self.inner.clone();
        let start =
            async move { enigma::binding::BatchFeed::start(&client, &tasks, &options, guardrail, Spelling::Camel) };
        spawn(env, None, start, crate::batch::NativeBatch::from)
    }

    /// Starts a session. Cancelling rejects at once and drops the request; the core then
    /// terminates the session if the service had already made it.
    #[napi(ts_return_type = "Promise<NativeSession>")]
    pub fn start_session<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "object | undefined | null")] options: Option<Unknown<'_>>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, NativeSession>> {
        let options = read_options(options, enigma::binding::session_options).or_throw(env)?;
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.start_session(options).await }, NativeSession::from)
    }

    /// One-shot task: run-task, then wait for the result. Cancelling rejects at once; a
    /// cancelled start is undone by the core, a cancelled wait terminates the one-shot session.
    #[napi(ts_return_type = "Promise<object>")]
    pub fn run_task<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "object")] options: Unknown<'_>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, JsData>> {
        let options = read_options(Some(options), enigma::binding::run_task_options).or_throw(env)?;
        let client = self.inner.clone();
        let token = token_of(cancel);
        // The core terminates the one-shot session when this future is dropped (an abort).
        let work = async move { client.run_task(options).await };
        spawn(env, token, work, js_data)
    }

    /// run-task without waiting: the task to wait on. Cancelling rejects at once (the core
    /// undoes a start already made).
    #[napi(ts_return_type = "Promise<NativeTask>")]
    pub fn start_task<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "object")] options: Unknown<'_>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, NativeTask>> {
        let options = read_options(Some(options), enigma::binding::start_task_options).or_throw(env)?;
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.start_task(options).await }, NativeTask::from)
    }

    /// Re-attaches to a session by id.
    #[napi]
    pub fn session(&self, env: &Env, session_id: String) -> Result<NativeSession> {
        // An id the core refuses is named as Node spells it (`sessionId`).
        self.inner.session(&session_id).map(NativeSession::from).map_err(|e| Spelling::Camel.error(e)).or_throw(env)
    }

    /// Re-attaches to a task by ids.
    #[napi]
    pub fn task(&self, env: &Env, session_id: String, task_id: String) -> Result<NativeTask> {
        self.inner.task(&session_id, &task_id).map(NativeTask::from).map_err(|e| Spelling::Camel.error(e)).or_throw(env)
    }

    /// The task behind an answer of the OpenAI-compatible endpoint (a completion, a chunk, or
    /// an error body), read by the core. No request.
    #[napi]
    pub fn task_from_completion(&self, env: &Env, completion: serde_json::Value) -> Result<NativeTask> {
        self.inner
            .task_from_completion(&completion)
            .map(NativeTask::from)
            .map_err(|e| Spelling::Camel.error(e))
            .or_throw(env)
    }

    /// Service health.
    #[napi(ts_return_type = "Promise<object>")]
    pub fn health<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, JsData>> {
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.health().await }, js_data)
    }

    /// Active instance connections.
    #[napi(ts_return_type = "Promise<object>")]
    pub fn active_sockets<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, JsData>> {
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.active_sockets().await }, js_data)
    }

    /// Closes the client (the core's `Client::close`): its later calls reject with a validation
    /// error naming `client`; handles made before keep working. Idempotent.
    #[napi]
    pub fn close(&self) {
        self.inner.close();
    }

    /// Whether the client was closed.
    #[napi(getter)]
    pub fn closed(&self) -> bool {
        self.inner.is_closed()
    }

    /// Ids of the sessions started through this client and not terminated through it.
    #[napi]
    pub fn open_session_ids(&self) -> Vec<String> {
        self.inner.open_session_ids()
    }

    /// The sessions the ledger saw opened and never saw end, each checked against the service;
    /// with `terminate`, those still open whose process is gone are ended (the core's
    /// `Client::check_unended_sessions`).
    #[napi(ts_return_type = "Promise<Array<object>>")]
    pub fn unended_sessions<'e>(
        &self,
        env: &'e Env,
        terminate: bool,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, JsData>> {
        let client = self.inner.clone();
        spawn(env, token_of(cancel), async move { client.check_unended_sessions(terminate).await }, js_data)
    }

    /// The session ledger's file, or null when it is off.
    #[napi(getter)]
    pub fn ledger_path(&self) -> Option<String> {
        self.inner.ledger_path().map(|p| p.display().to_string())
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
