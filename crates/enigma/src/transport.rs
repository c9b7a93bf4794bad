//! HTTP to the service: one pooled `reqwest::Client`, auth, error mapping, and retries that never
//! repeat a request which may already have created something (contract §5).

use std::time::Duration;

use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::Value;

use crate::config::ClientConfig;
use crate::error::{ApiErrorDetails, ApiErrorKind, Error, RateLimitInfo, Result};
use crate::retry::{Attempt, RetryPolicy, backoff_delay};

/// Whether a request carries the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// The key is required: no key is an error before sending.
    Required,
    /// Sent when configured (polls: documented both ways).
    IfPresent,
    /// Never sent (health, active sockets).
    None,
}

/// One request to make.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    pub method: Method,
    pub path: String,
    pub body: Option<&'a Value>,
    pub auth: Auth,
    pub retry: RetryPolicy,
    /// Named in errors: `start-session`, `newTask`, `poll`...
    pub operation: &'static str,
    /// Named in an outcome-unknown error.
    pub session_id: Option<&'a str>,
}

/// The HTTP layer of a client.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    pub(crate) config: ClientConfig,
}

/// Why one attempt failed, with what the retry decision needs.
enum Failure {
    Api(Error),
    Transport { message: String, never_sent: bool },
    Final(Error),
}

