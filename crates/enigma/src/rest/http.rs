//! HTTP to the service: one pooled `reqwest::Client`, auth, error mapping, and retries that never
//! repeat a request which may already have created something (contract §5).

use std::time::{Duration, SystemTime};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::{Method, StatusCode, header::HeaderMap};
use serde_json::Value;

use super::rate_waits::{RateWaits, Waiting};
use super::retry::{Attempt, RetryPolicy, proves_nothing_created, retry_delay};
use crate::model::config::ClientConfig;
use crate::model::error::{ApiErrorDetails, ApiErrorKind, Error, RateLimitInfo, Result};
use crate::record::{HttpExchange, Recorder};

/// The service's rate-limit window (contract §5.1: requests per key per 60 s).
const RATE_WINDOW: Duration = Duration::from_secs(60);
/// Most bytes of an error answer read: the service's JSON errors are a few hundred bytes; past
/// this the status alone decides (a gateway's 50 MB HTML page is not read).
const ERROR_BODY_READ_BYTES: usize = 64 * 1024;
/// Most bytes of an error answer kept in [`ApiErrorDetails::body`].
pub(crate) const ERROR_BODY_KEPT_BYTES: usize = 4 * 1024;
/// Bytes of an unreadable answer shown in a `decode` error.
const DECODE_BODY_SHOWN_BYTES: usize = 2000;

/// What a path segment keeps unencoded: the characters of an id.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

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
    /// The endpoint path, each segment percent-encoded (see [`path_of`] for ones holding ids).
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
    /// The rate-limit headers of the latest answer that had them, and how many such answers
    /// came: what a pacer (the batch runner) reads to send creates before the key runs out.
    rate_seen: std::sync::Mutex<(Option<RateLimitInfo>, u64)>,
    /// The waits for the key's rate limit (this layer's sleeps after a 429, the batch pacer's).
    pub(crate) rate_waits: RateWaits,
    /// The flight recorder (`config.record`), shared with the sessions' live connections.
    pub(crate) recorder: Option<Recorder>,
    /// `config.extra_root_ca_pem` once, for every session's live connection to share.
    pub(crate) extra_root_ca_pem: Option<std::sync::Arc<[u8]>>,
}

/// Why one attempt failed, with what the retry decision needs.
enum Failure {
    /// An HTTP error answer.
    Api(Error),
    /// No answer.
    Transport { message: String, never_sent: bool, source: reqwest::Error },
    /// A 2xx answer that cannot be read (too long, not UTF-8, not JSON): a `decode` error, never
    /// retried.
    Unreadable(Error),
}

