//! HTTP settings a caller brings (a proxy, extra default headers), applied to the SDK's own
//! HTTP client rather than replacing it: the SDK's rules stay (no redirects followed, bounded
//! answer bodies, its timeouts, auth and User-Agent).

use reqwest::Proxy;
use reqwest::header::{self, HeaderMap, HeaderName};

use super::error::{Error, Result};

/// Proxies and extra default headers for the REST requests (the live Socket.IO connection goes
/// direct; behind a proxy that is the only way out, the waits fall back to polling).
#[derive(Clone, Default)]
pub struct HttpSettings {
    /// Proxies, tried in order before the system's (`HTTP_PROXY`...), as `reqwest` does.
    pub proxies: Vec<Proxy>,
    /// Headers sent with every request. The SDK's own (`Authorization`, `User-Agent`,
    /// `Content-Type`...) cannot be replaced: building the client refuses them.
    pub default_headers: HeaderMap,
}

/// Headers the SDK sets itself, or that belong to the connection.
const OWN_HEADERS: &[HeaderName] = &[
    header::AUTHORIZATION,
    header::USER_AGENT,
    header::CONTENT_TYPE,
    header::CONTENT_LENGTH,
    header::ACCEPT_ENCODING,
    header::HOST,
    header::CONNECTION,
    header::TRANSFER_ENCODING,
    header::PROXY_AUTHORIZATION,
];

impl HttpSettings {
    /// Refuses a default header the SDK owns, naming it (`default_headers`).
    pub(crate) fn check(&self) -> Result<()> {
        match self.default_headers.keys().find(|name| OWN_HEADERS.contains(name)) {
            Some(name) => Err(Error::validation(
                "default_headers",
                format!(
                    "'{name}' is set by the SDK itself (the key, user_agent_prefix, the body) and cannot be replaced"
                ),
            )),
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for HttpSettings {
    /// The header names only (a value may be a secret) and how many proxies (their URLs may
    /// hold credentials).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpSettings")
            .field("proxies", &self.proxies.len())
            .field("default_headers", &self.default_headers.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sdks_own_headers_are_refused_and_values_never_shown() {
        let mut headers = HeaderMap::new();
        headers.insert("x-team", "secret-team".parse().unwrap());
        let settings = HttpSettings { default_headers: headers.clone(), ..HttpSettings::default() };
        assert!(settings.check().is_ok());
        assert!(!format!("{settings:?}").contains("secret-team"));
        headers.insert(header::AUTHORIZATION, "Bearer other".parse().unwrap());
        let refused = HttpSettings { default_headers: headers, ..HttpSettings::default() }.check().unwrap_err();
        assert!(
            matches!(&refused, Error::Validation { field, reason } if field == "default_headers" && reason.contains("authorization")),
            "{refused:?}"
        );
    }
}
