//! The documented variants of one answer: the service's docs give several shapes for the same
//! answer (docs/api-contract.md, "One answer, several documented shapes", lists them), and a
//! client must read each to the same result. By default the simulator sends the superset
//! (`status` and `pending`, `result.type`, `usage` beside `data` in camelCase, tokens in `data`
//! too); each [`AnswerVariant`] named in [`crate::SimConfig::answer_variants`]
//! (`--answer-variant`) turns one answer into one documented alternative. The emitting code
//! builds the usual shape and hands it to [`Variants`], whose methods are the one list of
//! them, one per variant, next to their sibling [`crate::extras`].

use std::fmt;
use std::str::FromStr;

use serde_json::{Value, json};

/// One documented alternative shape of a task answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AnswerVariant {
    /// The inline result of `newTask` / `run-task` (a completed task) has no `status`.
    InlineWithoutStatus,
    /// The inline `result` has `data` but no `type` (which means completed).
    ResultWithoutType,
    /// A pending `newTask` / `run-task` answer has `pending:true` and no `status`.
    PendingFlagOnly,
    /// A pending `newTask` / `run-task` answer has `status:"pending"` and no `pending`.
    PendingStatusOnly,
    /// Usage inside `data` (`data.usage`) instead of beside it, on completed polls, inline
    /// results and `task_completed` events (the contract's `data.usage.cost` variant).
    UsageInData,
    /// The token counts only in `data`'s snake_case (`prompt_tokens`, `completion_tokens`,
    /// `total_tokens`, `completion_time`), and `usage` holding only `cost` (no `inputTokens`,
    /// `outputTokens`, `computeTime`), on completed polls, inline results and `task_completed`
    /// events: the shape the docs give for the `task_completed` event.
    SnakeCaseUsage,
}

impl AnswerVariant {
    /// Every variant, in the order of the contract's list.
    pub const ALL: [AnswerVariant; 6] = [
        AnswerVariant::InlineWithoutStatus,
        AnswerVariant::ResultWithoutType,
        AnswerVariant::PendingFlagOnly,
        AnswerVariant::PendingStatusOnly,
        AnswerVariant::UsageInData,
        AnswerVariant::SnakeCaseUsage,
    ];

    /// The variant's name: `inline_without_status`, `result_without_type`, `pending_flag_only`,
    /// `pending_status_only`, `usage_in_data` or `snake_case_usage` (what [`str::parse`] reads).
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerVariant::InlineWithoutStatus => "inline_without_status",
            AnswerVariant::ResultWithoutType => "result_without_type",
            AnswerVariant::PendingFlagOnly => "pending_flag_only",
            AnswerVariant::PendingStatusOnly => "pending_status_only",
            AnswerVariant::UsageInData => "usage_in_data",
            AnswerVariant::SnakeCaseUsage => "snake_case_usage",
        }
    }

    /// The known names, comma separated (for error messages and help texts).
    pub fn names() -> String {
        AnswerVariant::ALL.map(AnswerVariant::as_str).join(", ")
    }

    fn bit(self) -> u8 {
        1 << AnswerVariant::ALL.iter().position(|v| *v == self).unwrap_or_default()
    }
}

impl fmt::Display for AnswerVariant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AnswerVariant {
    type Err = String;

    /// A variant's name in snake_case (`usage_in_data`); kebab-case (`usage-in-data`) and
    /// camelCase (`usageInData`) are read too.
    fn from_str(text: &str) -> Result<Self, String> {
        let canonical: String = text
            .chars()
            .flat_map(|c| match c {
                '-' => vec!['_'],
                c if c.is_ascii_uppercase() => vec!['_', c.to_ascii_lowercase()],
                c => vec![c],
            })
            .collect();
        AnswerVariant::ALL
            .into_iter()
            .find(|v| v.as_str() == canonical)
            .ok_or_else(|| format!("unknown answer variant {text:?}; the known ones are {}", AnswerVariant::names()))
    }
}

/// Checks a set of variants: the two pending markers exclude each other (with both, a pending
/// answer would carry neither, which no page documents).
pub(crate) fn check(variants: &[AnswerVariant]) -> Result<(), String> {
    if variants.contains(&AnswerVariant::PendingFlagOnly) && variants.contains(&AnswerVariant::PendingStatusOnly) {
        return Err(
            "answer_variants: pending_flag_only and pending_status_only exclude each other (a pending answer needs one marker)"
                .to_owned(),
        );
    }
    Ok(())
}

/// The variants a simulator answers in; each method applies one (or does nothing when it is
/// off).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Variants {
    on: u8,
}

impl Variants {
    /// The variants of a simulator with these `answer_variants`.
    pub(crate) fn new(variants: &[AnswerVariant]) -> Variants {
        Variants { on: variants.iter().fold(0, |on, v| on | v.bit()) }
    }

    fn has(self, variant: AnswerVariant) -> bool {
        self.on & variant.bit() != 0
    }