impl Transport {
    pub(crate) fn new(config: ClientConfig) -> Result<Transport> {
        config.check()?;
        check_tls_available(&config)?;
        let mut builder = reqwest::Client::builder()
            .user_agent(config.user_agent())
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .tcp_keepalive(config.tcp_keepalive)
            .pool_idle_timeout(Duration::from_secs(60))
            // The service never redirects. Following one would send a create again to another
            // address (a 307/308 repeats the POST): a 3xx is an answer like any other
            // unexpected status (`outcome_unknown` on a create).
            .redirect(reqwest::redirect::Policy::none());
        for proxy in &config.http.proxies {
            builder = builder.proxy(proxy.clone());
        }
        // After `user_agent`: `check` refused any header of the SDK's own, so none is replaced.
        builder = builder.default_headers(config.http.default_headers.clone());
        let builder = with_tls(builder, config.extra_root_ca_pem.as_deref())?;
        let http =
            builder.build().map_err(|e| Error::connection(format!("cannot build the HTTP client: {e}"), true, e))?;
        let recorder = Recorder::new(&config);
        let extra_root_ca_pem = config.extra_root_ca_pem.as_deref().map(std::sync::Arc::from);
        Ok(Transport {
            http,
            extra_root_ca_pem,
            config,
            rate_seen: std::sync::Mutex::default(),
            rate_waits: RateWaits::default(),
            recorder,
        })
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
        let mut recorded = Vec::new();
        loop {
            let mut exchange = HttpExchange::start(self.recorder.as_ref());
            let result = self.attempt(request, url.clone(), key.map(|k| k.expose()), exchange.as_mut()).await;
            if let Some(exchange) = exchange {
                recorded.push(exchange.finish(&request.method, &request.path, request.body, recorded_error(&result)));
            }
            let failure = match result {
                Ok(value) => {
                    self.record(request, recorded, Some(&value));
                    return Ok(value);
                }
                Err(failure) => failure,
            };
            let seen = match &failure {
                Failure::Api(err) => Attempt::Answered {
                    status: err.status().unwrap_or_default(),
                    server_code: err.server_code(),
                    retry_after: err.retry_after(),
                },
                Failure::Transport { never_sent, .. } => Attempt::NoAnswer { never_sent: *never_sent },
                Failure::Unreadable(_) => Attempt::Undecodable,
            };
            if attempt < self.config.max_retries
                && let Some(after) = request.retry.retry_after(&seen)
                && let Some(delay) = self.retry_delay(request, attempt, after)
            {
                tracing::debug!(operation = request.operation, attempt, ?delay, "retrying");
                // A 429 for the rate limit: say so while sleeping, for the progress displays.
                let _waiting = match (&failure, &seen) {
                    (Failure::Api(err), Attempt::Answered { status: 429, .. }) => {
                        Some(self.rate_limit_wait(request, err, delay))
                    }
                    _ => None,
                };
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            self.record(request, recorded, None);
            return Err(self.final_error(request, failure));
        }
    }

    /// Hands one call's attempts to the recorder, under the session the call names (its path or
    /// body), else the one its answer names (a create).
    fn record(
        &self,
        request: &Request<'_>,
        attempts: Vec<(std::time::Instant, SystemTime, crate::record::Seen)>,
        answer: Option<&Value>,
    ) {
        let Some(recorder) = self.recorder.as_ref().filter(|_| !attempts.is_empty()) else { return };
        let from_path = request.path.strip_prefix("/task/").and_then(|rest| rest.split('/').next());
        let from_path = from_path.map(|id| percent_decode_str(id).decode_utf8_lossy().into_owned());
        let session = request
            .session_id
            .map(str::to_owned)
            .or(from_path)
            .or_else(|| answer.and_then(|a| a.get("sessionId")).and_then(Value::as_str).map(str::to_owned));
        recorder.http(session.as_deref(), attempts);
    }

    async fn attempt(
        &self,
        request: &Request<'_>,
        url: url::Url,
        key: Option<&str>,
        mut exchange: Option<&mut HttpExchange>,
    ) -> std::result::Result<Value, Failure> {
        let mut builder = self.http.request(request.method.clone(), url);
        if let Some(key) = key {
            builder = builder.bearer_auth(key);
        }
        if let Some(body) = request.body {
            builder = builder.json(body);
        }
        // The key travels in a header, and headers are never logged.
        tracing::debug!(operation = request.operation, method = %request.method, path = %request.path, "request");
        let mut response = builder.send().await.map_err(|e| {
            tracing::debug!(operation = request.operation, error = %e, "no answer");
            transport_failure(e)
        })?;
        if let Some(info) = rate_limit_info(response.headers()) {
            let mut seen = self.rate_seen.lock().unwrap_or_else(|e| e.into_inner());
            // Answers can come back out of order (a create that waited for its inline result
            // answers late, with the reading of when it arrived): keep the newest reading, the
            // one with the later reset or, within one window, fewer requests left.
            let newer = seen.0.is_none_or(|old| {
                (info.reset, std::cmp::Reverse(info.remaining)) >= (old.reset, std::cmp::Reverse(old.remaining))
            });
            if newer {
                *seen = (Some(info), seen.1 + 1);
            }
        }
        let status = response.status();
        tracing::debug!(operation = request.operation, path = %request.path, status = status.as_u16(), "answer");
        if let Some(exchange) = exchange.as_deref_mut() {
            exchange.answered(status.as_u16(), response.headers());
        }
        if status.is_success() {
            return self.read_answer(&mut response, request.operation, exchange).await;
        }
        let headers = response.headers().clone();
        // The status decides what an error answer means; a body cut short (or too long to read
        // whole) still leaves it, so what could be read is enough.
        let limit = ERROR_BODY_READ_BYTES.min(self.config.max_response_bytes);
        let (body, _) = read_body(&mut response, limit).await.unwrap_or_default();
        let error = api_error(status, &headers, &body);
        if let Some(exchange) = exchange {
            exchange.body(body);
        }
        Err(Failure::Api(error))
    }

    /// Records a sleep of `delay` after a rate-limit 429 (a session-limit 429 is never retried).
    fn rate_limit_wait(&self, request: &Request<'_>, err: &Error, delay: Duration) -> Waiting<'_> {
        let limit = err.api_details().and_then(|d| d.rate_limit).or(self.rate_limit_seen().0).and_then(|i| i.limit);
        let what = if request.retry == RetryPolicy::Create { "creates" } else { "requests" };
        self.rate_waits.begin(limit, RATE_WINDOW, what, SystemTime::now() + delay)
    }

    /// The latest rate-limit headers seen, and a counter of answers that carried them.
    pub(crate) fn rate_limit_seen(&self) -> (Option<RateLimitInfo>, u64) {
        *self.rate_seen.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The JSON of a 2xx answer: at most `max_response_bytes` read, strict UTF-8, JSON. The
    /// recorder gets the bytes (no copy: it turns them into its line on its own thread).
    async fn read_answer(
        &self,
        response: &mut reqwest::Response,
        operation: &str,
        exchange: Option<&mut HttpExchange>,
    ) -> Result<Value, Failure> {
        let cap = self.config.max_response_bytes;
        let too_long = |read: &[u8]| {
            Failure::Unreadable(Error::decode_text(
                format!("{operation} answered more than {cap} bytes (max_response_bytes); the rest was not read"),
                &shown(read),
            ))
        };
        if response.content_length().is_some_and(|length| length > cap as u64) {
            return Err(too_long(&[]));
        }
        let (body, complete) = read_body(response, cap).await.map_err(transport_failure)?;
        if !complete {
            return Err(too_long(&body));
        }
        // Strict: a lossy decoding would turn bad bytes into U+FFFD inside ids.
        let text = std::str::from_utf8(&body).map_err(|e| {
            Failure::Unreadable(Error::decode_caused(
                format!("{operation} answered invalid UTF-8 (at byte {})", e.valid_up_to()),
                &shown(&body),
                e,
            ))
        })?;
        let value = serde_json::from_str(text).map_err(|e| {
            Failure::Unreadable(Error::decode_caused(format!("{operation} answered non-JSON ({e})"), text, e))
        })?;
        if let Some(exchange) = exchange {
            exchange.body(body);
        }
        Ok(value)
    }

    /// The delay before the next retry, or `None` when the service asks for a longer wait than
    /// `retry_after_max` (the error then goes to the caller at once, with `retry_after`).
    fn retry_delay(&self, request: &Request<'_>, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        let c = &self.config;
        let delay = retry_delay(attempt, retry_after, c.retry_backoff, c.retry_backoff_max, c.retry_after_max);
        if delay.is_none() {
            tracing::debug!(operation = request.operation, ?retry_after, ceiling = ?c.retry_after_max,
                "the service asks for a longer wait than retry_after_max: not retrying");
        }
        delay
    }

    fn final_error(&self, request: &Request<'_>, failure: Failure) -> Error {
        let create = request.retry == RetryPolicy::Create;
        let unknown = |cause: &Error| Error::unknown_outcome(request.operation, request.session_id, cause);
        match failure {
            // On a create, only an answer proving that nothing was created is definite.
            Failure::Api(err) if create && !proves_nothing_created(err.status().unwrap_or_default()) => unknown(&err),
            Failure::Unreadable(err) if create => unknown(&err),
            Failure::Api(err) | Failure::Unreadable(err) => err,
            Failure::Transport { message, never_sent: false, source } if create => {
                unknown(&Error::connection(message, false, source))
            }
            Failure::Transport { message, never_sent, source } => Error::connection(message, never_sent, source),
        }
    }
}

/// The SDK code of an attempt's failure, for the recorder (`None`: it was answered).
fn recorded_error(result: &std::result::Result<Value, Failure>) -> Option<&'static str> {
    match result {
        Ok(_) => None,
        Err(Failure::Api(err) | Failure::Unreadable(err)) => Some(err.code()),
        Err(Failure::Transport { .. }) => Some("connection"),
    }
}

/// Reads at most `limit` bytes of the body; `false` when the body is longer. The rest is never
/// read: the response is dropped, and its connection with it.
async fn read_body(response: &mut reqwest::Response, limit: usize) -> reqwest::Result<(Vec<u8>, bool)> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, false));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, true))
}

