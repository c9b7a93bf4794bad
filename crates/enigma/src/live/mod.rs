//! A session's live connection (feature `live`, on by default): one Socket.IO connection shared
//! by its event streams, its waiters and its commands (`connection`), its pump from socket events
//! to [`Event`](crate::Event)s (`pump`), over the Socket.IO client in `socketio`. Without the
//! feature, `off` stands in: no session is ever live, so waits and commands use REST and an
//! event stream ends with a `connection` error saying why.

#[cfg(feature = "live")]
mod connection;
#[cfg(feature = "live")]
mod pump;
#[cfg(feature = "live")]
pub(crate) mod socketio;
#[cfg(feature = "live")]
pub(crate) use connection::{Live, LiveSlot};

#[cfg(not(feature = "live"))]
mod off;
#[cfg(not(feature = "live"))]
pub(crate) use off::{Live, LiveSlot};
