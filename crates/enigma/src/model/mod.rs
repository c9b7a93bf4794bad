//! The model: the SDK's data, with no I/O. Options (checked once, by type: `checked`), their
//! spelling per language, messages, the status classifier, usage, results, live events, errors
//! as data, the client's settings and configuration (the environment is read in
//! `environment.rs`, above), and the local validation rules. Imports nothing from the other
//! layers, and inside it no two files import each other.

pub(crate) mod api_key;
pub(crate) mod checked;
pub(crate) mod classify;
pub(crate) mod completion;
pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod error_code;
pub(crate) mod event;
pub(crate) mod http_settings;
#[cfg(feature = "binding")]
pub(crate) mod input;
pub(crate) mod live_view;
pub(crate) mod message;
pub(crate) mod missing_key;
pub(crate) mod options;
// Only part of it is used without the `binding` feature (batch specs read their options).
#[cfg_attr(not(feature = "binding"), allow(dead_code))]
pub(crate) mod parse;
pub(crate) mod result;
pub(crate) mod service;
pub(crate) mod session_log;
pub(crate) mod settings;
pub(crate) mod spelling;
pub(crate) mod suggest;
pub(crate) mod usage;
pub(crate) mod validate;
#[cfg(feature = "binding")]
pub(crate) mod view;
