//! Node.js binding of the Enigma SDK: thin `#[napi]` wrappers over the `enigma` core and the
//! `enigma-sim` simulator. Each method converts its arguments, calls the core and maps the
//! result or error; the JS layer in `node/lib/` adds the error classes, `AbortSignal` wiring and
//! the async-iteration/dispose sugar.
//!
//! Every promise-returning method takes an optional [`CancelToken`]: the JS layer cancels it
//! when the caller's `AbortSignal` fires, and the Rust future is dropped at once.
#![deny(clippy::all)]

mod batch;
mod cancel;
mod cleanup;
mod client;
mod convert;
mod errors;
mod events;
mod logger;
mod session;
mod sim;
mod task;

pub use batch::NativeBatch;
pub use cancel::CancelToken;
pub use cleanup::{pending_cleanups, wait_for_cleanups};
pub use client::NativeClient;
pub use convert::{numeric_fields, option_fields};
pub use errors::{error_codes, task_carrier_codes};
pub use events::{NativeEventStream, event_types};
pub use logger::{LogRecordData, set_log_sink};
pub use session::{NativeSession, session_commands};
pub use sim::{NativeSimulator, start_simulator};
pub use task::NativeTask;
