//! Reading a `POST /v1/chat/completions` body: the model, the task (the last user message),
//! and whether to stream.

use serde_json::{Map, Value};

use super::error::OpenAiError;

/// The one model the service serves.
pub(crate) const MODEL: &str = "enigma-browser-1";

/// What a chat completion request asks for.
#[derive(Debug)]
pub(crate) struct ChatRequest {
    /// The text of the last `user` message: the task (with any `#sim` directives).
    pub task_details: String,
    pub stream: bool,
}

/// Checks the body; the errors name the field, as OpenAI's do (`param`).
pub(crate) fn parse(body: &[u8]) -> Result<ChatRequest, OpenAiError> {
    let map = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err(OpenAiError::invalid("body", "The request body must be a JSON object")),
        Err(e) => return Err(OpenAiError::invalid("body", format!("The request body is not valid JSON ({e})"))),
    };
    match map.get("model") {
        Some(Value::String(m)) if m == MODEL => {}
        Some(Value::String(m)) => {
            let mut e = OpenAiError::invalid("model", format!("The model '{m}' does not exist; use '{MODEL}'"));
            e.status = axum::http::StatusCode::NOT_FOUND;
            e.code = "model_not_found".into();
            return Err(e);
        }
        None | Some(Value::Null) => return Err(OpenAiError::invalid("model", "Missing required parameter: 'model'")),
        Some(_) => return Err(OpenAiError::invalid("model", "Invalid type for 'model': expected a string")),
    }
    let stream = match map.get("stream") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(OpenAiError::invalid("stream", "Invalid type for 'stream': expected a boolean")),
    };
    Ok(ChatRequest { task_details: task_of(&map)?, stream })
}

/// The text of the last `user` message.
fn task_of(map: &Map<String, Value>) -> Result<String, OpenAiError> {
    let messages = match map.get("messages") {
        Some(Value::Array(m)) if !m.is_empty() => m,
        Some(Value::Array(_)) => return Err(OpenAiError::invalid("messages", "'messages' must not be empty")),
        None | Some(Value::Null) => {
            return Err(OpenAiError::invalid("messages", "Missing required parameter: 'messages'"));
        }
        Some(_) => return Err(OpenAiError::invalid("messages", "Invalid type for 'messages': expected an array")),
    };
    let last_user = messages.iter().rev().find(|m| m.get("role").and_then(Value::as_str) == Some("user"));
    let Some(message) = last_user else {
        return Err(OpenAiError::invalid("messages", "'messages' must contain a message with role 'user'"));
    };
    let text = match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        // Content parts: the text parts, joined.
        Some(Value::Array(parts)) => parts
            .iter()
            .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    };
    if text.trim().is_empty() {
        return Err(OpenAiError::invalid("messages", "The last user message must have text content (the task)"));
    }
    Ok(text)
}
