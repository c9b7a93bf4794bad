//! The streamed answer (`stream: true`): server-sent events, one `chat.completion.chunk` per
//! `data:`, then `data: [DONE]`. The work runs in its own task that owns the session: when
//! the client goes away (the body is dropped, which the keep-alive comments reveal), the
//! session is ended.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tokio::sync::mpsc;

use super::answer::{self, Ids};
use crate::owned::OwnedSession;
use crate::state::AppState;

/// Wall time between two keep-alive comments: how soon a client that left is noticed.
pub(crate) const KEEP_ALIVE: Duration = Duration::from_millis(500);

/// Starts the stream of a request whose session is open.
pub(crate) fn respond(state: Arc<AppState>, owned: OwnedSession, ids: Ids) -> Response {
    let (tx, rx) = mpsc::channel::<Event>(16);
    tokio::spawn(produce(state, owned, ids, tx));
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|event| (Ok::<_, Infallible>(event), rx))
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)).into_response()
}

fn data(value: &Value) -> Event {
    Event::default().data(value.to_string())
}

async fn produce(state: Arc<AppState>, owned: OwnedSession, ids: Ids, tx: mpsc::Sender<Event>) {
    if tx.send(data(&answer::first_chunk(&ids))).await.is_err() {
        return;
    }
    let outcome = tokio::select! {
        outcome = super::finish(&state, &ids) => outcome,
        // The client went away: `owned` ends the session as it drops.
        _ = tx.closed() => return,
    };
    let events = match outcome {
        Ok(completion) => {
            let content = completion["choices"][0]["message"]["content"].as_str().unwrap_or_default().to_string();
            let usage = {
                let (inner, _) = state.advance();
                inner.tasks[&ids.task_id].usage()
            };
            let mut events: Vec<Event> = answer::pieces(&content)
                .into_iter()
                .map(|piece| data(&answer::chunk(&ids, serde_json::json!({ "content": piece }), None)))
                .collect();
            events.push(data(&answer::last_chunk(&ids, &usage)));
            events.push(Event::default().data("[DONE]"));
            events
        }
        // After the first chunk the status is sent: an error goes as a `data:` event, which
        // the OpenAI SDKs raise as their `APIError` with its `code`.
        Err(e) => vec![data(&e.body())],
    };
    drop(owned);
    for event in events {
        if tx.send(event).await.is_err() {
            return;
        }
    }
}
