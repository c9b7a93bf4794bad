//! One `Usage` type merging every place the service reports usage and cost (contract §2.5).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Tokens, time (seconds) and cost (USD) of a task so far (or in total, on a final answer); any
/// field may be unknown.
///
/// Every field is optional because the service reports them in several places and shapes:
/// `data.prompt_tokens`, `usage.inputTokens`, `result.usage`, `data.usage`... [`Usage::from_body`]
/// merges them all.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Input (prompt) tokens.
    pub input_tokens: Option<u64>,
    /// Output (completion) tokens.
    pub output_tokens: Option<u64>,
    /// Total tokens (given by the service, or input + output).
    pub total_tokens: Option<u64>,
    /// Compute time in seconds.
    pub compute_time: Option<f64>,
    /// Wall time to completion in seconds.
    pub completion_time: Option<f64>,
    /// Cost in USD.
    pub cost: Option<f64>,
}

impl Usage {
    /// Merges every documented usage location of a task-bearing body: the top level, an
    /// inline `result` wrapper, `data` and `data.usage`. Explicit `usage` objects win over the
    /// token counts inside `data`, which are the older spelling.
    pub fn from_body(body: &Value) -> Usage {
        let mut usage = Usage::default();
        let result = body.get("result");
        let data = body.get("data").or_else(|| result.and_then(|r| r.get("data")));
        // Lowest precedence first; later sources overwrite what they carry.
        if let Some(data) = data {
            usage.absorb_data(data);
            if let Some(inner) = data.get("usage") {
                usage.absorb_usage(inner);
            }
        }
        if let Some(inner) = result.and_then(|r| r.get("usage")) {
            usage.absorb_usage(inner);
        }
        if let Some(inner) = body.get("usage") {
            usage.absorb_usage(inner);
        }
        if usage.total_tokens.is_none()
            && let (Some(i), Some(o)) = (usage.input_tokens, usage.output_tokens)
        {
            usage.total_tokens = Some(i + o);
        }
        usage
    }

    /// True when no field is known.
    pub fn is_empty(&self) -> bool {
        *self == Usage::default()
    }

    fn absorb_data(&mut self, data: &Value) {
        set_u64(&mut self.input_tokens, data.get("prompt_tokens"));
        set_u64(&mut self.output_tokens, data.get("completion_tokens"));
        set_u64(&mut self.total_tokens, data.get("total_tokens"));
        set_f64(&mut self.completion_time, data.get("completion_time"));
        set_f64(&mut self.cost, data.get("cost"));
    }

    fn absorb_usage(&mut self, usage: &Value) {
        set_u64(&mut self.input_tokens, usage.get("inputTokens"));
        set_u64(&mut self.output_tokens, usage.get("outputTokens"));
        set_u64(&mut self.total_tokens, usage.get("totalTokens"));
        set_f64(&mut self.compute_time, usage.get("computeTime"));
        set_f64(&mut self.completion_time, usage.get("completionTime"));
        set_f64(&mut self.cost, usage.get("cost"));
        // Some pages spell usage in the `data` style inside `usage` too.
        set_u64(&mut self.input_tokens, usage.get("prompt_tokens"));
        set_u64(&mut self.output_tokens, usage.get("completion_tokens"));
        set_u64(&mut self.total_tokens, usage.get("total_tokens"));
    }
}

fn set_u64(slot: &mut Option<u64>, value: Option<&Value>) {
    if let Some(v) = value.and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f as u64))) {
        *slot = Some(v);
    }
}

fn set_f64(slot: &mut Option<f64>, value: Option<&Value>) {
    if let Some(v) = value.and_then(Value::as_f64) {
        *slot = Some(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merges_poll_shape() {
        let body = json!({"type":"task_completed","data":{"message":"ok","prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"completion_time":3.5},
            "usage":{"inputTokens":11,"outputTokens":6,"computeTime":2.0,"cost":0.02}});
        let u = Usage::from_body(&body);
        assert_eq!(u.input_tokens, Some(11));
        assert_eq!(u.output_tokens, Some(6));
        assert_eq!(u.total_tokens, Some(15));
        assert_eq!(u.compute_time, Some(2.0));
        assert_eq!(u.completion_time, Some(3.5));
        assert_eq!(u.cost, Some(0.02));
    }

    #[test]
    fn merges_inline_and_socket_shapes() {
        let inline = json!({"result":{"type":"task_completed","data":{"prompt_tokens":8500,"completion_tokens":2300},"usage":{"cost":0.5}}});
        let u = Usage::from_body(&inline);
        assert_eq!(
            (u.input_tokens, u.output_tokens, u.total_tokens, u.cost),
            (Some(8500), Some(2300), Some(10800), Some(0.5))
        );
        let socket = json!({"type":"task_completed","data":{"message":"m","usage":{"cost":0.07}}});
        assert_eq!(Usage::from_body(&socket).cost, Some(0.07));
        assert!(Usage::from_body(&json!({"success":true})).is_empty());
    }
}
