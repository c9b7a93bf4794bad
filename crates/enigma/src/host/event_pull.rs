//! A session's live events pulled one at a time by a host whose callers may stop waiting for a
//! pull at any moment (asyncio cancellation, Ctrl-C, an `AbortSignal`), and no event is lost.
//!
//! A pull holds the stream from the moment it starts reading until its caller took the answer
//! ([`Pulled::take`]) or gave up on it (dropped the [`Pulled`]): an event read for a caller
//! that gave up goes back to the front, so the next pull returns it, and pulls made together
//! are answered in order.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::{OwnedMutexGuard, watch};

use crate::handle::event_stream::EventStream;
use crate::model::event::Event;

/// Pulls events from an [`EventStream`]; [`EventPull::close`] (or dropping it) ends every pull.
pub struct EventPull {
    shared: Arc<Shared>,
    /// `true` once closed; dropping it (with the `EventPull`) also ends a pull in flight.
    closed: watch::Sender<bool>,
}

struct Shared {
    /// The core's stream; `None` once it ended or was closed.
    stream: Arc<tokio::sync::Mutex<Option<EventStream>>>,
    /// Events read for a caller that stopped waiting, returned first.
    returned: Mutex<VecDeque<Event>>,
}

/// The stream, held by one pull until its answer is taken or given back.
type Turn = OwnedMutexGuard<Option<EventStream>>;

impl Shared {
    fn returned(&self) -> std::sync::MutexGuard<'_, VecDeque<Event>> {
        self.returned.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl EventPull {
    /// Pulls from `stream`.
    pub fn new(stream: EventStream) -> EventPull {
        let shared = Arc::new(Shared {
            stream: Arc::new(tokio::sync::Mutex::new(Some(stream))),
            returned: Mutex::new(VecDeque::new()),
        });
        EventPull { shared, closed: watch::Sender::new(false) }
    }

    /// The next pull: resolves to an answer that holds the stream until it is taken or dropped.
    /// Made now (so a [`close`](Self::close) after this call ends it), awaited anywhere.
    pub fn next(&self) -> impl Future<Output = Pulled> + Send + 'static {
        let shared = self.shared.clone();
        let mut closed = self.closed.subscribe();
        async move {
            let mut turn: Turn = shared.stream.clone().lock_owned().await;
            let event = if *closed.borrow_and_update() {
                None
            } else if let Some(event) = shared.returned().pop_front() {
                Some(event)
            } else if let Some(events) = turn.as_mut() {
                tokio::select! {
                    event = events.next() => event,
                    _ = closed.wait_for(|closed| *closed) => None,
                }
            } else {
                None
            };
            if event.is_none() {
                *turn = None; // ended or closed: let the connection go now
            }
            Pulled { event, turn: Some(turn), shared, closed }
        }
    }

    /// Ends the stream: a pull in flight answers `None`, later ones too. Idempotent.
    pub fn close(&self) {
        self.closed.send_replace(true);
        if let Ok(mut stream) = self.shared.stream.try_lock() {
            stream.take();
        }
        self.shared.returned().clear();
    }

    /// Whether the stream was closed, or has ended with nothing given back left to pull.
    pub fn is_closed(&self) -> bool {
        if *self.closed.borrow() {
            return true;
        }
        let ended = self.shared.stream.try_lock().map(|s| s.is_none()).unwrap_or(false);
        ended && self.shared.returned().is_empty()
    }
}

/// One pull's answer. [`take`](Self::take) it to deliver it; dropping it instead gives the
/// event back to the front of the stream. Either way, the next pull may then go on.
pub struct Pulled {
    event: Option<Event>,
    turn: Option<Turn>,
    shared: Arc<Shared>,
    closed: watch::Receiver<bool>,
}

impl Pulled {
    /// The event, or `None` once the stream has ended or was closed.
    pub fn take(mut self) -> Option<Event> {
        if *self.closed.borrow()
            && let Some(turn) = self.turn.as_mut()
        {
            **turn = None; // closed while the answer was on its way: let the connection go
        }
        self.event.take()
    }
}

impl Drop for Pulled {
    fn drop(&mut self) {
        if let Some(event) = self.event.take() {
            self.shared.returned().push_front(event);
        }
        // Only now may the next pull read: after the event went back.
        self.turn.take();
    }
}
