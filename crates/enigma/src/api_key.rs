//! The API key, kept out of every log line, `Debug` and `Display`.

use std::fmt;

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
}
