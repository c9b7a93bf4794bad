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
//! The core runs inside whatever tokio runtime the caller has; it owns none. A host that has
//! none (the Python binding) uses `enigma::binding::runtime`, the one the core offers for it.
//!
//! # Features
//!
//! - `binding` (off by default): `enigma::binding`, for the project's own bindings (Python,
//!   Node) and CLI: option parsing in a language's spelling, the host runtime, live-event pulls
//!   and batch feeds. **No semver promise**: it changes with them; a Rust program has no use
//!   for it.
//!
//! # Layout
//!
//! Layers; a file imports only from its own layer or the layers below it, never up, and no two
//! files import each other (`docs/architecture.md` has the picture and where a new thing goes):
//!
//! - `model/` (bottom): the SDK's data, with no I/O. Options (`options`; `checked`, the type of
//!   options whose rules were checked, with the rules in `validate`; `parse` reads options as
//!   the bindings pass them, in Python's or Node's `spelling`, and `view` shows values back in
//!   it), the client's `settings` (one list for every language) and `config` (resolved, with the
//!   defaults), messages (`message`), the status classifier (`classify`), `usage`, results
//!   (`result`), live events (`event`), errors as data (`error`, with the code table and the
//!   rules that depend on a code in `error_code`), `api_key`, `http_settings`, service answers
//!   (`service`).
//! - `rest/` and `live/` (the wire, side by side, over the model): `rest/http` is the one
//!   HTTP transport, with `retry` and `answer` (what an answer must carry); `live/` is a
//!   session's live connection and its pump from socket events to [`Event`]s, over the
//!   Socket.IO protocol in `live/socketio` (which knows nothing of the SDK but one size bound).
//!   Both take their TLS from `tls`, the one TLS setup (its backend chosen by features).
//! - `record/` (below the wire, over the model): the flight recorder, off by default
//!   ([`ClientBuilder::record`]): `rest/http` and `live/` hand it what they saw with one call
//!   each; a thread of its own writes one JSONL file per session (`docs/recording.md`).
//! - `ledger/` and `environment` (beside the wire, over the model): the session ledger, a local
//!   append-only file of the sessions the SDK opened and saw end, so that those a killed process
//!   left billing can be found ([`Client::check_unended_sessions`]); and the `ENIGMA_*`
//!   variables of the client's settings, with the one resolution (given, else the variable,
//!   else the default).
//! - `handle/` (over them): what users hold. `client` (settings, transport, tracked sessions, raw
//!   calls), `builder`, `birth` (a task from the moment its create is sent, before the service
//!   names it), `task`, `ceiling`, `wait` (`Task::result`), `session` (also `Task::session`),
//!   `start` (the `Client` methods that make sessions and tasks), `event_stream`, `cleanup`,
//!   `unended`. Inside it, one way too: `client` <- `birth` <- `task` <- `wait`; `client`,
//!   `task` <- `session` <- `start`. A method that makes a higher handle lives with it, in an
//!   `impl` of its own. The handles take checked options ([`IntoChecked`]): each rule runs
//!   once per call.
//! - `batch/` (over `handle/`): [`Client::run_many`] (`start`), the [`Batch`] a caller reads
//!   (`running`), the workers (`runner`), specs, options, items, the journal, pacing, the tally,
//!   and `feed` for the bindings.
//! - `host/` (over `handle/`): what a language host embedding the core needs, so that no
//!   binding writes it again: `runtime` (one tokio runtime per process for a host that has
//!   none: fork-aware, detached work counted, `drain` at exit) and `event_pull` (live events
//!   pulled by callers who may give up on a pull, losing no event). Public as
//!   `enigma::binding` (feature `binding`, in `binding.rs`), with `model/parse` and
//!   `model/view`.
//! - `diagnostics` (feature `env-log`, apart from the layers): `ENIGMA_LOG` and the log sink,
//!   for applications; it imports nothing of the SDK.
//!
//! Everything public is re-exported here, at the crate root.
//!
//! # Features
//!
//! Default: `live` (a session's live Socket.IO connection; without it waits and commands use
//! REST) and `rustls-ring` (TLS). Opt-in: `rustls-aws-lc` or `native-tls` (another TLS backend),
//! and `env-log` (`init_logging_from_env`, the `ENIGMA_LOG` reader, and `set_log_sink`: for
//! applications; the library itself only emits `tracing` events and never installs a
//! subscriber). `docs/features.md` has the details, the weights and the MSRV (1.88).

