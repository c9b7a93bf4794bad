//! The process's environment as the client's settings read it: the `ENIGMA_*` variables of
//! [`ClientSettings::ENV_VARS`], and the CA bundle file `ENIGMA_CA_BUNDLE` names. With
//! [`resolve`], the one resolution of a client's settings (given, else the variable, else the
//! default), used by the builder, and so by both bindings and the CLI. Over the model (it
//! does the I/O the model does not), under `handle/`.

use crate::model::config::ClientConfig;
use crate::model::error::{Error, Result};
use crate::model::http_settings::HttpSettings;
use crate::model::settings::ClientSettings;

/// The variable that names a PEM file of extra root certificates (read here, its content is
/// the setting `extra_root_ca_pem`).
const CA_BUNDLE_ENV: &str = "ENIGMA_CA_BUNDLE";

impl ClientConfig {
    /// Defaults, with `ENIGMA_API_KEY`, `ENIGMA_BASE_URL`, `ENIGMA_REQUEST_TIMEOUT` (seconds),
    /// `ENIGMA_MAX_RETRIES`, `ENIGMA_POLL_INTERVAL` (seconds), `ENIGMA_RETRY_AFTER_MAX`
    /// (seconds), `ENIGMA_MAX_RESPONSE_BYTES`, `ENIGMA_LIVE_EVENTS` (0 turns the socket off),
    /// `ENIGMA_LEDGER` (the session ledger's file, or `off`), `ENIGMA_CA_BUNDLE` (a PEM file),
    /// `ENIGMA_RECORD` and `ENIGMA_RECORD_MAX_BYTES` (the flight recorder), `ENIGMA_EVENT_BUFFER`,
    /// `ENIGMA_SOCKET_READ_BUFFER_BYTES` and `ENIGMA_TIMELINE_RECORDS` applied when set (the
    /// list: [`ClientConfig::ENV_VARS`]).
    pub fn from_env() -> Result<ClientConfig> {
        resolve(ClientSettings::default(), HttpSettings::default())
    }
}

/// The configuration of the settings `given` (a caller's), over the `ENIGMA_*` variables of
/// the others, over the defaults. The variable of a setting given is not read at all: a
/// setting given in code wins, even over a variable that would not parse.
pub(crate) fn resolve(given: ClientSettings, http: HttpSettings) -> Result<ClientConfig> {
    let named = given.given();
    let mut from_env = ClientSettings::default();
    for &(name, setting) in ClientSettings::ENV_VARS {
        if named.contains(&setting) {
            continue;
        }
        let Some(value) = var(name) else { continue };
        match name {
            CA_BUNDLE_ENV => from_env.set_from_env(name, &read_pem(name, &value)?)?,
            _ => from_env.set_from_env(name, &value)?,
        }
    }
    ClientConfig::from_settings(given.or(from_env), http)
}

/// A variable's value; unset and blank are the same.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The PEM text of the file a variable names.
fn read_pem(name: &str, path: &str) -> Result<String> {
    let pem = std::fs::read(path).map_err(|e| Error::validation(name, format!("cannot read {path:?}: {e}")))?;
    Ok(String::from_utf8_lossy(&pem).into_owned())
}
