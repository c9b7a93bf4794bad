//! The simulator's state, the lowest layer above the leaf helpers: it imports none of the agent,
//! the commands, the routes or the socket server, which all work on it.
//!
//! - [`app`]: [`AppState`], the application root the handlers share (settings, clock, the lock);
//! - [`data`]: what the lock guards: accounts, sessions, tasks and their events;
//! - [`fanout`]: a session's events to each of its listeners;
//! - [`pacing`]: how often the whole simulation is brought up to date;
//! - [`sockets`]: the connected Socket.IO sockets and the TCP connections under them.

mod app;
mod data;
mod fanout;
mod pacing;
mod sockets;

pub(crate) use app::AppState;
pub(crate) use data::{BrowserOptions, Inner, InstanceLink, Session, SessionStatus, Task, TaskPhase, Usage, round};
pub(crate) use sockets::RawConn;
