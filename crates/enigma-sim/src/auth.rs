//! API key checks. Any key starting `enig_` is accepted, except the test prefixes below.

use axum::http::{HeaderMap, header};

use crate::errors::ApiError;

/// The API key of a request, from `Authorization: Bearer <key>`, if there is one at all.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, key) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let key = key.trim();
    (!key.is_empty()).then(|| key.to_string())
}

/// Checks a request's key: 401 without one, 401/403 for the special test prefixes.
pub(crate) fn authenticate(headers: &HeaderMap) -> Result<String, ApiError> {
    let key = bearer(headers).ok_or_else(ApiError::missing_key)?;
    check_key(&key)?;
    Ok(key)
}

/// Validates a key's form and its special prefixes.
pub(crate) fn check_key(key: &str) -> Result<(), ApiError> {
    if !key.starts_with("enig_") || key.len() < 6 {
        return Err(ApiError::invalid_key());
    }
    if key.starts_with("enig_revoked") {
        return Err(ApiError::invalid_key());
    }
    if key.starts_with("enig_expired") {
        return Err(ApiError::expired_key());
    }
    if key.starts_with("enig_inactive") {
        return Err(ApiError::deactivated());
    }
    Ok(())
}
