//! Commands over the socket: a client `message` event carries a bare message object, applied
//! exactly like `POST /start/send-message` (no API key, no rate limit: the socket was admitted
//! by its session id).
//!
//! With an ack the client gets the REST answer's JSON (errors add `status`, the HTTP status);
//! a `newTask` is acked as soon as the task exists, in the pending shape (its outcome comes as
//! events). A failed command without an ack gets a `message` event
//! `{type:"command_error", actionType, error, message, code, status}` on that socket only.
//! Both the acks and `command_error` are extras (`crate::extras`): with `strict_docs` a command
//! gets neither, as the docs document none.

use std::convert::Infallible;
use std::sync::Arc;

use serde_json::{Value, json};
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, SocketRef, State, TryData};
use socketioxide::handler::{FromMessageParts, Value as WireValue};
use socketioxide::socket::Socket;

use super::admission::Admission;
use crate::commands::MessageOutcome;
use crate::errors::ApiError;
use crate::extras::Extras;
use crate::responses::pending_body;
use crate::state::{AppState, TaskPhase};

/// Whether the client asked for an ack.
pub(crate) struct AckRequested(bool);

impl<A: Adapter> FromMessageParts<A> for AckRequested {
    type Error = Infallible;

    fn from_message_parts(_: &Arc<Socket<A>>, _: &mut WireValue, ack_id: &Option<i64>) -> Result<Self, Infallible> {
        Ok(AckRequested(ack_id.is_some()))
    }
}

/// A client message, already applied. socketioxide extracts a handler's arguments in arrival
/// order but then runs each handler as a task of its own, so handlers may run out of order: a
/// `pause` sent right before a `resume` could land after it. Applying the message while it is
/// extracted keeps the socket's order.
pub(crate) struct Applied {
    message: Value,
    /// `None` when the socket was not admitted (no session).
    answer: Option<Result<Value, ApiError>>,
    extras: Option<Extras>,
}

impl<A: Adapter> FromMessageParts<A> for Applied {
    type Error = Infallible;

    fn from_message_parts(
        socket: &Arc<Socket<A>>,
        data: &mut WireValue,
        ack_id: &Option<i64>,
    ) -> Result<Self, Infallible> {
        let Ok(TryData(decoded)) = TryData::<Value>::from_message_parts(socket, data, ack_id);
        let message = decoded.unwrap_or(Value::Null);
        let Ok(State(state)) = State::<Arc<AppState>>::from_message_parts(socket, data, ack_id) else {
            return Ok(Applied { message, answer: None, extras: None });
        };
        let extras = {
            let mut inner = state.lock();
            inner.stats.count_socket_message(&message);
            inner.extras
        };
        let answer =
            socket.extensions.get::<Admission>().map(|admission| apply(&state, &admission.session_id, &message));
        Ok(Applied { message, answer, extras: Some(extras) })
    }
}

/// Answers a client `message` event (applied in order by [`Applied`]).
pub(crate) async fn on_message(
    socket: SocketRef,
    AckRequested(wants_ack): AckRequested,
    Applied { message, answer, extras }: Applied,
    ack: AckSender,
) {
    let (Some(answer), Some(extras)) = (answer, extras) else { return };
    match (answer, wants_ack && extras.socket_acks()) {
        (Ok(body), true) => {
            let _ = ack.send(&body);
        }
        (Ok(_), false) => {}
        (Err(e), true) => {
            let mut body = e.body();
            body["status"] = json!(e.status.as_u16());
            let _ = ack.send(&body);
        }
        (Err(_), false) if !extras.command_errors() => {}
        (Err(e), false) => {
            let event = json!({
                "type": "command_error",
                "actionType": message.get("actionType").cloned().unwrap_or(Value::Null),
                "error": e.message,
                "message": e.message,
                "code": e.code,
                "status": e.status.as_u16(),
            });
            let _ = socket.emit("message", &event);
        }
    }
}

/// Applies the message; the answer is the body send-message would answer (a `newTask` in the
/// pending shape, at once).
fn apply(state: &AppState, session_id: &str, message: &Value) -> Result<Value, ApiError> {
    let Value::Object(map) = message else {
        return Err(ApiError::invalid_param("message", "must be an object"));
    };
    match state.apply_message(None, session_id, map)? {
        MessageOutcome::Ack => Ok(json!({ "success": true, "message": "Message sent successfully" })),
        MessageOutcome::NewTask { task_id } => {
            let inner = state.lock();
            let task = &inner.tasks[&task_id];
            let mut body = pending_body(&state.base_url, task, inner.variants);
            if task.phase == TaskPhase::Queued {
                inner.extras.queued(&mut body);
            }
            Ok(body)
        }
    }
}
