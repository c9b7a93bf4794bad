//! `EventStream`: a session's live events as an async stream, read from its live connection.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use futures_util::Stream;
use tokio::sync::broadcast;

use crate::live::{Events, Live, LiveSlot};
use crate::model::error_code::ErrorCode;
use crate::model::event::Event;

/// A session's live events, from the moment the stream first connects. Ends after the session
/// ends (or when the live connection gives up). Dropping it lets the connection close when
/// nothing else (the session handle, its tasks) uses it. Also a [`futures_util::Stream`].
///
/// ```
/// use enigma::{Event, SessionOptions, TaskOptions};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sim = enigma_sim::Simulator::start(enigma_sim::SimConfig::for_tests()).await?;
/// # let client = enigma::Client::builder().api_key("enig_docexampledocexampledocexample").base_url(sim.url())
/// #     .poll_interval(std::time::Duration::from_millis(10)).build()?;
///
/// let session = client.start_session(SessionOptions::new()).await?;
/// let mut events = session.events();
/// session.new_task(TaskOptions::new("Find a chair #sim steps=2 message=\"Found one\"")).await?;
/// while let Some(event) = events.next().await {
///     match event {
///         Event::AgentThought { content, .. } => println!("thinking: {content}"),
///         Event::TaskCompleted { message, usage, .. } => {
///             println!("done: {message} ({:?} USD)", usage.cost);
///             break;
///         }
///         _ => {}
///     }
/// }
/// session.terminate().await?;
/// # Ok(())
/// # }
/// ```
pub struct EventStream {
    inner: Pin<Box<dyn Stream<Item = Event> + Send>>,
    /// Why the stream ended on a [`Event::ConnectError`], as a code (see [`EventStream::end_code`]).
    end_code: Arc<Mutex<Option<ErrorCode>>>,
}

enum StreamState {
    Start(Arc<LiveSlot>),
    Open(Arc<Live>, Events),
    Done,
}

impl EventStream {
    pub(crate) fn new(slot: Arc<LiveSlot>) -> EventStream {
        let end_code = Arc::new(Mutex::new(None));
        let noted = end_code.clone();
        let stream = futures_util::stream::unfold(StreamState::Start(slot), move |state| {
            let noted = noted.clone();
            async move { step(state, &noted).await }
        });
        EventStream { inner: Box::pin(stream), end_code }
    }

    /// The next event; `None` once the stream has ended.
    pub async fn next(&mut self) -> Option<Event> {
        futures_util::StreamExt::next(self).await
    }

    /// After a [`Event::ConnectError`]: why there was no live connection, as the code of the
    /// error table. `session_not_found` when the service refused the session (unknown or
    /// expired), `session_ended` when the SDK terminated it, `connection` when the service could
    /// not be reached (or live events are off). `None` before, or when the stream ended otherwise.
    pub fn end_code(&self) -> Option<ErrorCode> {
        *self.end_code.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// One step of the stream: connect first, then relay the connection's events.
async fn step(state: StreamState, end_code: &Mutex<Option<ErrorCode>>) -> Option<(Event, StreamState)> {
    match state {
        StreamState::Start(slot) => {
            let live = match slot.get_or_connect().await {
                Ok(live) => live,
                Err(err) => {
                    let code = slot.failure_code().unwrap_or(ErrorCode::Connection);
                    *end_code.lock().unwrap_or_else(|e| e.into_inner()) = Some(code);
                    return Some((Event::ConnectError { message: err.to_string() }, StreamState::Done));
                }
            };
            match live.subscribe() {
                // Say where the stream starts: on an open connection.
                Some(events) if live.is_connected() => Some((Event::Connected, StreamState::Open(live, events))),
                Some(events) => next_event(live, events).await,
                None => {
                    *end_code.lock().unwrap_or_else(|e| e.into_inner()) = Some(ErrorCode::Connection);
                    Some((Event::ConnectError { message: "the live connection has closed".into() }, StreamState::Done))
                }
            }
        }
        StreamState::Open(live, events) => next_event(live, events).await,
        StreamState::Done => None,
    }
}

async fn next_event(live: Arc<Live>, mut events: Events) -> Option<(Event, StreamState)> {
    match events.recv().await {
        // The stream hands out events it owns: a copy of the shared one.
        Ok(event) => Some((Arc::unwrap_or_clone(event), StreamState::Open(live, events))),
        // A slow consumer skipped events: say so, with how many, rather than hide it.
        Err(broadcast::error::RecvError::Lagged(missed)) => {
            Some((Event::Lagged { missed }, StreamState::Open(live, events)))
        }
        Err(broadcast::error::RecvError::Closed) => None,
    }
}

impl Stream for EventStream {
    type Item = Event;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.inner.as_mut().poll_next(cx)
    }
}
