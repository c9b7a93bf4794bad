//! Options whose local rules were checked, as a type: a handle that takes a [`Checked`] value
//! does not check it again, and one that takes raw options checks them once on the way in
//! ([`IntoChecked`]). So each rule (`validate.rs`) runs once per call, whichever door the call
//! came through: a binding's parse (`parse.rs` returns checked options) or a Rust caller's
//! options.

use std::marker::PhantomData;

use super::error::Result;

/// Options that passed their local rules (`R` names the rules when a type has more than one
/// set, as a session's options have: [`Plain`] for `start_session`, [`WithTask`] for a one-shot
/// task). Made only by checking ([`IntoChecked`]), or inside the SDK from values already
/// checked; read through `Deref`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Checked<T, R = Plain> {
    value: T,
    rules: PhantomData<R>,
}

/// The rules of a type's own door (`start_session`, `new_task`, `result`, `run_task`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plain {}

/// The rules of a session that runs one given task (`start_task`): its `task_details` is
/// required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithTask {}

/// The local rules of a value, under the rules `R` (see [`Checked`]).
pub trait Rules<R = Plain>: Sized {
    /// Refuses what the value alone shows to be wrong: a `validation` error naming the field.
    fn rules(&self) -> Result<()>;
}

/// What a handle takes: raw options, checked on the way in, or options already checked.
pub trait IntoChecked<T, R = Plain> {
    /// The checked options (a `validation` error if raw options break a rule).
    fn into_checked(self) -> Result<Checked<T, R>>;
}

impl<T: Rules<R>, R> IntoChecked<T, R> for T {
    fn into_checked(self) -> Result<Checked<T, R>> {
        // Traced so that a test can count the checks of one call (`tests/validation.rs`).
        tracing::trace!(target: "enigma::rules", options = std::any::type_name::<T>(), rules = std::any::type_name::<R>(), "options checked");
        self.rules()?;
        Ok(Checked::assume(self))
    }
}

impl<T, R> IntoChecked<T, R> for Checked<T, R> {
    fn into_checked(self) -> Result<Checked<T, R>> {
        Ok(self)
    }
}

impl<T, R> Checked<T, R> {
    /// A value made inside the SDK from checked values in a way that keeps the rules (a field
    /// taken from checked options, a flag set): never a caller's raw value.
    pub(crate) fn assume(value: T) -> Self {
        Checked { value, rules: PhantomData }
    }

    /// The options.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T, R> std::ops::Deref for Checked<T, R> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq, R> PartialEq<T> for Checked<T, R> {
    fn eq(&self, other: &T) -> bool {
        self.value == *other
    }
}