impl Transport {
    pub(crate) fn new(config: ClientConfig) -> Result<Transport> {
        config.check()?;
        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent())
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .tcp_keepalive(config.tcp_keepalive)
            .pool_idle_timeout(Duration::from_secs(60));
        if let Some(pem) = &config.extra_root_ca_pem {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::validation("extra_root_ca_pem", format!("not a PEM certificate bundle: {e}")))?;
            if certs.is_empty() {
                return Err(Error::validation("extra_root_ca_pem", "contains no PEM certificate"));
            }
            builder = builder.tls_certs_merge(certs);
        }
        let http = builder.build().map_err(|e| Error::Connection {
            message: format!("cannot build the HTTP client: {e}"),
            never_sent: true,
        })?;
        Ok(Transport { http, config })
    }

    /// Sends the request, retrying what is safe to retry, and returns the JSON body of a 2xx answer.
    pub(crate) async fn send(&self, request: &Request<'_>) -> Result<Value> {
        let key = match request.auth {
            Auth::Required => Some(self.config.api_key.as_ref().filter(|k| !k.is_empty()).ok_or(Error::MissingApiKey)?),
            Auth::IfPresent => self.config.api_key.as_ref().filter(|k| !k.is_empty()),
            Auth::None => None,
        };
        if key.is_some() {
            self.config.check_transport_security()?;
        }
        let url = endpoint_url(&self.config.base_url, &request.path);
        let mut attempt = 0u32;
        loop {
            let failure = match self.attempt(request, url.clone(), key.map(|k| k.expose())).await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let seen = match &failure {
                Failure::Api(err) => Attempt::Answered {
                    status: err.status().unwrap_or_default(),
                    server_code: err.server_code(),
                    retry_after: err.retry_after(),
                },
                Failure::Transport { never_sent, .. } => Attempt::NoAnswer { never_sent: *never_sent },
                Failure::Final(_) => Attempt::Undecodable,
            };
            if attempt < self.config.max_retries
                && let Some(after) = request.retry.retry_after(&seen)
            {
                let delay = backoff_delay(attempt, after, self.config.retry_backoff, self.config.retry_backoff_max);
                tracing::debug!(operation = request.operation, attempt, ?delay, "retrying");
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            return Err(self.final_error(request, failure));
        }
    }

    async fn attempt(
        &self,
        request: &Request<'_>,
        url: url::Url,
        key: Option<&str>,
    ) -> std::result::Result<Value, Failure> {
        let mut builder = self.http.request(request.method.clone(), url);
        if let Some(key) = key {
            builder = builder.bearer_auth(key);
        }
        if let Some(body) = request.body {
            builder = builder.json(body);
        }
        let response = builder.send().await.map_err(|e| transport_failure(&e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.map_err(|e| transport_failure(&e))?;
        tracing::debug!(operation = request.operation, path = %request.path, status = status.as_u16(), "answer");
        if status.is_success() {
            return serde_json::from_str(&text).map_err(|e| {
                Failure::Final(Error::decode_text(format!("{} answered non-JSON ({e})", request.operation), &text))
            });
        }
        Err(Failure::Api(api_error(status, &headers, text)))
    }

    fn final_error(&self, request: &Request<'_>, failure: Failure) -> Error {
        match failure {
            Failure::Api(err) | Failure::Final(err) => err,
            Failure::Transport { message, never_sent: false } if request.retry == RetryPolicy::Create => {
                Error::OutcomeUnknown {
                    operation: request.operation.to_owned(),
                    session_id: request.session_id.map(str::to_owned),
                    message,
                }
            }
            Failure::Transport { message, never_sent } => Error::Connection { message, never_sent },
        }
    }
}

/// The base URL with the endpoint path appended: a base with a path prefix (an API gateway,
/// `https://gw.example.com/enigma`) keeps it, where `Url::join` would drop it.
fn endpoint_url(base: &url::Url, path: &str) -> url::Url {
    let mut url = base.clone();
    url.set_path(&format!("{}{path}", base.path().trim_end_matches('/')));
    url.set_query(None);
    url
}

fn transport_failure(err: &reqwest::Error) -> Failure {
    // A connect error (refused, DNS, connect timeout) proves the request never left.
    let never_sent = err.is_connect();
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    Failure::Transport { message, never_sent }
}

/// Builds the error for a non-2xx answer from its status, headers and body (any of the three
/// documented body shapes, or no JSON at all).
fn api_error(status: StatusCode, headers: &HeaderMap, body: String) -> Error {
    let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let text = |key: &str| json.get(key).and_then(Value::as_str).map(str::to_owned);
    let server_code = text("code");
    let message = text("message")
        .or_else(|| text("error"))
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("unexpected status").to_owned());
    let kind = api_error_kind(status.as_u16(), server_code.as_deref(), &message);
    let details = ApiErrorDetails {
        status: status.as_u16(),
        server_code,
        message,
        details: json.get("details").cloned(),
        balance: json.get("balance").and_then(Value::as_f64),
        retry_after: header_secs(headers, "retry-after"),
        rate_limit: rate_limit_info(headers),
        body,
    };
    Error::Api { kind, details: Box::new(details) }
}

fn api_error_kind(status: u16, code: Option<&str>, message: &str) -> ApiErrorKind {
    let lower = message.to_ascii_lowercase();
    match (status, code) {
        (_, Some("SESSION_NOT_FOUND" | "SESSION_EXPIRED")) => ApiErrorKind::SessionNotFound,
        (_, Some("TASK_NOT_FOUND")) => ApiErrorKind::TaskNotFound,
        (_, Some("SESSION_LIMIT_REACHED")) => ApiErrorKind::SessionLimit,
        // Documented once as 401 "Session not found or unauthorized".
        (401, _) if lower.contains("session not found") => ApiErrorKind::SessionNotFound,
        (401, _) => ApiErrorKind::Authentication,
        (402, _) => ApiErrorKind::InsufficientBalance,
        (403, _) => ApiErrorKind::PermissionDenied,
        (404, _) if lower.contains("task") => ApiErrorKind::TaskNotFound,
        (404, _) => ApiErrorKind::SessionNotFound,
        (409, _) => ApiErrorKind::TaskAlreadyRunning,
        (429, _) => ApiErrorKind::RateLimited,
        (400 | 422, _) => ApiErrorKind::InvalidRequest,
        _ => ApiErrorKind::Server,
    }
}

fn header_secs(headers: &HeaderMap, name: &str) -> Option<Duration> {
    let value = headers.get(name)?.to_str().ok()?.trim().parse::<f64>().ok()?;
    (value.is_finite() && value >= 0.0).then(|| Duration::from_secs_f64(value))
}

fn rate_limit_info(headers: &HeaderMap) -> Option<RateLimitInfo> {
    let number = |name: &str| headers.get(name)?.to_str().ok()?.trim().parse::<u64>().ok();
    let info = RateLimitInfo {
        limit: number("x-ratelimit-limit"),
        remaining: number("x-ratelimit-remaining"),
        reset: number("x-ratelimit-reset"),
    };
    (info != RateLimitInfo::default()).then_some(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extra_root_ca_is_loaded_and_garbage_is_refused() {
        let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/interop/socketio-server/tls/ca.pem"))
            .expect("the test CA");
        let config = |pem: Vec<u8>| ClientConfig { extra_root_ca_pem: Some(pem), ..ClientConfig::default() };
        assert!(Transport::new(config(pem)).is_ok());
        let err = Transport::new(config(b"not a certificate".to_vec())).unwrap_err();
        assert_eq!(err.code(), "validation");
    }

    #[test]
    fn endpoint_paths_keep_the_base_url_prefix() {
        let url = |base: &str, path: &str| endpoint_url(&url::Url::parse(base).unwrap(), path).to_string();
        assert_eq!(url("https://connect.enigma.click", "/start/health"), "https://connect.enigma.click/start/health");
        assert_eq!(url("http://127.0.0.1:8080/", "/task/a/b"), "http://127.0.0.1:8080/task/a/b");
        assert_eq!(
            url("https://gw.example.com/enigma/", "/start/run-task"),
            "https://gw.example.com/enigma/start/run-task"
        );
        assert_eq!(
            url("https://gw.example.com/enigma", "/start/run-task"),
            "https://gw.example.com/enigma/start/run-task"
        );
    }

    #[test]
    fn error_kinds_follow_status_and_code() {
        assert_eq!(api_error_kind(429, Some("SESSION_LIMIT_REACHED"), ""), ApiErrorKind::SessionLimit);
        assert_eq!(api_error_kind(429, Some("RATE_LIMIT_EXCEEDED"), ""), ApiErrorKind::RateLimited);
        assert_eq!(api_error_kind(401, None, "Session not found or unauthorized"), ApiErrorKind::SessionNotFound);
        assert_eq!(
            api_error_kind(401, Some("INVALID_API_KEY"), "Invalid or revoked API key"),
            ApiErrorKind::Authentication
        );
        assert_eq!(api_error_kind(404, Some("TASK_NOT_FOUND"), ""), ApiErrorKind::TaskNotFound);
        assert_eq!(api_error_kind(404, None, "Session x does not exist"), ApiErrorKind::SessionNotFound);
        assert_eq!(api_error_kind(503, Some("NO_INSTANCES_AVAILABLE"), ""), ApiErrorKind::Server);
    }

    #[test]
    fn reads_all_three_body_shapes_and_headers() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "7".parse().unwrap());
        headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
        let err = api_error(
            StatusCode::TOO_MANY_REQUESTS,
            &headers,
            r#"{"success":false,"error":"Rate limit exceeded.","code":"RATE_LIMIT_EXCEEDED"}"#.into(),
        );
        assert_eq!(err.code(), "rate_limited");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(err.rate_limit().unwrap().remaining, Some(0));
        assert_eq!(err.server_message(), Some("Rate limit exceeded."));
        let err = api_error(
            StatusCode::PAYMENT_REQUIRED,
            &HeaderMap::new(),
            r#"{"message":"Insufficient balance.","code":"INSUFFICIENT_BALANCE","balance":0.5}"#.into(),
        );
        assert_eq!((err.code(), err.balance()), ("insufficient_balance", Some(0.5)));
        let err = api_error(StatusCode::BAD_GATEWAY, &HeaderMap::new(), "<html>".into());
        assert_eq!((err.code(), err.status()), ("server", Some(502)));
    }
}
