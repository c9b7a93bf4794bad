//! The REST wire: one HTTP transport (`http`: auth, limits, error mapping), the retry rules
//! (`retry`), and the checks of what an answer carries (`answer`). Imports the model only.

pub(crate) mod answer;
pub(crate) mod http;
pub(crate) mod retry;
