//! `POST /start/send-message`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::{limited, wait};
use crate::commands::MessageOutcome;
use crate::errors::ApiError;
use crate::state::AppState;
use crate::validate::{parse_body, required_str};

/// Applies a message to a session; `newTask` waits inline for the result.
pub(crate) async fn send_message(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let st = state.clone();
    limited(&state, &headers, "POST /start/send-message", |key| async move {
        let outcome = (|| {
            let map = parse_body(&body)?;
            let session_id = required_str(&map, "sessionId")?.to_string();
            let message = match map.get("message") {
                Some(Value::Object(m)) => m,
                None | Some(Value::Null) => return Err(ApiError::missing_field("Missing required field 'message'")),
                Some(_) => return Err(ApiError::invalid_param("message", "must be an object")),
            };
            st.apply_message(Some(&key), &session_id, message)
        })();
        match outcome {
            Ok(MessageOutcome::Ack) => {
                axum::Json(json!({ "success": true, "message": "Message sent successfully" })).into_response()
            }
            Ok(MessageOutcome::NewTask { task_id }) => axum::Json(wait::inline(&st, &task_id).await).into_response(),
            Err(e) => e.into_response(),
        }
    })
    .await
}
