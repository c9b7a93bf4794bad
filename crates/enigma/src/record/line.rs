//! One record as a JSON line: the shapes of `docs/recording.md`, wall-clock timestamps in RFC 3339
//! (UTC, milliseconds) without a date-time dependency.

use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::value::RawValue;
use serde_json::{Value, json};

const KEPT: usize = 6;
/// The response headers worth keeping: what explains an answer, never anything carrying the key.
static KEPT_RESPONSE_HEADERS: [HeaderName; KEPT] = [
    HeaderName::from_static("content-type"),
    HeaderName::from_static("retry-after"),
    HeaderName::from_static("x-request-id"),
    HeaderName::from_static("x-ratelimit-limit"),
    HeaderName::from_static("x-ratelimit-remaining"),
    HeaderName::from_static("x-ratelimit-reset"),
];

/// The kept response headers of an answer, their values copied into one string (one allocation
/// on the caller's path; turning them into JSON is the writer's work).
#[derive(Default)]
pub(crate) struct KeptHeaders {
    values: String,
    /// Where each kept header's value lies in `values`, if the answer had it (as text).
    spans: [Option<(u32, u32)>; KEPT],
}

impl KeptHeaders {
    pub(crate) fn of(headers: &HeaderMap) -> KeptHeaders {
        let mut kept = KeptHeaders::default();
        for (name, span) in KEPT_RESPONSE_HEADERS.iter().zip(&mut kept.spans) {
            if let Some(value) = headers.get(name).and_then(|v| v.to_str().ok()) {
                let start = kept.values.len();
                kept.values.push_str(value);
                *span = u32::try_from(start).ok().zip(u32::try_from(kept.values.len()).ok());
            }
        }
        kept
    }
}

impl Serialize for KeptHeaders {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (name, span) in KEPT_RESPONSE_HEADERS.iter().zip(&self.spans) {
            if let Some(value) = span.and_then(|(start, end)| self.values.get(start as usize..end as usize)) {
                map.serialize_entry(name.as_str(), value)?;
            }
        }
        map.end()
    }
}

/// What was seen, as the hot path hands it over (serialised later, by the writer).
pub(crate) enum Seen {
    /// One HTTP attempt and its answer (or its failure).
    Http {
        method: &'static str,
        path: String,
        query: Option<String>,
        status: Option<u16>,
        response_headers: KeptHeaders,
        request: Option<Value>,
        /// The answer's body as read (made JSON by the writer).
        response: Option<Vec<u8>>,
        ms: f64,
        error: Option<&'static str>,
    },
    /// A Socket.IO event received.
    #[cfg_attr(not(feature = "live"), allow(dead_code, reason = "only a live connection has socket events"))]
    Event { name: String, data: Value },
    /// A Socket.IO event sent (a command).
    #[cfg_attr(not(feature = "live"), allow(dead_code, reason = "only a live connection sends socket commands"))]
    Command { name: &'static str, data: Value },
}

/// An `http` line, serialised straight from what was seen (no JSON tree is built for it).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HttpLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    t: f64,
    wall: &'a str,
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    status: Option<u16>,
    request_headers: RequestHeaders,
    response_headers: &'a KeptHeaders,
    request: Option<&'a Value>,
    response: Body<'a>,
    ms: f64,
    error: Option<&'a str>,
}

/// The request headers recorded: `content-type` when there is a body, nothing else ever.
#[derive(Serialize)]
struct RequestHeaders {
    #[serde(rename = "content-type", skip_serializing_if = "Option::is_none")]
    content_type: Option<&'static str>,
}

/// An `event` or a `command` line.
#[derive(Serialize)]
struct SocketLine<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    t: f64,
    wall: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<&'a str>,
    data: &'a Value,
}

impl Seen {
    /// Appends the record's line (no newline), `t` seconds after its file's header.
    pub(crate) fn write_line(&self, t: f64, wall: SystemTime, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let (t, wall) = (rounded_us(t), rfc3339(wall));
        match self {
            Seen::Http { method, path, query, status, response_headers, request, response, ms, error } => {
                let line = HttpLine {
                    kind: "http",
                    t,
                    wall: &wall,
                    method,
                    path,
                    query: query.as_deref(),
                    status: *status,
                    request_headers: RequestHeaders { content_type: request.as_ref().map(|_| "application/json") },
                    response_headers,
                    request: request.as_ref(),
                    response: response.as_deref().map_or(Body::Value(Value::Null), Body::of),
                    ms: (*ms * 1000.0).round() / 1000.0,
                    error: *error,
                };
                serde_json::to_writer(out, &line)
            }
            Seen::Event { name, data } => {
                let line = SocketLine { kind: "event", t, wall: &wall, event: Some(name), command: None, data };
                serde_json::to_writer(out, &line)
            }
            Seen::Command { name, data } => {
                let line = SocketLine { kind: "command", t, wall: &wall, event: None, command: Some(name), data };
                serde_json::to_writer(out, &line)
            }
        }
    }
}