/// The start of an unreadable body, for an error message.
fn shown(body: &[u8]) -> String {
    String::from_utf8_lossy(&body[..body.len().min(DECODE_BODY_SHOWN_BYTES)]).into_owned()
}

/// An endpoint path from its segments, each percent-encoded: an id is data in the URL, never
/// path syntax (`/`, `?`, `#`, `%`).
pub(crate) fn path_of(segments: &[&str]) -> String {
    segments.iter().map(|s| format!("/{}", utf8_percent_encode(s, SEGMENT))).collect()
}

/// The base URL with the endpoint path appended: a base with a path prefix (an API gateway,
/// `https://gw.example.com/enigma`) keeps it, where `Url::join` would drop it. Each segment goes
/// through `path_segments_mut`, which encodes what a segment needs and never lets a `.` or `..`
/// segment climb the path, whatever an id holds.
fn endpoint_url(base: &url::Url, path: &str) -> url::Url {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.pop_if_empty();
        segments.extend(path.split('/').filter(|s| !s.is_empty()).map(|s| percent_decode_str(s).decode_utf8_lossy()));
    }
    url
}

/// The TLS backend the features chose (`crate::tls`, the same as the live socket's), trusting
/// the platform's roots and `extra_root_ca_pem`, offering HTTP/2 and HTTP/1.1.
fn with_tls(builder: reqwest::ClientBuilder, extra_root_ca_pem: Option<&[u8]>) -> Result<reqwest::ClientBuilder> {
    #[cfg(any(feature = "_rustls", feature = "native-tls"))]
    let bad_tls = |err: crate::tls::TlsSetupError| {
        if err.bad_extra_roots {
            Error::validation("extra_root_ca_pem", format!("not a PEM certificate bundle: {}", err.source))
        } else {
            Error::connection(format!("cannot set up TLS: {err}"), true, err)
        }
    };
    #[cfg(feature = "native-tls")]
    return crate::tls::native_connector(extra_root_ca_pem, &["h2", "http/1.1"])
        .map(|connector| builder.tls_backend_preconfigured(connector))
        .map_err(bad_tls);
    #[cfg(all(feature = "_rustls", not(feature = "native-tls")))]
    return crate::tls::rustls_config(extra_root_ca_pem, &[b"h2", b"http/1.1"])
        .map(|config| builder.tls_backend_preconfigured(config))
        .map_err(bad_tls);
    #[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
    match extra_root_ca_pem {
        Some(_) => Err(Error::validation("extra_root_ca_pem", NO_TLS)),
        None => Ok(builder),
    }
}

