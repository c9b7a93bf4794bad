//! The `enigma` block of an answer of the service's OpenAI-compatible endpoint
//! (`POST /v1/chat/completions`): `{sessionId, taskId, cost}`, which names the session and
//! task behind a completion so that the SDK's handles can follow them (poll, stop, terminate).
//! It is on a completion, on a streamed chunk (the first names the task, the last adds the
//! cost), and inside the `error` of a failed request (a guardrail).

use serde_json::Value;

use super::error::{Error, Result};
use super::validate;

/// What the `enigma` block of a completion names.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct CompletionIds {
    /// The session the request opened (ended after the request).
    pub session_id: String,
    /// The task that made the answer.
    pub task_id: String,
    /// What the task cost, USD, when the block says (the last chunk of a stream, a completion).
    pub cost: Option<f64>,
}

impl CompletionIds {
    /// Reads the `enigma` block of a completion, a chunk, an error body (`{"error": {...}}`) or
    /// its `error` object. A value without one is a validation error (nothing is sent).
    pub fn from_completion(completion: &Value) -> Result<CompletionIds> {
        let block = [&completion["enigma"], &completion["error"]["enigma"]]
            .into_iter()
            .find(|b| b.is_object())
            .ok_or_else(|| {
                Error::validation(
                    "completion",
                    "has no `enigma` block ({sessionId, taskId, cost}): pass an answer of the OpenAI-compatible \
                     endpoint (/v1/chat/completions), a chunk of its stream, or its error body",
                )
            })?;
        let id = |name: &str| -> Result<String> {
            let value = block[name]
                .as_str()
                .ok_or_else(|| Error::validation(&format!("completion.enigma.{name}"), "is missing or not a string"))?;
            validate::id(&format!("completion.enigma.{name}"), value)?;
            Ok(value.to_string())
        };
        Ok(CompletionIds { session_id: id("sessionId")?, task_id: id("taskId")?, cost: block["cost"].as_f64() })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_a_completion_a_chunk_and_an_error_body() {
        let completion =
            json!({ "object": "chat.completion", "enigma": { "sessionId": "s1", "taskId": "t1", "cost": 0.5 } });
        let ids = CompletionIds::from_completion(&completion).unwrap();
        assert_eq!((ids.session_id.as_str(), ids.task_id.as_str(), ids.cost), ("s1", "t1", Some(0.5)));
        let chunk = json!({ "object": "chat.completion.chunk", "enigma": { "sessionId": "s1", "taskId": "t1" } });
        assert_eq!(CompletionIds::from_completion(&chunk).unwrap().cost, None);
        let error =
            json!({ "error": { "code": "guardrail_triggered", "enigma": { "sessionId": "s2", "taskId": "t2" } } });
        assert_eq!(CompletionIds::from_completion(&error).unwrap().task_id, "t2");
        assert_eq!(CompletionIds::from_completion(&error["error"]).unwrap().session_id, "s2");
    }

    #[test]
    fn a_value_without_the_block_is_a_validation_error_naming_what_is_missing() {
        let e = CompletionIds::from_completion(&json!({ "choices": [] })).unwrap_err();
        assert!(e.to_string().contains("enigma"), "{e}");
        let e = CompletionIds::from_completion(&json!({ "enigma": { "sessionId": "s1" } })).unwrap_err();
        assert!(e.to_string().contains("completion.enigma.taskId"), "{e}");
        let e =
            CompletionIds::from_completion(&json!({ "enigma": { "sessionId": "s 1", "taskId": "t" } })).unwrap_err();
        assert!(e.to_string().contains("completion.enigma.sessionId"), "{e}");
    }
}
