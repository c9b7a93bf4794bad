//! From an answer of the OpenAI-compatible endpoint to the SDK's handles.

use serde_json::Value;

use super::client::Client;
use super::task::Task;
use crate::model::completion::CompletionIds;
use crate::model::error::Result;

impl Client {
    /// The task behind an answer of the OpenAI-compatible endpoint (`/v1/chat/completions`):
    /// a completion, a chunk of its stream (the first names the task), or the error body of a
    /// failed request (a guardrail), as JSON. Re-attached with this client (no request) to
    /// poll, stop or terminate; `task.session()` is its session. A value without the `enigma`
    /// block is [`Error::Validation`](crate::Error).
    pub fn task_from_completion(&self, completion: &Value) -> Result<Task> {
        let ids = CompletionIds::from_completion(completion)?;
        self.task(&ids.session_id, &ids.task_id)
    }
}
