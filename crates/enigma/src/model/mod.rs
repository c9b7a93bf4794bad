//! The model: the SDK's data, with no I/O. Options, messages, the status classifier, usage,
//! results, live events, errors as data, settings, and the local validation rules. Imports
//! nothing from the other layers.

pub(crate) mod api_key;
pub(crate) mod classify;
pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod error_code;
pub(crate) mod event;
pub(crate) mod input;
pub(crate) mod message;
pub(crate) mod missing_key;
pub(crate) mod options;
pub(crate) mod parse;
pub(crate) mod result;
pub(crate) mod service;
pub(crate) mod suggest;
pub(crate) mod usage;
pub(crate) mod validate;
pub(crate) mod view;
