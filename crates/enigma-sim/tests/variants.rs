//! The documented variants of the task answers (`SimConfig::answer_variants`): each changes the
//! raw answer as docs/api-contract.md ("One answer, several documented shapes") says, and only
//! that answer; the figures in it stay the same.

mod common;

use std::time::Duration;

use common::sio::message_of;
use common::{Sim, fast};
use enigma_sim::{AnswerVariant, SimConfig, Simulator};
use serde_json::{Value, json};

/// The raw answers of one simulator: a quick task's inline result, completion event and poll;
/// a long task's pending answer and running poll; a guardrail question's inline answer; and
/// run-task's inline result and pending answer.
#[derive(Debug)]
struct Answers {
    inline: Value,
    event: Value,
    polled: Value,
    pending: Value,
    running: Value,
    guardrail: Value,
    one_shot: Value,
    one_shot_pending: Value,
}

const QUICK: &str = "Find the opening hours of the Louvre";
const LONG: &str = "Crawl the catalogue #sim duration=1000";

/// Every answer of [`Answers`] from a simulator answering in `variants` (with `strict_docs`
/// as given). The inline wait is 20 simulated seconds: a default task (3 s) ends within it, a
/// long one does not.
async fn answers(variants: &[AnswerVariant], strict_docs: bool) -> Answers {
    let config = SimConfig {
        answer_variants: variants.to_vec(),
        strict_docs,
        rate_limit: None,
        inline_wait: Duration::from_secs(20),
        ..fast()
    };
    let sim = Sim::start(config).await;
    let (sid, mut socket) = sim.session_with_socket().await;
    let inline = sim.new_task(&sid, QUICK).await.body;
    let seen = socket.until_message("task_completed").await;
    let event = message_of(&seen, "task_completed").clone();
    let polled = sim.poll(&sid, inline["taskId"].as_str().expect("named")).await;
    let pending = sim.new_task(&sid, LONG).await.body;
    let running = sim.poll(&sid, pending["taskId"].as_str().expect("named")).await;
    sim.state(&sid, "stop").await;
    let guardrail = sim.new_task(&sid, "Buy shoes #sim guardrail=\"Which size?\"").await.body;
    sim.state(&sid, "terminate").await;
    let one_shot = sim.post("/start/run-task", json!({ "taskDetails": QUICK })).await.body;
    let one_shot_pending = sim.post("/start/run-task", json!({ "taskDetails": LONG })).await.body;
    Answers { inline, event, polled, pending, running, guardrail, one_shot, one_shot_pending }
}

fn has(body: &Value, field: &str) -> bool {
    body.get(field).is_some()
}

/// The figures of a completed answer, wherever the shape put them: tokens from `data`'s
/// snake_case, cost from `usage` beside or inside `data`.
fn figures(holder: &Value) -> (Value, Value, Value, Value) {
    let data = &holder["data"];
    let cost = holder.get("usage").unwrap_or(&data["usage"])["cost"].clone();
    (data["prompt_tokens"].clone(), data["completion_tokens"].clone(), data["total_tokens"].clone(), cost)
}

/// Checks what no variant changes: the same outcome and figures as the default answers.
fn same_figures(answers: &Answers, default: &Answers) {
    assert_eq!(figures(&answers.inline["result"]), figures(&default.inline["result"]), "{:?}", answers.inline);
    assert_eq!(figures(&answers.one_shot["result"]), figures(&default.one_shot["result"]), "{:?}", answers.one_shot);
    assert_eq!(figures(&answers.polled), figures(&default.polled), "{:?}", answers.polled);
    assert_eq!(figures(&answers.event), figures(&default.event), "{:?}", answers.event);
    assert!(figures(&answers.polled).3.is_number(), "{:?}", answers.polled);
    assert_eq!(answers.polled["type"], "task_completed", "{:?}", answers.polled);
    assert_eq!(answers.event["type"], "task_completed", "{:?}", answers.event);
    assert_eq!(answers.guardrail["result"]["type"], "guardrail_trigger", "{:?}", answers.guardrail);
    // A running poll keeps its documented shape under every variant.
    assert_eq!((&answers.running["status"], &answers.running["pending"]), (&json!("active"), &json!(true)));
    assert!(answers.running["usage"]["inputTokens"].is_number(), "{:?}", answers.running);
}

