//! For the project's own bindings (Python, Node) and CLI; **no semver promise**: this module
//! changes with them. Only with the non-default `binding` feature.
//!
//! Options read from one value per call, in the caller's spelling, and values shown in it; the
//! process's runtime for a host that has none, a pull of live events that a caller may give up
//! on without losing one, and a batch read one `next()` at a time.

pub use crate::batch::{BatchFeed, BatchNext, GuardrailDesk, specs_from_value};
pub use crate::host::event_pull::{EventPull, Pulled};
pub use crate::host::runtime;
pub use crate::model::input::{big_int, json, number};
pub use crate::model::parse::{
    OptionsError, OptionsKind, client_settings, coordinate, numeric_fields, run_task_options, session_options,
    settings, start_task_options, task_options, wait_options,
};
pub use crate::model::spelling::{Spelling, to_camel};
pub use crate::model::view::{StatusView, exact_as_js_numbers, spelled, spelled_error, spelled_event};

use crate::model::error::Result;
use crate::model::message::SessionCommand;

/// The command a binding names in its spelling (`take_over` / `takeOver`); a validation error
/// naming `command` for any other name.
pub fn session_command(name: &str, spelling: Spelling) -> Result<SessionCommand> {
    SessionCommand::named(name, spelling)
}
