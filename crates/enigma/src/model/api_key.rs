//! The API key, kept out of every log line, `Debug` and `Display`.

use std::fmt;

use super::error::{Error, Result};

/// An Enigma API key (`enig_…`).
///
/// Its `Debug` and `Display` show only a redacted form, so a key can never leak through
/// logging, error messages or a binding's `repr`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key. Surrounding whitespace (a common copy-paste accident) is trimmed.
    pub fn new(key: impl Into<String>) -> Self {
        let key: String = key.into();
        ApiKey(key.trim().to_owned())
    }

    /// The key itself, for the `Authorization` header. Never log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the key is empty (treated as "no key").
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Refuses a key that cannot go in an `Authorization` header: anything but printable ASCII
    /// (a control character such as `\n`, `\r` or NUL, whitespace inside the key, non-ASCII).
    /// Checked when the client is built, so the failure is a `validation` error that names the
    /// position (a character index, from 0) and never the key's text, instead of a request that
    /// fails on the way out and looks like a lost answer.
    pub(crate) fn check(&self) -> Result<()> {
        match self.0.chars().position(|c| !c.is_ascii_graphic()) {
            None => Ok(()),
            Some(index) => Err(Error::validation(
                "api_key",
                format!(
                    "contains a character that is not allowed in an HTTP header at index {index} \
                     (keys are printable ASCII; a control character, space or non-ASCII character was found)"
                ),
            )),
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({self})")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Show the public prefix only: enough to tell keys apart in a support ticket, useless
        // to an attacker.
        let prefix: String = self.0.chars().take(5).collect();
        write!(f, "{prefix}…[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret_part() {
        let key = ApiKey::new(" enig_abcdefghijklmnopqrstuvwxyz12 ");
        assert_eq!(key.expose(), "enig_abcdefghijklmnopqrstuvwxyz12");
        for shown in [format!("{key}"), format!("{key:?}")] {
            assert!(!shown.contains("abcdefgh"), "{shown}");
            assert!(shown.contains("redacted"), "{shown}");
        }
    }

    #[test]
    fn keys_with_bytes_not_allowed_in_a_header_are_refused_by_position_never_shown() {
        assert!(ApiKey::new("enig_abc-DEF_123").check().is_ok());
        for (key, index) in
            [("enig_ab\ncd", 7), ("enig_\rSECRET", 5), ("enig_SECRET\0", 11), ("enig_é", 5), ("enig_a b", 6)]
        {
            let err = ApiKey::new(key).check().unwrap_err();
            assert_eq!(err.code(), "validation", "{key:?}");
            let text = err.to_string();
            assert!(text.contains("api_key") && text.contains(&format!("index {index}")), "{text}");
            assert!(!text.contains("enig_") && !text.contains("SECRET"), "{text}");
        }
    }
}
