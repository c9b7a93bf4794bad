//! The REST wire: one HTTP transport (`http`: auth, limits, error mapping), the retry rules
//! (`retry`), the record of waits for the rate limit (`rate_waits`), and the checks of what an answer carries (`answer`). Imports the model only.

pub(crate) mod answer;
pub(crate) mod http;
pub(crate) mod rate_waits;
pub(crate) mod retry;
