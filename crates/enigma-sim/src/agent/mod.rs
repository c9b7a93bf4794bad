//! The scripted agent: what happens to sessions and tasks as simulated time passes. It works on
//! the state's data (`&mut Inner`) and knows nothing of HTTP or Socket.IO.
//!
//! - [`progress`]: the ticker's work: task steps, guardrails, failures, timeouts, idle sessions;
//! - [`due`]: when something is due, the rules both paths of the tick share;
//! - [`steady`]: the ticker's fast path, for the sessions with nothing due but their clock;
//! - [`instance`]: the browser instance that disconnects (`#sim instance=flaky|lost`);
//! - [`lifecycle`]: starting and ending tasks and sessions, and their events (used by both, and
//!   by the commands).

mod due;
mod instance;
mod lifecycle;
mod progress;
mod steady;

pub(crate) use lifecycle::{add_task, emit_for_task, end_task, terminate_session};
pub(crate) use progress::{tick, tick_due, tick_steady};