#[tokio::test]
async fn by_default_the_answers_carry_every_documented_field() {
    let default = answers(&[], false).await;
    for inline in [&default.inline, &default.one_shot] {
        assert_eq!(inline["status"], "complete", "{inline}");
        assert_eq!(inline["result"]["type"], "task_completed", "{inline}");
        assert!(inline["result"]["usage"]["inputTokens"].is_number(), "{inline}");
        assert!(inline["result"]["data"]["prompt_tokens"].is_number(), "{inline}");
        assert!(!has(&inline["result"]["data"], "usage"), "{inline}");
    }
    for pending in [&default.pending, &default.one_shot_pending, &default.guardrail] {
        assert_eq!((&pending["status"], &pending["pending"]), (&json!("pending"), &json!(true)), "{pending}");
    }
    assert!(default.polled["usage"]["computeTime"].is_number(), "{}", default.polled);
    assert!(!has(&default.polled["data"], "usage"), "{}", default.polled);
    assert!(default.event["usage"]["inputTokens"].is_number(), "{}", default.event);
    same_figures(&default, &default);
}

#[tokio::test]
async fn inline_without_status_leaves_status_off_the_inline_result() {
    let default = answers(&[], false).await;
    let varied = answers(&[AnswerVariant::InlineWithoutStatus], false).await;
    for inline in [&varied.inline, &varied.one_shot] {
        assert!(!has(inline, "status"), "{inline}");
        assert_eq!(inline["result"]["type"], "task_completed", "{inline}");
        assert_eq!(inline["success"], true, "{inline}");
    }
    // The pending answers keep theirs.
    assert_eq!(varied.pending["status"], "pending", "{}", varied.pending);
    assert_eq!(varied.one_shot_pending["status"], "pending", "{}", varied.one_shot_pending);
    same_figures(&varied, &default);
}

#[tokio::test]
async fn result_without_type_sends_the_inline_result_as_data_only() {
    let default = answers(&[], false).await;
    let varied = answers(&[AnswerVariant::ResultWithoutType], false).await;
    for inline in [&varied.inline, &varied.one_shot] {
        assert!(!has(&inline["result"], "type"), "{inline}");
        assert!(inline["result"]["data"]["message"].is_string(), "{inline}");
        assert_eq!(inline["status"], "complete", "{inline}");
    }
    // A guardrail's inline `result` keeps its type, and polls and events are flat as ever.
    assert_eq!(varied.guardrail["result"]["type"], "guardrail_trigger", "{}", varied.guardrail);
    same_figures(&varied, &default);
}

#[tokio::test]
async fn pending_flag_only_marks_a_pending_answer_with_pending_true_alone() {
    let default = answers(&[], false).await;
    let varied = answers(&[AnswerVariant::PendingFlagOnly], false).await;
    for pending in [&varied.pending, &varied.one_shot_pending, &varied.guardrail] {
        assert!(!has(pending, "status"), "{pending}");
        assert_eq!(pending["pending"], true, "{pending}");
        assert!(pending["taskId"].is_string() && pending["pollUrl"].is_string(), "{pending}");
    }
    assert_eq!(varied.inline["status"], "complete", "{}", varied.inline);
    same_figures(&varied, &default);
}

#[tokio::test]
async fn pending_status_only_marks_a_pending_answer_with_its_status_alone() {
    let default = answers(&[], false).await;
    let varied = answers(&[AnswerVariant::PendingStatusOnly], false).await;
    for pending in [&varied.pending, &varied.one_shot_pending, &varied.guardrail] {
        assert!(!has(pending, "pending"), "{pending}");
        assert_eq!(pending["status"], "pending", "{pending}");
    }
    same_figures(&varied, &default);
}

