//! Batches: many tasks under one key, within its limits, with a budget, a journal that survives
//! a crash, and progress ([`Client::run_many`](crate::Client::run_many)).
//!
//! Files: `start` (`Client::run_many`: the specs and the journal read, the runner started),
//! `running` (`Batch`, the stream a caller reads, and `BatchMonitor`), `spec` (a task spec from
//! one serde value), `options`, `item` (items, progress, summary), `feed` (a batch as a binding
//! reads it), `guardrail_desk` (questions by token), `pacer` (rate-limit pacing from the
//! service's headers), `journal` (the JSONL journal), `tally` (counts and spend), `runner` (the
//! workers).

#[cfg(feature = "binding")]
mod feed;
#[cfg(feature = "binding")]
mod guardrail_desk;
mod item;
mod journal;
mod options;
mod pacer;
mod runner;
mod running;
mod spec;
mod start;
mod tally;

#[cfg(feature = "binding")]
pub use feed::{BatchFeed, BatchNext};
#[cfg(feature = "binding")]
pub use guardrail_desk::GuardrailDesk;
pub use item::{BatchItem, BatchOutcome, BatchProgress, BatchSummary, ItemError, Timings};
pub use options::{BatchOptions, GuardrailHandler, GuardrailQuestion};
pub use running::{Batch, BatchMonitor};
pub use spec::TaskSpec;
#[cfg(feature = "binding")]
pub use spec::specs_from_value;