/// Why an https URL or extra roots are refused by a build without a TLS backend.
#[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
const NO_TLS: &str =
    "this build of enigma has no TLS backend (enable the feature rustls-ring, rustls-aws-lc or native-tls)";

/// Refuses an https base URL up front in a build that could never reach it.
fn check_tls_available(config: &ClientConfig) -> Result<()> {
    #[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
    if config.base_url.scheme() == "https" {
        return Err(Error::validation("base_url", NO_TLS));
    }
    let _ = config;
    Ok(())
}

/// Why no answer came: the message shows the whole chain (as it always has), and the error itself
/// stays as the source, for callers that walk `source()` down to the `std::io::Error`.
fn transport_failure(err: reqwest::Error) -> Failure {
    // A connect error (refused, DNS, connect timeout) proves the request never left.
    let never_sent = err.is_connect();
    let mut message = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    Failure::Transport { message, never_sent, source: err }
}

/// Builds the error for a non-2xx answer from its status, headers and (the start of its) body:
/// any of the three documented body shapes, or no JSON at all.
fn api_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Error {
    let json: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
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
        retry_after: retry_after(headers, SystemTime::now()),
        rate_limit: rate_limit_info(headers),
        body: kept_body(body),
    };
    Error::Api { kind, details: Box::new(details) }
}

