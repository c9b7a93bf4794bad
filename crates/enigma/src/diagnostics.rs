//! Logging an application can switch on (feature `env-log`), and nothing on by default.
//!
//! The SDK reports through `tracing`: events (requests and their answers, retries, socket
//! (re)connects, classifier decisions) under targets `enigma::…`, and one span per public call
//! with the session and task ids. It never logs the API key (the key is a header, and headers
//! are never logged). Three ways to see it:
//!
//! - **`ENIGMA_LOG`** (read here, for every language): `debug`, `info`, ... for the SDK's own
//!   targets, or a full `EnvFilter` directive list (`enigma=debug,enigma::live=trace`). An
//!   application that wants it calls [`init_logging_from_env`], which installs a subscriber that
//!   prints to stderr: the CLI at start, the Python and Node bindings when a client is made.
//! - **A host sink** ([`set_log_sink`]): the Node binding forwards records to a JS logger this way.
//! - **The program's own subscriber** (`tracing-subscriber`, `tracing-opentelemetry`, ...): when
//!   one is installed we install nothing, and the SDK's events and spans go to it.
//!
//! Why a global subscriber at all: the HTTP and socket traffic runs in Rust, where Python's and
//! Node's HTTP instrumentation cannot see it, so someone has to print it. The library itself
//! never does (the rest of the crate only emits `tracing` events: a library that took the global
//! slot would break the program's own `set_global_default`); these two functions are for
//! applications, which own the process, and install it only when asked (the variable is set, or
//! a sink is given).

use std::io::IsTerminal;
use std::sync::{Arc, OnceLock, RwLock};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::filter::{EnvFilter, LevelFilter};
use tracing_subscriber::layer::{Context, Filter, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// The environment variable that switches the SDK's logging on (`ENIGMA_LOG=debug`).
pub const LOG_ENV: &str = "ENIGMA_LOG";

/// A log level (`tracing`'s), so that hosts name one without depending on `tracing`.
pub use tracing::Level as LogLevel;

/// One log record handed to a [`set_log_sink`] callback.
#[derive(Debug, Clone)]
pub struct LogRecord {
    /// `ERROR`, `WARN`, `INFO`, `DEBUG` or `TRACE`.
    pub level: Level,
    /// Where it comes from (`enigma::rest::http`, ...).
    pub target: String,
    /// The message followed by its fields, `key=value` (ids, status, attempt, ...).
    pub message: String,
}

/// A callback that receives the SDK's log records (see [`set_log_sink`]).
pub type LogSink = Arc<dyn Fn(LogRecord) + Send + Sync>;

static SINK: RwLock<Option<(LevelFilter, LogSink)>> = RwLock::new(None);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Installs the SDK's stderr subscriber if `ENIGMA_LOG` asks for it: for applications (the CLI
/// and the bindings call it; building a client never does).
///
/// Returns whether the SDK's subscriber is the global one. It does nothing (and returns false)
/// when the variable is unset and no sink was set, or when the program installed its own
/// subscriber first. An invalid `ENIGMA_LOG` is reported once on stderr and otherwise ignored:
/// a typo in a log setting must not stop the program.
pub fn init_logging_from_env() -> bool {
    if !env_asks_for_logging() && SINK.read().map(|s| s.is_none()).unwrap_or(true) {
        return INSTALLED.get().copied().unwrap_or(false);
    }
    *INSTALLED.get_or_init(install)
}

/// Sends the SDK's records at `level` and above to `sink` (replacing an earlier sink), or stops
/// sending them (`None`). Process-wide, like the `tracing` dispatcher it rides on. Returns false
/// when the program has its own global subscriber, which then receives the records instead.
pub fn set_log_sink(level: Level, sink: Option<LogSink>) -> bool {
    let mut slot = SINK.write().unwrap_or_else(|e| e.into_inner());
    *slot = sink.map(|sink| (LevelFilter::from_level(level), sink));
    drop(slot);
    // The dispatcher caches which callsites are enabled; a new level must be seen at once.
    tracing::callsite::rebuild_interest_cache();
    *INSTALLED.get_or_init(install)
}

fn install() -> bool {
    let stderr = env_filter().map(|filter| {
        tracing_subscriber::fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_filter(filter)
    });
    tracing_subscriber::registry().with(stderr).with(SinkLayer.with_filter(SinkFilter)).try_init().is_ok()
}

/// Set to anything but empty or `off`.
fn env_asks_for_logging() -> bool {
    std::env::var(LOG_ENV).is_ok_and(|v| !v.trim().is_empty() && !v.trim().eq_ignore_ascii_case("off"))
}

/// `ENIGMA_LOG` as a filter: a bare level applies to the SDK's targets only (not to the HTTP
/// and TLS libraries under it), anything else is taken as an `EnvFilter` directive list.
fn env_filter() -> Option<EnvFilter> {
    let value = std::env::var(LOG_ENV).ok()?;
    let value = value.trim();
    if value.is_empty() || value.eq_ignore_ascii_case("off") {
        return None;
    }
    let directives = match value.parse::<LevelFilter>() {
        Ok(level) => format!("enigma={level}"),
        Err(_) => value.to_owned(),
    };
    match EnvFilter::builder().parse(&directives) {
        Ok(filter) => Some(filter),
        Err(err) => {
            eprintln!("enigma: ignoring {LOG_ENV}={value:?}: {err}");
            None
        }
    }
}

/// Lets through what the current sink wants: the SDK's own targets, at its level or above.
struct SinkFilter;

impl<S> Filter<S> for SinkFilter {
    fn enabled(&self, meta: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        meta.target().starts_with("enigma")
            && SINK.read().ok().and_then(|s| s.as_ref().map(|(level, _)| level >= meta.level())).unwrap_or(false)
    }
}

struct SinkLayer;

impl<S: Subscriber> Layer<S> for SinkLayer {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let Some(sink) = SINK.read().ok().and_then(|s| s.as_ref().map(|(_, sink)| sink.clone())) else {
            return;
        };
        let mut text = FieldText::default();
        event.record(&mut text);
        let meta = event.metadata();
        sink(LogRecord { level: *meta.level(), target: meta.target().to_owned(), message: text.finish() });
    }
}

/// The message first, then `key=value` for each other field.
#[derive(Default)]
struct FieldText {
    message: String,
    fields: String,
}

impl FieldText {
    fn finish(self) -> String {
        if self.fields.is_empty() { self.message } else { format!("{}{}", self.message, self.fields) }
    }
}

impl Visit for FieldText {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.message = format!("{value:?}");
        } else {
            self.fields.push_str(&format!(" {}={value:?}", field.name()));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message = value.to_owned();
        } else {
            self.fields.push_str(&format!(" {}={value}", field.name()));
        }
    }
}
