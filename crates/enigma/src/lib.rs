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

mod handle;
mod live;
mod model;
mod rest;

pub use handle::builder::ClientBuilder;
pub use handle::cleanup::{pending_cleanups, wait_for_cleanups};
pub use handle::client::Client;
pub use handle::event_stream::EventStream;
pub use handle::session::{Session, SessionInfo};
pub use handle::task::Task;
pub use model::api_key::ApiKey;
pub use model::classify::{TaskState, TaskStatus, classify};
pub use model::config::{
    ClientConfig, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES,
    DEFAULT_POLL_INTERVAL, DEFAULT_REQUEST_TIMEOUT, DEFAULT_RETRY_AFTER_MAX, DEFAULT_TCP_KEEPALIVE, parse_base_url,
};
pub use model::error::{ApiErrorDetails, ApiErrorKind, Error, RateLimitInfo, Result};
pub use model::event::Event;
pub use model::message::{GuardrailDecision, Interaction, Message, NewTask, StateCommand};
pub use model::options::{RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
pub use model::result::{Outcome, TaskResult};
pub use model::service::{ActiveSockets, Health};
pub use model::usage::Usage;
pub use model::validate::{MAX_DURATION_MS, X_RANGE, Y_RANGE};