/// At most [`ERROR_BODY_KEPT_BYTES`] of an error body, cut at a character boundary.
fn kept_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if text.len() <= ERROR_BODY_KEPT_BYTES {
        return text.into_owned();
    }
    let mut cut = ERROR_BODY_KEPT_BYTES - '…'.len_utf8();
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
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

/// `Retry-After`, in either form: seconds, or an HTTP date (a date in the past is no wait).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::try_from_secs_f64(secs).ok()).flatten();
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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
    fn ids_in_paths_are_percent_encoded_and_never_climb_the_path() {
        let url = |base: &str, segments: &[&str]| {
            endpoint_url(&url::Url::parse(base).unwrap(), &path_of(segments)).to_string()
        };
        assert_eq!(url("http://h/", &["task", "ab-C_1", "x9"]), "http://h/task/ab-C_1/x9");
        assert_eq!(url("http://h/", &["task", "a/b", "c?d#e"]), "http://h/task/a%2Fb/c%3Fd%23e");
        assert_eq!(url("http://h/", &["task", "100%", "é"]), "http://h/task/100%25/%C3%A9");
        assert_eq!(url("http://h/gw", &["task", "..", "..", "start", "health"]), "http://h/gw/task/start/health");
        assert_eq!(url("http://h/", &["task", "%2e%2e", "x"]), "http://h/task/%252e%252e/x");
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        let header = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert("retry-after", value.parse().unwrap());
            retry_after(&headers, now)
        };
        assert_eq!(header("40"), Some(Duration::from_secs(40)));
        assert_eq!(header("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(header("Wed, 21 Oct 2015 07:28:40 GMT"), Some(Duration::from_secs(40)));
        assert_eq!(header("Wed, 21 Oct 2015 07:27:00 GMT"), Some(Duration::ZERO), "a date in the past");
        assert_eq!(header("-1"), None);
        assert_eq!(header("soon"), None);
        assert_eq!(header("1e300"), None);
    }

    #[test]
    fn error_bodies_are_kept_to_a_few_kb_at_a_char_boundary() {
        let body = "é".repeat(10_000);
        let err = api_error(StatusCode::INTERNAL_SERVER_ERROR, &HeaderMap::new(), body.as_bytes());
        let kept = &err.api_details().unwrap().body;
        assert!(kept.len() <= ERROR_BODY_KEPT_BYTES && kept.len() > ERROR_BODY_KEPT_BYTES - 8, "{}", kept.len());
        assert!(kept.ends_with('…'));
        assert_eq!(kept_body(b"{\"ok\":1}"), "{\"ok\":1}");
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
            br#"{"success":false,"error":"Rate limit exceeded.","code":"RATE_LIMIT_EXCEEDED"}"#,
        );
        assert_eq!(err.code(), "rate_limited");
        assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(err.rate_limit().unwrap().remaining, Some(0));
        assert_eq!(err.server_message(), Some("Rate limit exceeded."));
        let err = api_error(
            StatusCode::PAYMENT_REQUIRED,
            &HeaderMap::new(),
            br#"{"message":"Insufficient balance.","code":"INSUFFICIENT_BALANCE","balance":0.5}"#,
        );
        assert_eq!((err.code(), err.balance()), ("insufficient_balance", Some(0.5)));
        let err = api_error(StatusCode::BAD_GATEWAY, &HeaderMap::new(), b"<html>");
        assert_eq!((err.code(), err.status()), ("server", Some(502)));
    }
}
