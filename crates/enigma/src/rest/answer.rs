//! Ids read from the service's answers. They go into URL paths and into later requests, so they
//! are checked with the rule of user-given ids (`validate::id`): a `taskId` of
//! `../../start/health` is an unreadable answer, never a path.

use serde_json::Value;

use crate::model::error::{Error, Result};
use crate::model::validate;

/// The id in `field`, if the answer has one; one that breaks the id rule is a `decode` error.
pub(crate) fn optional_id<'a>(body: &'a Value, field: &str, operation: &str) -> Result<Option<&'a str>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(id)) if validate::id(field, id).is_ok() => Ok(Some(id)),
        Some(other) => Err(Error::decode(format!("{operation} answered an invalid {field}: {other}"), body)),
    }
}

/// The id in `field`; a missing or invalid one is a `decode` error.
pub(crate) fn required_id<'a>(body: &'a Value, field: &str, operation: &str) -> Result<&'a str> {
    optional_id(body, field, operation)?
        .ok_or_else(|| Error::decode(format!("{operation} answered without a {field}"), body))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ids_from_the_service_follow_the_rule_of_user_given_ids() {
        let body = json!({"sessionId": "abc123DEF_-", "taskId": "../../start/health", "n": 5});
        assert_eq!(required_id(&body, "sessionId", "start-session").unwrap(), "abc123DEF_-");
        for field in ["taskId", "n", "missing"] {
            let err = required_id(&body, field, "newTask").unwrap_err();
            assert_eq!(err.code(), "decode", "{field}");
        }
        assert_eq!(optional_id(&body, "missing", "x").unwrap(), None);
        assert_eq!(optional_id(&json!({"taskId": "a\u{FFFD}b"}), "taskId", "x").unwrap_err().code(), "decode");
        assert_eq!(optional_id(&json!({"taskId": ""}), "taskId", "x").unwrap_err().code(), "decode");
    }
}
