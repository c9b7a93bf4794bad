//! What a language host that embeds the core needs beyond the handles, and that would otherwise
//! be written again in each binding: a tokio runtime for a host that has none (`runtime`), and
//! a pull of live events that callers may give up on without losing one (`event_pull`).
//! Re-exported under `enigma::binding`.

pub(crate) mod event_pull;
pub mod runtime;
