//! The JSON of a chat completion, of its stream chunks, and of the `enigma` block that names
//! the session and task behind it.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::request::MODEL;
use crate::state::Usage;

/// What names one completion: its task and session, and when it was made.
#[derive(Clone, Debug)]
pub(crate) struct Ids {
    pub session_id: String,
    pub task_id: String,
    /// Unix seconds.
    pub created: u64,
}

impl Ids {
    pub(crate) fn new(session_id: String, task_id: String) -> Ids {
        let created = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Ids { session_id, task_id, created }
    }

    /// `{sessionId, taskId, cost}`; `cost` (USD) once it is known.
    pub(crate) fn enigma(&self, cost: Option<f64>) -> Value {
        let mut block = json!({ "sessionId": self.session_id, "taskId": self.task_id });
        if let Some(cost) = cost {
            block["cost"] = json!(cost);
        }
        block
    }

    fn id(&self) -> String {
        format!("chatcmpl-{}", self.task_id)
    }
}

/// OpenAI's `usage` from the task's.
fn usage_json(usage: &Usage) -> Value {
    json!({
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.input_tokens + usage.output_tokens,
    })
}

/// A whole `chat.completion`.
pub(crate) fn completion(ids: &Ids, content: &str, usage: &Usage) -> Value {
    json!({
        "id": ids.id(),
        "object": "chat.completion",
        "created": ids.created,
        "model": MODEL,
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": content, "refusal": null },
            "logprobs": null,
            "finish_reason": "stop",
        }],
        "usage": usage_json(usage),
        "enigma": ids.enigma(Some(usage.cost)),
    })
}

/// One `chat.completion.chunk` with `delta`.
pub(crate) fn chunk(ids: &Ids, delta: Value, finish_reason: Option<&str>) -> Value {
    json!({
        "id": ids.id(),
        "object": "chat.completion.chunk",
        "created": ids.created,
        "model": MODEL,
        "choices": [{ "index": 0, "delta": delta, "logprobs": null, "finish_reason": finish_reason }],
    })
}

/// The first chunk: the role, and the ids, so that a client can follow, stop or terminate
/// the task while it streams.
pub(crate) fn first_chunk(ids: &Ids) -> Value {
    let mut first = chunk(ids, json!({ "role": "assistant", "content": "" }), None);
    first["enigma"] = ids.enigma(None);
    first
}

/// The last chunk: an empty delta, `finish_reason: "stop"`, the usage and the cost.
pub(crate) fn last_chunk(ids: &Ids, usage: &Usage) -> Value {
    let mut last = chunk(ids, json!({}), Some("stop"));
    last["usage"] = usage_json(usage);
    last["enigma"] = ids.enigma(Some(usage.cost));
    last
}

/// The answer's text in a few pieces (words with their following space), as a model streams.
pub(crate) fn pieces(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for (i, word) in text.split_inclusive(' ').enumerate() {
        current.push_str(word);
        if i % 3 == 2 {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn the_pieces_join_to_the_text() {
        let text = "Completed: find the price of a kettle on the shop";
        let parts = pieces(text);
        assert!(parts.len() > 1, "{parts:?}");
        assert_eq!(parts.concat(), text);
        assert!(pieces("").is_empty());
    }
}