    /// 1. `inline_without_status`: no `status` on a completed inline result.
    pub(crate) fn inline_without_status(self, body: &mut Value) {
        if self.has(AnswerVariant::InlineWithoutStatus) {
            remove(body, "status");
        }
    }

    /// 2. `result_without_type`: the completed inline `result` has `data` and no `type`.
    pub(crate) fn result_without_type(self, body: &mut Value) {
        if self.has(AnswerVariant::ResultWithoutType) {
            remove(&mut body["result"], "type");
        }
    }

    /// 3. `pending_flag_only`: a pending answer has `pending:true` and no `status`.
    pub(crate) fn pending_flag_only(self, body: &mut Value) {
        if self.has(AnswerVariant::PendingFlagOnly) {
            remove(body, "status");
        }
    }

    /// 4. `pending_status_only`: a pending answer has `status:"pending"` and no `pending`.
    pub(crate) fn pending_status_only(self, body: &mut Value) {
        if self.has(AnswerVariant::PendingStatusOnly) {
            remove(body, "pending");
        }
    }

    /// 5. `usage_in_data`: the usage of a completed answer moves into its `data` (`holder` is
    ///    the poll body, the event, or the inline answer's `result`).
    pub(crate) fn usage_in_data(self, holder: &mut Value) {
        if self.has(AnswerVariant::UsageInData)
            && let Some(usage) = holder.as_object_mut().and_then(|h| h.remove("usage"))
            && let Some(data) = holder.get_mut("data").and_then(Value::as_object_mut)
        {
            data.insert("usage".to_owned(), usage);
        }
    }

    /// 6. `snake_case_usage`: the token counts of a completed answer only in `data`
    ///    (`prompt_tokens`, ... `completion_time`: sent anyway), and its `usage` (beside `data`
    ///    or inside it) holds only `cost`.
    pub(crate) fn snake_case_usage(self, holder: &mut Value) {
        if !self.has(AnswerVariant::SnakeCaseUsage) {
            return;
        }
        let only_cost = |usage: &mut Value| {
            if let Some(cost) = usage.get("cost").cloned() {
                *usage = json!({ "cost": cost });
            }
        };
        if let Some(usage) = holder.get_mut("usage") {
            only_cost(usage);
        }
        if let Some(usage) = holder.get_mut("data").and_then(|d| d.get_mut("usage")) {
            only_cost(usage);
        }
    }

    /// The pending answer of `newTask` / `run-task`: variants 3 and 4.
    pub(crate) fn pending(self, body: &mut Value) {
        self.pending_flag_only(body);
        self.pending_status_only(body);
    }

    /// The usage of a completed answer: variants 6, then 5 (`holder` as in
    /// [`Variants::usage_in_data`]).
    pub(crate) fn completed_usage(self, holder: &mut Value) {
        self.snake_case_usage(holder);
        self.usage_in_data(holder);
    }

    /// A completed inline answer (`{status, result:{type, data, usage}}`): variants 1, 2, 6, 5.
    pub(crate) fn inline_completed(self, body: &mut Value) {
        self.inline_without_status(body);
        self.result_without_type(body);
        self.completed_usage(&mut body["result"]);
    }
}

fn remove(body: &mut Value, key: &str) {
    if let Some(map) = body.as_object_mut() {
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_in_every_spelling_and_unknown_ones_are_refused() {
        for variant in AnswerVariant::ALL {
            assert_eq!(variant.as_str().parse::<AnswerVariant>(), Ok(variant));
            assert_eq!(variant.as_str().replace('_', "-").parse::<AnswerVariant>(), Ok(variant));
        }
        assert_eq!("usageInData".parse::<AnswerVariant>(), Ok(AnswerVariant::UsageInData));
        let err = "usage_beside".parse::<AnswerVariant>().unwrap_err();
        assert!(err.contains("usage_beside") && err.contains("snake_case_usage"), "{err}");
        assert!(check(&[AnswerVariant::PendingFlagOnly, AnswerVariant::PendingStatusOnly]).is_err());
        assert!(check(&[AnswerVariant::PendingFlagOnly, AnswerVariant::UsageInData]).is_ok());
    }

    #[test]
    fn completed_usage_goes_into_data_holding_only_cost() {
        let variants = Variants::new(&[AnswerVariant::UsageInData, AnswerVariant::SnakeCaseUsage]);
        let mut event = json!({"type":"task_completed","data":{"message":"m","prompt_tokens":8},
            "usage":{"inputTokens":8,"outputTokens":2,"computeTime":1.0,"cost":0.5}});
        variants.completed_usage(&mut event);
        assert_eq!(
            event,
            json!({"type":"task_completed","data":{"message":"m","prompt_tokens":8,"usage":{"cost":0.5}}})
        );
        let mut untouched = event.clone();
        Variants::default().completed_usage(&mut untouched);
        assert_eq!(untouched, event);
    }
}
