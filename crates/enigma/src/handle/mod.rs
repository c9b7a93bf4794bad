//! The handles users hold: `Client` (and its builder), `Session`, `Task`, the wait for a task's
//! outcome, the event stream, and the tracked cleanups. Imports the wire layers and the model;
//! inside, one way: `client` <- `task` <- `wait`, `session` <- `start` (see the crate docs).

pub(crate) mod birth;
pub(crate) mod builder;
pub(crate) mod ceiling;
mod check_timing;
pub(crate) mod cleanup;
pub(crate) mod client;
pub(crate) mod completion;
pub(crate) mod event_stream;
pub(crate) mod session;
pub(crate) mod start;
pub(crate) mod task;
pub(crate) mod unended;
pub(crate) mod wait;
