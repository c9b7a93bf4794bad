//! The core's log records (see `enigma::set_log_sink`) handed to a JS function: what
//! `setLogger` in `node/lib/logger.js` stands on. Process-wide, like the core's logging.

use std::sync::Arc;

use napi::bindgen_prelude::Function;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::{Env, Status};
use napi_derive::napi;

use crate::errors::{OrThrow, invalid};

/// One log record of the SDK.
#[napi(object)]
pub struct LogRecordData {
    /// `error`, `warn`, `info`, `debug` or `trace`.
    pub level: String,
    /// Where it comes from (`enigma::rest::http`, ...).
    pub target: String,
    /// The message, then its fields as `key=value`.
    pub message: String,
}

/// Weak: a logger never keeps the process alive.
type OnRecord = ThreadsafeFunction<LogRecordData, (), LogRecordData, Status, false, true>;

/// Sends the SDK's records at `level` and above to `callback`, or stops sending them (`null`).
/// Returns false when another subscriber owns the process's records.
#[napi]
pub fn set_log_sink(
    env: &Env,
    level: String,
    #[napi(ts_arg_type = "((record: LogRecordData) => void) | null | undefined")] callback: Option<
        Function<LogRecordData, ()>,
    >,
) -> napi::Result<bool> {
    let level: enigma::LogLevel = level
        .parse()
        .map_err(|_| invalid("level", format!("{level:?} is not one of error, warn, info, debug, trace")))
        .or_throw(env)?;
    let sink: Option<enigma::LogSink> = match callback {
        None => None,
        Some(callback) => {
            let callback: Arc<OnRecord> =
                Arc::new(callback.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?);
            Some(Arc::new(move |record: enigma::LogRecord| {
                let data = LogRecordData {
                    level: record.level.as_str().to_ascii_lowercase(),
                    target: record.target,
                    message: record.message,
                };
                // Queued for the JS thread; never blocks the core's thread.
                callback.call(data, ThreadsafeFunctionCallMode::NonBlocking);
            }))
        }
    };
    Ok(enigma::set_log_sink(level, sink))
}