#![deny(missing_docs)]

mod batch;
#[cfg(feature = "env-log")]
mod diagnostics;
mod environment;
mod handle;
#[cfg(feature = "binding")]
mod host;
mod ledger;
mod live;
mod model;
mod record;
mod rest;
mod timeline;
mod tls;

pub use batch::{
    Batch, BatchItem, BatchMonitor, BatchOptions, BatchOutcome, BatchProgress, BatchSummary, GuardrailHandler,
    GuardrailQuestion, ItemError, TaskSpec, Timings,
};
#[cfg(feature = "env-log")]
pub use diagnostics::{LOG_ENV, LogLevel, LogRecord, LogSink, init_logging_from_env, set_log_sink};
pub use handle::builder::ClientBuilder;
pub use handle::cleanup::{pending_cleanups, wait_for_cleanups};
pub use handle::client::Client;
pub use handle::event_stream::EventStream;
pub use handle::session::{ACCEPT_WAIT, Session, SessionInfo};
pub use handle::task::Task;
pub use handle::unended::{CheckedSession, LedgerState};
pub use ledger::{LEDGER_COMPACT_BYTES, UnendedSession, default_ledger_path};
pub use model::api_key::ApiKey;
pub use model::checked::{Checked, IntoChecked, Plain, Rules, WithTask};
pub use model::classify::{TaskState, TaskStatus, classify};
pub use model::completion::CompletionIds;
pub use model::config::{
    ClientConfig, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_EVENT_BUFFER, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES, DEFAULT_POLL_INTERVAL, DEFAULT_RECORD_MAX_BYTES, DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_RETRY_AFTER_MAX, DEFAULT_SOCKET_READ_BUFFER_BYTES, DEFAULT_TCP_KEEPALIVE, DEFAULT_TIMELINE_RECORDS,
    parse_base_url,
};
pub use model::error::{ApiErrorDetails, ApiErrorKind, Error, ErrorSource, RateLimitInfo, Result};
pub use model::error_code::{ErrorCode, ErrorPayload};
pub use model::event::{Event, EventKind};
pub use model::http_settings::HttpSettings;
pub use model::message::{GuardrailDecision, Interaction, Message, NewTask, SessionCommand, StateCommand, Typing};
pub use model::options::{RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
pub use model::settings::{ClientSettings, LEDGER_ENV, LedgerSetting};
pub use record::REDACTED;
pub use rest::rate_waits::{RateLimitNotices, RateLimitWait};
#[cfg(feature = "binding")]
pub mod binding;
pub use model::live_view::{LiveView, VIEWPORT};
pub use model::result::{Outcome, TaskResult};
pub use model::service::{ActiveSockets, Health};
pub use model::usage::Usage;
pub use model::validate::{MAX_DURATION, X_RANGE, Y_RANGE};
/// The types of this crate's signatures from other crates (the URL of
/// [`ClientConfig::base_url`], [`Batch::cancel_token`]'s token, the proxy and headers of
/// [`ClientBuilder::proxy`] and [`ClientBuilder::default_headers`]), so that no direct
/// dependency on them is needed.
pub use reqwest::{Proxy, header};
pub use timeline::{CommandLine, Mark, MarkKind, RECORDING_FORMAT, SpendPoint, TaskBar, Timeline};
pub use tokio_util::sync::CancellationToken;
pub use url::Url;
