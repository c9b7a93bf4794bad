//! # enigma
//!
//! The Rust core of the Enigma SDK. [Enigma](https://enigma.click) is a hosted service where an
//! AI agent drives a real browser: open a [`Session`], give it tasks in plain language, pause,
//! resume, stop or terminate it, and collect results.
//!
//! ```no_run
//! use enigma::{Client, SessionOptions, TaskOptions, WaitOptions};
//! use std::time::Duration;
//!
//! # async fn demo() -> Result<(), enigma::Error> {
//! // ENIGMA_API_KEY (and optionally ENIGMA_BASE_URL, e.g. a local `enigma sim`) configure it.
//! let client = Client::new()?;
//! let result = client
//!     .with_session(SessionOptions::new().starting_url("https://amazon.com"), |session| async move {
//!         let task = session.new_task(TaskOptions::new("Search for 'mechanical keyboard'")).await?;
//!         task.result(WaitOptions::new().timeout(Duration::from_secs(120)).max_cost(0.50)).await
//!     })
//!     .await?; // the session is terminated here, whatever happened
//! println!("{:?}: {:?} (cost {:?} USD)", result.outcome, result.message, result.usage.cost);
//! # Ok(())
//! # }
//! ```
//!
//! The core runs inside whatever tokio runtime the caller has; it owns none.

#![warn(missing_docs)]

mod answer;
mod api_key;
mod builder;
mod cleanup;
mod client;
mod config;
mod error;
mod events;
mod live;
mod message;
mod options;
mod result;
mod retry;
mod service;
mod session;
mod socketio;
mod status;
mod task;
mod transport;
mod usage;
mod validate;
mod wait;

pub use api_key::ApiKey;
pub use builder::ClientBuilder;
pub use cleanup::{pending_cleanups, wait_for_cleanups};
pub use client::Client;
pub use config::{
    ClientConfig, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_AFTER_MAX, DEFAULT_TCP_KEEPALIVE, parse_base_url,
};
pub use error::{ApiErrorDetails, ApiErrorKind, Error, RateLimitInfo, Result};
pub use events::{Event, EventStream};
pub use message::{GuardrailDecision, Interaction, Message, NewTask, StateCommand};
pub use options::{RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
pub use result::{Outcome, TaskResult};
pub use service::{ActiveSockets, Health};
pub use session::{Session, SessionInfo};
pub use status::{TaskState, TaskStatus, classify};
pub use task::Task;
pub use usage::Usage;
pub use validate::{MAX_DURATION_MS, X_RANGE, Y_RANGE};
