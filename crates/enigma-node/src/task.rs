//! `NativeTask`: wraps `enigma::Task`.

use enigma::{Task, TaskStatus};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;
use napi_derive::napi;

use crate::cancel::{CancelToken, spawn, token_of};
use crate::convert::{TaskResultData, TaskStatusData, read_options, result_data, status_data};
use crate::session::NativeSession;

/// A progress callback: weak (it never keeps the process alive), called without a Rust-side
/// error argument, its own exceptions caught.
type OnStatus = ThreadsafeFunction<TaskStatusData, (), TaskStatusData, Status, false, true>;

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
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
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
    #[napi(ts_return_type = "Promise<TaskStatusData>")]
    pub fn poll<'e>(&self, env: &'e Env, cancel: Option<&CancelToken>) -> Result<PromiseRaw<'e, TaskStatusData>> {
        let task = self.inner.clone();
        spawn(env, token_of(cancel), async move { task.poll().await }, status_data)
    }

    /// Waits for the outcome. `on_status` (optional) is called with every status polled.
    #[napi(ts_return_type = "Promise<TaskResultData>")]
    pub fn result<'e>(
        &self,
        env: &'e Env,
        #[napi(ts_arg_type = "object | undefined | null")] options: Option<serde_json::Value>,
        cancel: Option<&CancelToken>,
        #[napi(ts_arg_type = "((status: TaskStatusData) => void) | undefined | null")] on_status: Option<
            Function<'e, TaskStatusData, ()>,
        >,
    ) -> Result<PromiseRaw<'e, TaskResultData>> {
        let options = read_options(options, enigma::options::wait_options)?;
        let task = self.inner.clone();
        let Some(on_status) = on_status else {
            return spawn(env, token_of(cancel), async move { task.result(options).await }, result_data);
        };
        let callback: std::sync::Arc<OnStatus> = std::sync::Arc::new(
            on_status.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?,
        );
        let work = async move {
            let notify = move |status: &TaskStatus| {
                let callback = callback.clone();
                let data = status_data(status.clone());
                // Fire and forget: a throwing callback is caught (and ignored), never fatal.
                tokio::spawn(async move {
                    let _ = callback.call_async_catch(data).await;
                });
            };
            task.result_with_progress(options, notify).await
        };
        spawn(env, token_of(cancel), work, result_data)
    }
}
