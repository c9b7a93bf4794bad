//! One record as a JSON line: the shapes of `docs/recording.md`, wall-clock timestamps in RFC 3339
//! (UTC, milliseconds) without a date-time dependency.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

/// What was seen, as the hot path hands it over (serialised later, by the writer).
pub(crate) enum Seen {
    /// One HTTP attempt and its answer (or its failure).
    Http {
        method: &'static str,
        path: String,
        query: Option<String>,
        status: Option<u16>,
        response_headers: Map<String, Value>,
        request: Option<Value>,
        response: Value,
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

impl Seen {
    /// The record's JSON, `t` seconds after its file's header.
    pub(crate) fn to_json(&self, t: f64, wall: SystemTime) -> Value {
        let (t, wall) = (rounded_ms(t), Value::String(rfc3339(wall)));
        match self {
            Seen::Http { method, path, query, status, response_headers, request, response, ms, error } => {
                let request_headers = match request {
                    Some(_) => json!({ "content-type": "application/json" }),
                    None => json!({}),
                };
                json!({
                    "type": "http", "t": t, "wall": wall, "method": method, "path": path, "query": query,
                    "status": status, "requestHeaders": request_headers, "responseHeaders": response_headers,
                    "request": request, "response": response, "ms": rounded_ms(*ms / 1000.0) * 1000.0,
                    "error": error,
                })
            }
            Seen::Event { name, data } => json!({ "type": "event", "t": t, "wall": wall, "event": name, "data": data }),
            Seen::Command { name, data } => {
                json!({ "type": "command", "t": t, "wall": wall, "command": name, "data": data })
            }
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
    json!({ "type": "truncated", "t": rounded_ms(t), "wall": rfc3339(wall), "bytes": bound })
}

/// Seconds with millisecond precision.
fn rounded_ms(secs: f64) -> f64 {
    (secs * 1000.0).round() / 1000.0
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
    use std::time::Duration;

    #[test]
    fn wall_times_are_rfc3339_utc_with_milliseconds() {
        let at = UNIX_EPOCH + Duration::from_millis(1_445_412_480_123); // Wed, 21 Oct 2015 07:28:00.123 GMT
        assert_eq!(rfc3339(at), "2015-10-21T07:28:00.123Z");
        assert_eq!(rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn records_carry_the_shared_fields() {
        let seen = Seen::Command { name: "message", data: json!({"actionType": "state", "newState": "pause"}) };
        let line = seen.to_json(1.23456, UNIX_EPOCH);
        assert_eq!(line["t"], 1.235);
        assert_eq!(line["type"], "command");
        assert_eq!(line["wall"], "1970-01-01T00:00:00.000Z");
    }
}
