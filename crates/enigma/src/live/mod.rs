//! A session's live connection (feature `live`, on by default): one Socket.IO connection shared
//! by its event streams, its waiters and its commands (`connection`), its pump from socket events
//! to [`Event`](crate::Event)s (`pump`), over the Socket.IO client in `socketio`; `probe` asks
//! the service whether a session is open (the session ledger's check). Without the feature, `off`
//! stands in: no session is ever live, so waits and commands use REST, an event stream ends with
//! a `connection` error saying why, and a probe has no answer.

/// A subscription to a live connection's events. Each event is shared by every subscriber, and
/// a slot of the channel holds only a pointer to it: the channel allocates all its slots when
/// the connection opens, so thousands of sessions pay for slots, not for events (issue 23).
pub(crate) type Events = tokio::sync::broadcast::Receiver<std::sync::Arc<crate::model::event::Event>>;

#[cfg(feature = "live")]
mod connection;
#[cfg(feature = "live")]
mod probe;
#[cfg(feature = "live")]
mod pump;
#[cfg(feature = "live")]
pub(crate) mod socketio;
#[cfg(feature = "live")]
pub(crate) use connection::{Live, LiveSlot};
#[cfg(feature = "live")]
pub(crate) use probe::{Probe, probe};

#[cfg(not(feature = "live"))]
mod off;
#[cfg(not(feature = "live"))]
pub(crate) use off::{Live, LiveSlot, Probe, probe};
