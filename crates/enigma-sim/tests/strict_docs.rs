//! The documented-only mode (`SimConfig::strict_docs`): each of the simulator's extras
//! (docs/api-contract.md §9) is there by default and gone in strict mode, where every answer and
//! event has exactly the documented fields.

mod common;

use std::time::Duration;

use common::sio::{Incoming, SioClient, kinds, message_of};
use common::{Sim, fast};
use enigma_sim::SimConfig;
use serde_json::{Value, json};

/// Both modes: the default (extras on), then strict.
const MODES: [bool; 2] = [false, true];

/// A fast simulator in one mode; the inline wait is 5 simulated seconds (50 ms), so a long task's
/// `newTask` answers "pending" at once.
async fn sim(strict: bool) -> Sim {
    Sim::start(SimConfig { strict_docs: strict, rate_limit: None, inline_wait: Duration::from_secs(5), ..fast() }).await
}

fn new_task(text: &str) -> Value {
    json!({ "actionType": "newTask", "newState": "start", "taskDetails": text })
}

fn state(new_state: &str) -> Value {
    json!({ "actionType": "state", "newState": new_state })
}

/// The field names of an object, sorted.
fn keys(body: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = body.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// `names`, sorted.
fn fields(names: &[&'static str]) -> Vec<&'static str> {
    let mut names = names.to_vec();
    names.sort_unstable();
    names
}

/// Whether `body` has `field`.
fn has(body: &Value, field: &str) -> bool {
    body.get(field).is_some()
}

/// The payloads of the `message` events among `items`.
fn messages(items: &[Incoming]) -> Vec<&Value> {
    items
        .iter()
        .filter_map(|i| match i {
            Incoming::Event(name, data) if name == "message" => Some(data),
            _ => None,
        })
        .collect()
}

/// Everything received until nothing more comes for 200 ms.
async fn drain(socket: &mut SioClient) -> Vec<Incoming> {
    let mut seen = Vec::new();
    while let Some(item) = socket.next_within(Duration::from_millis(200)).await {
        seen.push(item);
    }
    seen
}

/// Creates a task over REST and returns its id (the answer names it in both modes).
async fn rest_task(sim: &Sim, session_id: &str, text: &str) -> String {
    let answer = sim.new_task(session_id, text).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["taskId"].as_str().expect("newTask names its task").to_owned()
}

#[tokio::test]
async fn the_start_answer_names_the_initial_task_only_by_default() {
    for strict in MODES {
        let sim = sim(strict).await;
        let answer = sim.post("/start/start-session", json!({ "taskDetails": "Find shoes" })).await;
        assert_eq!(answer.status, 200, "{:?}", answer.body);
        assert_eq!(has(&answer.body, "taskId"), !strict, "strict={strict}: {}", answer.body);
        if strict {
            let documented = fields(&[
                "success",
                "sessionId",
                "socketURL",
                "streaming",
                "initialPrompt",
                "expiresIn",
                "balance",
                "message",
            ]);
            assert_eq!(keys(&answer.body), documented, "{}", answer.body);
        }
        let (_, no_task) = sim.session("").await;
        assert_eq!(no_task, None, "no initial task, no id, in either mode");
    }
}

#[tokio::test]
async fn events_carry_task_ids_only_by_default_except_task_completed() {
    for strict in MODES {
        let sim = sim(strict).await;
        let (_, mut socket) = sim.session_with_socket().await;
        // A task that completes: agent, action, response_update, task_completed.
        socket.send(new_task("Search #sim steps=2"));
        let mut seen = socket.until_message("task_completed").await;
        // A guardrail question, answered; the task then completes.
        socket.send(new_task("Buy shoes #sim guardrail=\"Which size?\""));
        seen.extend(socket.until_message("guardrail_trigger").await);
        socket.send(json!({ "actionType": "guardrail", "taskDetails": "42", "newState": "resume" }));
        seen.extend(socket.until_message("task_completed").await);
        // A user's click during a task that then fails.
        socket.send(new_task("Open #sim fail=NAVIGATION_TIMEOUT duration=100"));
        seen.extend(socket.until_message("action").await);
        socket.send(json!({ "actionType": "interaction", "action": { "type": "CLICK", "x": 10, "y": 200 } }));
        seen.extend(socket.until_message("error").await);

        let events = messages(&seen);
        for kind in ["agent", "action", "response_update", "guardrail_trigger", "error", "task_completed"] {
            assert!(events.iter().any(|e| e["type"] == kind), "strict={strict}: no {kind} in {seen:?}");
        }
        for event in &events {
            let documented_id = event["type"] == "task_completed";
            assert_eq!(has(event, "taskId"), documented_id || !strict, "strict={strict}: {event}");
        }
        let click = events.iter().find(|e| e["type"] == "action" && e["data"]["name"] == "click").expect("the click");
        assert_eq!(has(click, "source"), !strict, "strict={strict}: {click}");
        let completed = message_of(&seen, "task_completed");
        assert_eq!(has(completed, "completedAt"), !strict, "strict={strict}: {completed}");
        assert_eq!(has(&completed["data"], "usage"), !strict, "strict={strict}: {completed}");
        assert!(completed["usage"]["cost"].is_number(), "{completed}");
        if strict {
            for event in &events {
                let documented = match event["type"].as_str().unwrap() {
                    "agent" => fields(&["type", "content"]),
                    "action" | "response_update" | "guardrail_trigger" => fields(&["type", "data"]),
                    "error" => fields(&["type", "error", "code"]),
                    "task_completed" => fields(&["type", "taskId", "data", "usage"]),
                    other => panic!("an undocumented event in strict mode: {other}: {event}"),
                };
                assert_eq!(keys(event), documented, "{event}");
            }
        }
    }
}

#[tokio::test]
async fn socket_commands_get_acks_and_command_errors_only_by_default() {
    for strict in MODES {
        let sim = sim(strict).await;
        let (_, mut socket) = sim.session_with_socket().await;
        socket.send(json!({ "actionType": "nope" }));
        let pause = socket.send_asking_ack(state("pause"));
        let create = socket.send_asking_ack(new_task("Search"));
        let mut seen = socket.until_message("task_completed").await;
        seen.extend(drain(&mut socket).await);

        let acks: Vec<u64> = seen
            .iter()
            .filter_map(|i| match i {
                Incoming::Ack(id, _) => Some(*id),
                _ => None,
            })
            .collect();
        if strict {
            assert_eq!(acks, Vec::<u64>::new(), "no acks in strict mode: {seen:?}");
        } else {
            assert!(acks.contains(&pause) && acks.contains(&create), "{seen:?}");
        }
        assert_eq!(kinds(&seen).contains(&"command_error".to_owned()), !strict, "strict={strict}: {seen:?}");
        // Acked or not, every command was applied.
        assert_eq!(sim.stats().await["socketMessages"]["total"], 3);
        assert_eq!(sim.stats().await["tasks"]["completed"], 1);
    }
}

#[tokio::test]
async fn a_stopped_task_is_told_by_task_stopped_only_by_default() {
    for strict in MODES {
        let sim = sim(strict).await;
        let (sid, mut socket) = sim.session_with_socket().await;
        let task_id = rest_task(&sim, &sid, "Crawl #sim duration=1000").await;
        sim.state(&sid, "stop").await;
        // The session's events arrive in order: the next task's completion comes after
        // anything the stop produced.
        socket.send(new_task("Next"));
        let seen = socket.until_message("task_completed").await;
        assert_eq!(kinds(&seen).contains(&"task_stopped".to_owned()), !strict, "strict={strict}: {seen:?}");
        let stopped = sim.poll(&sid, &task_id).await;
        assert_eq!(stopped["status"], "stopped", "{stopped}");
    }
}

#[tokio::test]
async fn polls_mark_paused_and_queued_tasks_only_by_default() {
    for strict in MODES {
        let sim = sim(strict).await;
        let (sid, mut socket) = sim.session_with_socket().await;
        let running = rest_task(&sim, &sid, "Crawl #sim duration=1000 steps=4").await;
        let queued = rest_task(&sim, &sid, "Then this #sim duration=1000").await;
        let running_poll = |body: &Value| {
            assert_eq!((&body["status"], &body["pending"]), (&json!("active"), &json!(true)), "{body}");
            if strict {
                assert_eq!(keys(body), fields(&["success", "status", "pending", "usage"]), "{body}");
            }
        };

        let waiting = sim.poll(&sid, &queued).await;
        running_poll(&waiting);
        assert_eq!(has(&waiting, "queued"), !strict, "strict={strict}: {waiting}");

        sim.state(&sid, "pause").await;
        socket
            .until(|i| {
                matches!(i, Incoming::Event(n, d)
                    if n == "message" && d["type"] == "agent" && d["content"].as_str().unwrap().starts_with("Paused"))
            })
            .await;
        let paused = sim.poll(&sid, &running).await;
        running_poll(&paused);
        assert_eq!(has(&paused, "paused"), !strict, "strict={strict}: {paused}");

        sim.state(&sid, "resume").await;
        let resumed = sim.poll(&sid, &running).await;
        running_poll(&resumed);
        assert!(!has(&resumed, "paused"), "{resumed}");

        let take_over = json!({ "actionType": "interaction", "action": { "type": "takeOverControl" } });
        assert_eq!(sim.send(&sid, take_over).await.status, 200);
        let manual = sim.poll(&sid, &running).await;
        running_poll(&manual);
        assert_eq!(has(&manual, "paused"), !strict, "strict={strict}: {manual}");
    }
}

#[tokio::test]
async fn final_polls_carry_ids_and_pending_false_only_by_default() {
    for strict in MODES {
        let sim = sim(strict).await;
        let (sid, _) = sim.session("").await;
        let ids = |body: &Value| has(body, "sessionId") && has(body, "taskId");
        let exactly = |body: &Value, documented: &[&'static str]| {
            if strict {
                assert_eq!(keys(body), fields(documented), "{body}");
            }
        };

        // Completed, inline then polled.
        let inline = sim.new_task(&sid, "Quick one").await.body;
        assert_eq!(inline["status"], "complete", "{inline}");
        assert!(ids(&inline), "inline answers name their task in both modes: {inline}");
        assert_eq!(has(&inline, "pending"), !strict, "strict={strict}: {inline}");
        exactly(&inline, &["success", "sessionId", "taskId", "status", "result"]);
        let completed = sim.poll(&sid, inline["taskId"].as_str().unwrap()).await;
        assert_eq!(completed["type"], "task_completed", "{completed}");
        assert_eq!((ids(&completed), has(&completed, "pending")), (!strict, !strict), "{completed}");
        exactly(&completed, &["success", "type", "data", "usage", "completedAt"]);

        // Failed, inline then polled.
        let inline = sim.new_task(&sid, "Open #sim fail=PAGE_CRASH").await.body;
        assert_eq!((&inline["success"], &inline["status"]), (&json!(false), &json!("failed")), "{inline}");
        assert!(ids(&inline), "{inline}");
        assert_eq!(has(&inline, "pending"), !strict, "strict={strict}: {inline}");
        exactly(&inline, &["success", "sessionId", "taskId", "status", "error", "code", "usage"]);
        let failed = sim.poll(&sid, inline["taskId"].as_str().unwrap()).await;
        assert_eq!(failed["code"], "PAGE_CRASH", "{failed}");
        assert_eq!((ids(&failed), has(&failed, "pending")), (!strict, !strict), "{failed}");
        exactly(&failed, &["success", "status", "error", "code", "usage"]);

        // A guardrail question, then stopped.
        let asking = rest_task(&sim, &sid, "Buy #sim guardrail=\"Which size?\"").await;
        let guardrail = sim.poll(&sid, &asking).await;
        assert_eq!(guardrail["type"], "guardrail_trigger", "{guardrail}");
        assert_eq!((ids(&guardrail), has(&guardrail, "usage")), (!strict, !strict), "{guardrail}");
        exactly(&guardrail, &["success", "type", "data"]);
        sim.state(&sid, "stop").await;
        let stopped = sim.poll(&sid, &asking).await;
        assert_eq!((&stopped["status"], &stopped["pending"]), (&json!("stopped"), &json!(false)), "{stopped}");
        assert_eq!(ids(&stopped), !strict, "{stopped}");
        exactly(&stopped, &["success", "status", "pending", "usage"]);

        // Running, then terminated with its session.
        let long = rest_task(&sim, &sid, "Crawl #sim duration=1000").await;
        let running = sim.poll(&sid, &long).await;
        assert_eq!(ids(&running), !strict, "{running}");
        sim.state(&sid, "terminate").await;
        let terminated = sim.poll(&sid, &long).await;
        assert_eq!((&terminated["status"], &terminated["pending"]), (&json!("terminated"), &json!(false)));
        assert_eq!((ids(&terminated), has(&terminated, "usage")), (!strict, !strict), "{terminated}");
        exactly(&terminated, &["success", "status", "pending"]);
    }
}