#[tokio::test]
async fn usage_in_data_moves_the_usage_of_completed_answers_into_data() {
    let default = answers(&[], false).await;
    // In strict mode too: there the event's `data.usage` is not the extra copy but the variant.
    for strict in [false, true] {
        let varied = answers(&[AnswerVariant::UsageInData], strict).await;
        for holder in [&varied.inline["result"], &varied.one_shot["result"], &varied.polled, &varied.event] {
            assert!(!has(holder, "usage"), "strict={strict}: {holder}");
            assert!(holder["data"]["usage"]["cost"].is_number(), "strict={strict}: {holder}");
        }
        for holder in [&varied.inline["result"], &varied.polled] {
            assert!(holder["data"]["usage"]["inputTokens"].is_number(), "{holder}");
            assert!(holder["data"]["prompt_tokens"].is_number(), "{holder}");
        }
        same_figures(&varied, &default);
    }
}

#[tokio::test]
async fn snake_case_usage_gives_the_tokens_in_data_and_only_the_cost_in_usage() {
    let default = answers(&[], false).await;
    let varied = answers(&[AnswerVariant::SnakeCaseUsage], false).await;
    for holder in [&varied.inline["result"], &varied.one_shot["result"], &varied.polled, &varied.event] {
        let usage = holder["usage"].as_object().expect("usage beside data");
        assert_eq!(usage.keys().collect::<Vec<_>>(), ["cost"], "{holder}");
        for field in ["prompt_tokens", "completion_tokens", "total_tokens", "completion_time"] {
            assert!(holder["data"][field].is_number(), "{field} in {holder}");
        }
    }
    // The event's extra copy inside `data` follows suit.
    assert_eq!(varied.event["data"]["usage"].as_object().unwrap().len(), 1, "{}", varied.event);
    same_figures(&varied, &default);
}

#[tokio::test]
async fn compatible_variants_combine() {
    let default = answers(&[], false).await;
    let pending_marker = [AnswerVariant::PendingFlagOnly, AnswerVariant::PendingStatusOnly];
    for (leave_out, strict) in [(AnswerVariant::PendingStatusOnly, false), (AnswerVariant::PendingFlagOnly, true)] {
        let all: Vec<AnswerVariant> = AnswerVariant::ALL.into_iter().filter(|v| *v != leave_out).collect();
        let varied = answers(&all, strict).await;
        for inline in [&varied.inline, &varied.one_shot] {
            assert!(!has(inline, "status") && !has(&inline["result"], "type"), "{inline}");
            assert!(!has(&inline["result"], "usage"), "{inline}");
            assert_eq!(inline["result"]["data"]["usage"], json!({ "cost": inline["result"]["data"]["usage"]["cost"] }));
        }
        assert_eq!(varied.polled["data"]["usage"].as_object().unwrap().len(), 1, "{}", varied.polled);
        let kept = pending_marker.into_iter().find(|v| *v != leave_out).unwrap();
        let marker = if kept == AnswerVariant::PendingFlagOnly { "pending" } else { "status" };
        for pending in [&varied.pending, &varied.one_shot_pending] {
            assert!(has(pending, marker), "{pending}");
            assert!(!(has(pending, "status") && has(pending, "pending")), "one marker only: {pending}");
        }
        same_figures(&varied, &default);
    }
}

#[tokio::test]
async fn the_two_pending_markers_exclude_each_other() {
    let config =
        SimConfig { answer_variants: vec![AnswerVariant::PendingFlagOnly, AnswerVariant::PendingStatusOnly], ..fast() };
    let err = Simulator::start(config).await.unwrap_err();
    assert!(err.to_string().contains("answer_variants"), "{err}");
}
