//! `NativeTask`: wraps `enigma::Task`.

use enigma::{Task, TaskStatus};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;
use napi_derive::napi;

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::{JsData, js_data, read_options};
use crate::errors::OrThrow;
use crate::session::NativeSession;

/// A progress callback: weak (it never keeps the process alive), called without a Rust-side
/// error argument, its own exceptions caught.
type OnStatus = ThreadsafeFunction<JsData, (), JsData, Status, false, true>;

/// A task of a session.
#[napi]
pub struct NativeTask {
    inner: Task,
}

impl From<Task> for NativeTask {
    fn from(inner: Task) -> Self {
        NativeTask { inner }
    }
}

#[napi]
impl NativeTask {
    /// `null` until the service names the task (see `waitForId`).
    #[napi(getter)]
    pub fn id(&self) -> Option<String> {
        self.inner.id().map(str::to_owned)
    }

    /// The task id, once the service names the task.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn wait_for_id<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, String>> {
        let task = self.inner.clone();
        spawn(env, token_of(cancel), async move { task.wait_for_id().await }, std::convert::identity)
    }

    #[napi(getter)]
    pub fn session_id(&self) -> String {
        self.inner.session_id().to_owned()
    }

    /// A handle on the task's session (re-attached by id).
    #[napi]
    pub fn session(&self) -> NativeSession {
        NativeSession::from(self.inner.session())
    }

    /// One look at the task.
    #[napi(ts_return_type = "Promise<object>")]
    pub fn poll<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, JsData>> {
        let task = self.inner.clone();
        spawn(env, token_of(cancel), async move { task.poll().await }, |s| js_data(s.view()))
    }

    /// Waits for the outcome. `on_status` (optional) is called with every status polled.
    #[napi(ts_return_type = "Promise<object>")]
    pub fn result<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "object | undefined | null")] options: Option<Unknown<'_>>,
        cancel: Option<&CancelToken>,
        #[napi(ts_arg_type = "((status: object) => void) | undefined | null")] on_status: Option<
            Function<'e, JsData, ()>,
        >,
    ) -> Result<PromiseRaw<'e, JsData>> {
        let options = read_options(options, enigma::binding::wait_options).or_throw(env)?;
        let task = self.inner.clone();
        let Some(on_status) = on_status else {
            return spawn(env, token_of(cancel), async move { task.result(options).await }, js_data);
        };
        let callback: std::sync::Arc<OnStatus> = std::sync::Arc::new(
            on_status.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?,
        );
        let work = async move {
            let notify = move |status: &TaskStatus| {
                let callback = callback.clone();
                let shown = js_data(status.view());
                // Fire and forget: a throwing callback is caught (and ignored), never fatal.
                tokio::spawn(async move {
                    let _ = callback.call_async_catch(shown).await;
                });
            };
            task.result_with_progress(options, notify).await
        };
        spawn(env, token_of(cancel), work, js_data)
    }
}