/// An answer's body as its record shows it: its JSON, or its text when it is not JSON (an error
/// page).
enum Body<'a> {
    /// The JSON as it came (no tree built, nothing copied but into the line).
    AsSent(&'a RawValue),
    Value(Value),
}

impl<'a> Body<'a> {
    fn of(body: &'a [u8]) -> Body<'a> {
        // As it came when that is one line (no line break between its tokens) and holds no
        // escape (so the key, were it there, is there as written, for the redaction to find).
        if !body.iter().any(|b| matches!(b, b'\\' | b'\n' | b'\r'))
            && let Ok(raw) = serde_json::from_slice::<&RawValue>(body)
        {
            return Body::AsSent(raw);
        }
        let value = serde_json::from_slice(body);
        Body::Value(value.unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned())))
    }
}

impl Serialize for Body<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Body::AsSent(raw) => raw.serialize(serializer),
            Body::Value(value) => value.serialize(serializer),
        }
    }
}

/// The first line of a file.
pub(crate) fn header(sdk: &str, user_agent: &str, base_url: &str, session_id: Option<&str>, wall: SystemTime) -> Value {
    json!({
        "type": "header", "format": "enigma-recording", "version": 1, "sdk": sdk, "userAgent": user_agent,
        "baseUrl": base_url, "sessionId": session_id, "wall": rfc3339(wall), "t": 0.0,
    })
}

/// The last line of a file that reached its size bound.
pub(crate) fn truncated(t: f64, wall: SystemTime, bound: u64) -> Value {
    json!({ "type": "truncated", "t": rounded_us(t), "wall": rfc3339(wall), "bytes": bound })
}

/// Seconds with microsecond precision: the replay tells from these times whether a request left
/// before or after an answer came, which a millisecond is too coarse to show.
fn rounded_us(secs: f64) -> f64 {
    (secs * 1_000_000.0).round() / 1_000_000.0
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn rfc3339(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use std::time::Duration;

    #[test]
    fn wall_times_are_rfc3339_utc_with_milliseconds() {
        let at = UNIX_EPOCH + Duration::from_millis(1_445_412_480_123); // Wed, 21 Oct 2015 07:28:00.123 GMT
        assert_eq!(rfc3339(at), "2015-10-21T07:28:00.123Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00.000Z");
    }

    fn parsed(seen: &Seen) -> Value {
        let mut out = Vec::new();
        seen.write_line(1.23456, UNIX_EPOCH, &mut out).unwrap();
        assert!(!out.contains(&b'\n'), "one line");
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn records_carry_the_shared_fields() {
        let data = json!({"actionType": "state", "newState": "pause"});
        let line = parsed(&Seen::Command { name: "message", data: data.clone() });
        assert_eq!(
            line,
            json!({"type": "command", "t": 1.23456, "wall": "1970-01-01T00:00:00.000Z", "command": "message", "data": data})
        );
        let line = parsed(&Seen::Event { name: "end_session".into(), data: json!({"reason": "done"}) });
        assert_eq!(
            (&line["event"], &line["data"]["reason"], line.get("command")),
            (&json!("end_session"), &json!("done"), None)
        );
    }

    #[test]
    fn http_records_keep_the_headers_that_matter_and_only_those() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("7"));
        headers.insert("set-cookie", HeaderValue::from_static("secret"));
        let mut seen = Seen::Http {
            method: "POST",
            path: "/start/send-message".into(),
            query: None,
            status: Some(200),
            response_headers: KeptHeaders::of(&headers),
            request: Some(json!({"taskDetails": "Find"})),
            response: Some(br#"{"success": true}"#.to_vec()),
            ms: 12.3456,
            error: None,
        };
        assert_eq!(
            parsed(&seen),
            json!({
                "type": "http", "t": 1.23456, "wall": "1970-01-01T00:00:00.000Z", "method": "POST",
                "path": "/start/send-message", "query": null, "status": 200,
                "requestHeaders": {"content-type": "application/json"},
                "responseHeaders": {"content-type": "application/json", "x-ratelimit-remaining": "7"},
                "request": {"taskDetails": "Find"}, "response": {"success": true}, "ms": 12.346, "error": null,
            })
        );
        // An answer on several lines, or with escapes, is written anew; a non-JSON one as text.
        for (body, shown) in [
            (&b"{\n  \"message\": \"a \\\"b\\\"\"\n}"[..], json!({"message": "a \"b\""})),
            (b"<html>Bad gateway", json!("<html>Bad gateway")),
        ] {
            let Seen::Http { response, .. } = &mut seen else { unreachable!() };
            *response = Some(body.to_vec());
            assert_eq!(parsed(&seen)["response"], shown);
        }
    }
}
