//! Validation of request bodies, with the service's 400 codes and texts.

use serde_json::{Map, Value};

use crate::directives::{self, TaskScript};
use crate::errors::ApiError;

/// The smallest and largest accepted `maxDuration`, in ms.
pub(crate) const MAX_DURATION_RANGE: (f64, f64) = (1000.0, 300_000.0);

/// The task and browser fields shared by start-session, run-task and newTask.
#[derive(Debug, Default)]
pub(crate) struct TaskRequest {
    /// `taskDetails` as sent (empty when absent).
    pub task_details: String,
    /// The parsed script, when `taskDetails` is non-empty.
    pub script: Option<TaskScript>,
    /// `maxDuration` in ms.
    pub max_duration_ms: Option<f64>,
    pub max_input_tokens: Option<u64>,
    pub max_output_tokens: Option<u64>,
    pub starting_url: Option<String>,
    pub avoid_domains: Vec<String>,
    pub terminate_on_completion: bool,
}

/// Parses a JSON body; an empty body counts as `{}`.
pub(crate) fn parse_body(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::invalid_param("body", "must be a JSON object")),
        Err(e) => Err(ApiError::invalid_param("body", &format!("invalid JSON ({e})"))),
    }
}

/// Validates the task fields of `body`. With `require_details`, a missing or blank
/// `taskDetails` is a 400.
pub(crate) fn task_request(body: &Map<String, Value>, require_details: bool) -> Result<TaskRequest, ApiError> {
    let mut req = TaskRequest::default();
    match body.get("taskDetails") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => req.task_details = s.clone(),
        Some(_) => return Err(ApiError::invalid_param("taskDetails", "must be a string")),
    }
    if req.task_details.trim().is_empty() {
        if require_details {
            return Err(ApiError::missing_field("taskDetails is required"));
        }
    } else {
        req.script = Some(directives::parse(&req.task_details).map_err(ApiError::invalid_task_details)?);
    }
    match body.get("maxDuration") {
        None | Some(Value::Null) => {}
        Some(v) => {
            let (lo, hi) = MAX_DURATION_RANGE;
            match v.as_f64() {
                Some(ms) if (lo..=hi).contains(&ms) => req.max_duration_ms = Some(ms),
                _ => {
                    return Err(ApiError::invalid_param("maxDuration", &format!("must be between {lo} and {hi}")));
                }
            }
        }
    }
    req.max_input_tokens = positive_int(body, "maxInputTokens")?;
    req.max_output_tokens = positive_int(body, "maxOutputTokens")?;
    match body.get("startingUrl") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(Value::String(s)) => {
            let ok = url::Url::parse(s)
                .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .unwrap_or(false);
            if !ok {
                return Err(ApiError::invalid_param("startingUrl", "must be an http(s) URL"));
            }
            req.starting_url = Some(s.clone());
        }
        Some(_) => return Err(ApiError::invalid_param("startingUrl", "must be an http(s) URL")),
    }
    match body.get("avoidDomains") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                match item.as_str() {
                    Some(d) => req.avoid_domains.push(d.to_string()),
                    None => {
                        return Err(ApiError::invalid_param("avoidDomains", "must be an array of domain strings"));
                    }
                }
            }
        }
        Some(_) => return Err(ApiError::invalid_param("avoidDomains", "must be an array of domain strings")),
    }
    match body.get("mode") {
        None | Some(Value::Null) => {}
        Some(Value::String(m)) if m == "default" => {}
        Some(_) => return Err(ApiError::invalid_param("mode", "must be \"default\"")),
    }
    match body.get("terminateOnCompletion") {
        None | Some(Value::Null) => {}
        Some(Value::Bool(b)) => req.terminate_on_completion = *b,
        Some(_) => return Err(ApiError::invalid_param("terminateOnCompletion", "must be a boolean")),
    }
    Ok(req)
}

fn positive_int(body: &Map<String, Value>, name: &str) -> Result<Option<u64>, ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if n > 0 => Ok(Some(n)),
            _ => Err(ApiError::invalid_param(name, "must be a positive integer")),
        },
    }
}

/// A required string field.
pub(crate) fn required_str<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    match obj.get(name) {
        None | Some(Value::Null) => Err(ApiError::missing_field(format!("Missing required field '{name}'"))),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ApiError::invalid_param(name, "must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn max_duration_range() {
        assert!(task_request(&obj(json!({"maxDuration": 999})), false).is_err());
        assert!(task_request(&obj(json!({"maxDuration": 300001})), false).is_err());
        let ok = task_request(&obj(json!({"maxDuration": 1000})), false).unwrap();
        assert_eq!(ok.max_duration_ms, Some(1000.0));
        let e = task_request(&obj(json!({"maxDuration": 0})), false).unwrap_err();
        assert_eq!(e.message, "Invalid parameter 'maxDuration': must be between 1000 and 300000");
    }

    #[test]
    fn details_and_urls() {
        let e = task_request(&obj(json!({"taskDetails": "  "})), true).unwrap_err();
        assert_eq!(e.message, "taskDetails is required");
        assert!(task_request(&obj(json!({"startingUrl": "ftp://x.com"})), false).is_err());
        assert!(task_request(&obj(json!({"startingUrl": "not a url"})), false).is_err());
        assert!(task_request(&obj(json!({"startingUrl": "https://amazon.com"})), false).is_ok());
        let e = task_request(&obj(json!({"taskDetails": "x #sim nope=1"})), true).unwrap_err();
        assert_eq!(e.code, "INVALID_TASK_DETAILS");
    }
}
