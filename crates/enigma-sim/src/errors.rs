//! HTTP errors in the service's documented shape: `success:false`, `message`, `error` (same
//! text), `code`, plus `details` / `balance` where they apply.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// One HTTP error answer.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub details: Option<Value>,
    pub balance: Option<f64>,
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
            details: None,
            balance: None,
            retry_after: None,
        }
    }

    pub(crate) fn missing_key() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "API key required. Provide Authorization: Bearer <api_key>")
    }

    pub(crate) fn invalid_key() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "INVALID_API_KEY", "Invalid or revoked API key")
    }

    pub(crate) fn expired_key() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "API_KEY_EXPIRED", "API key has expired")
    }

    pub(crate) fn deactivated() -> Self {
        Self::new(StatusCode::FORBIDDEN, "ACCOUNT_DEACTIVATED", "Account is deactivated")
    }

    pub(crate) fn session_not_found(session_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "SESSION_NOT_FOUND",
            format!("Session {session_id} does not exist or has expired"),
        )
    }

    pub(crate) fn task_not_found(task_id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "TASK_NOT_FOUND", format!("Task {task_id} does not exist in this session"))
    }

    pub(crate) fn task_already_running() -> Self {
        Self::new(StatusCode::CONFLICT, "TASK_ALREADY_RUNNING", "A task is already running in this session")
    }

    pub(crate) fn insufficient_balance(balance: f64) -> Self {
        let mut e = Self::new(StatusCode::PAYMENT_REQUIRED, "INSUFFICIENT_BALANCE", "Insufficient balance.");
        e.balance = Some(balance);
        e
    }

    pub(crate) fn rate_limited(retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            "Rate limit exceeded. Please try again later.",
        );
        e.retry_after = Some(retry_after);
        e
    }

    pub(crate) fn session_limit(current: u32, limit: u32) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "SESSION_LIMIT_REACHED",
            format!("Maximum concurrent sessions reached (limit: {limit})"),
        );
        e.details = Some(json!({ "current": current, "limit": limit }));
        e
    }

    /// 400 `INVALID_PARAMETER` with the service's wording.
    pub(crate) fn invalid_param(name: &str, rule: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER", format!("Invalid parameter '{name}': {rule}"))
    }

    /// 400 `MISSING_REQUIRED_FIELD`.
    pub(crate) fn missing_field(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "MISSING_REQUIRED_FIELD", message)
    }

    /// 400 `INVALID_TASK_DETAILS`.
    pub(crate) fn invalid_task_details(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_TASK_DETAILS", message)
    }

    /// The JSON body.
    pub(crate) fn body(&self) -> Value {
        let mut body = json!({
            "success": false,
            "message": self.message,
            "error": self.message,
            "code": self.code,
        });
        if let Some(details) = &self.details {
            body["details"] = details.clone();
        }
        if let Some(balance) = self.balance {
            body["balance"] = json!(balance);
        }
        body
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// The default text of an error code used by fault injection.
pub(crate) fn default_text(code: &str) -> &'static str {
    match code {
        "RATE_LIMIT_EXCEEDED" => "Rate limit exceeded. Please try again later.",
        "INSTANCE_UNAVAILABLE" | "NO_INSTANCES_AVAILABLE" => "No available instances.",
        "UNAUTHORIZED" => "API key required. Provide Authorization: Bearer <api_key>",
        "INVALID_API_KEY" => "Invalid or revoked API key",
        "ACCOUNT_DEACTIVATED" => "Account is deactivated",
        "INSUFFICIENT_BALANCE" => "Insufficient balance.",
        "TASK_ALREADY_RUNNING" => "A task is already running in this session",
        _ => "Internal server error",
    }
}
