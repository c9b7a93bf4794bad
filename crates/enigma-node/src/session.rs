//! `NativeSession`: wraps `enigma::Session`.

use enigma::Session;
use enigma::binding::Spelling;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::{coordinate, data, read_options};
use crate::errors::OrThrow;
use crate::events::NativeEventStream;
use crate::task::NativeTask;

/// A browser session.
#[napi]
pub struct NativeSession {
    inner: Session,
}

impl From<Session> for NativeSession {
    fn from(inner: Session) -> Self {
        NativeSession { inner }
    }
}

macro_rules! command {
    ($env:expr, $cancel:expr, $session:expr, |$s:ident| $call:expr) => {{
        let $s = $session.clone();
        spawn($env, token_of($cancel), async move { $call.await }, |()| ())
    }};
}

#[napi]
impl NativeSession {
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// The start answer; `null` on a re-attached handle.
    #[napi(getter, ts_return_type = "object | null")]
    pub fn info(&self) -> Option<serde_json::Value> {
        self.inner.info().map(data)
    }

    /// The live view page, when known.
    #[napi(getter)]
    pub fn live_view_url(&self) -> Option<String> {
        self.inner.live_view_url().map(str::to_owned)
    }

    /// The live view to embed: `{ url, html, width, height, readOnly }` (the core builds the
    /// frame); `null` on a re-attached handle.
    #[napi(ts_return_type = "{ url: string; html: string; width: number; height: number; readOnly: boolean } | null")]
    pub fn live_view(&self, read_only: bool) -> Option<serde_json::Value> {
        let view = self.inner.live_view(read_only)?;
        Some(serde_json::json!({
            "url": view.url, "html": view.html(), "width": view.width, "height": view.height, "readOnly": view.read_only,
        }))
    }

    /// The task started by `taskDetails` at start, when the service named it.
    #[napi(getter)]
    pub fn initial_task(&self) -> Option<NativeTask> {
        self.inner.initial_task().cloned().map(NativeTask::from)
    }

    /// Whether this handle terminated the session.
    #[napi(getter)]
    pub fn terminated(&self) -> bool {
        self.inner.is_terminated()
    }

    /// The session's live events, from the moment the stream connects; ends after the session
    /// ends. Each call makes an independent stream (all of them receive every event).
    #[napi]
    pub fn events(&self) -> NativeEventStream {
        NativeEventStream::from(self.inner.events())
    }

    /// A handle on a task of this session.
    #[napi]
    pub fn task(&self, env: &Env, task_id: String) -> Result<NativeTask> {
        // An id the core refuses is named as Node spells it (`taskId`).
        self.inner.task(&task_id).map(NativeTask::from).map_err(|e| Spelling::Camel.error(e)).or_throw(env)
    }

    #[napi(ts_return_type = "Promise<NativeTask>")]
    pub fn new_task<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "object")] options: Unknown<'_>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, NativeTask>> {
        let options = read_options(Some(options), enigma::binding::task_options).or_throw(env)?;
        let s = self.inner.clone();
        spawn(env, token_of(cancel), async move { s.new_task(options).await }, NativeTask::from)
    }

    /// A command without arguments, by its core name in camelCase (`enigma::SessionCommand`:
    /// `pause`, `resume`, `stop`, `takeOver`, `release`).
    #[napi(ts_return_type = "Promise<void>")]
    pub fn command<'e>(&self, env: &'e Env, name: String, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, ()>> {
        let command = enigma::binding::session_command(&name, Spelling::Camel).or_throw(env)?;
        command!(env, cancel, self.inner, |s| s.command(command))
    }

    /// Not cancellable: a terminate always runs to its end.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn terminate<'e>(&self, env: &'e Env) -> Result<PromiseRaw<'e, ()>> {
        command!(env, None, self.inner, |s| s.terminate())
    }

    #[napi(ts_return_type = "Promise<void>")]
    pub fn click<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "number")] x: Unknown<'_>,
        #[napi(ts_arg_type = "number")] y: Unknown<'_>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, ()>> {
        let (x, y) = (coordinate("x", x).or_throw(env)?, coordinate("y", y).or_throw(env)?);
        command!(env, cancel, self.inner, |s| s.click(x, y))
    }

    #[napi(ts_return_type = "Promise<void>")]
    pub fn double_click<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "number")] x: Unknown<'_>,
        #[napi(ts_arg_type = "number")] y: Unknown<'_>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, ()>> {
        let (x, y) = (coordinate("x", x).or_throw(env)?, coordinate("y", y).or_throw(env)?);
        command!(env, cancel, self.inner, |s| s.double_click(x, y))
    }

    #[napi(ts_return_type = "Promise<void>")]
    pub fn type_text<'e>(
        &self,
        env: &'e Env,
        text: String,
        human_like: Option<bool>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, ()>> {
        let human_like = human_like.unwrap_or(false);
        command!(env, cancel, self.inner, |s| s.type_text(&text, typing(human_like)))
    }

    #[napi(ts_return_type = "Promise<void>")]
    pub fn press_key<'e>(&self, env: &'e Env, key: String, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, ()>> {
        command!(env, cancel, self.inner, |s| s.press_key(&key))
    }

    #[napi(ts_return_type = "Promise<void>")]
    pub fn answer_guardrail<'e>(
        &self,
        env: &'e Env,
        text: String,
        resume: Option<bool>,
        cancel: Option<&CancelToken>,
    ) -> Result<PromiseRaw<'e, ()>> {
        let resume = resume.unwrap_or(true);
        command!(env, cancel, self.inner, |s| s.answer_guardrail(&text, decision(resume)))
    }
}

/// The core's session commands without arguments in the Node spelling (`takeOver`), each a
/// method of `Session` (and declared in `index.d.ts`), which a test checks.
#[napi]
pub fn session_commands() -> Vec<String> {
    enigma::SessionCommand::ALL.iter().map(|c| Spelling::Camel.spell(c.name())).collect()
}

/// The core's decision for the binding's `resume` flag (documented as a bool in this language).
fn decision(resume: bool) -> enigma::GuardrailDecision {
    if resume { enigma::GuardrailDecision::Resume } else { enigma::GuardrailDecision::Stop }
}

/// The core's typing for the binding's `human_like` flag (documented as a bool in this language).
fn typing(human_like: bool) -> enigma::Typing {
    if human_like { enigma::Typing::HumanLike } else { enigma::Typing::Instant }
}
