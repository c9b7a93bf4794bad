//! The replay's clock against the recording's millisecond times: what the run received before
//! an answer its program waited for is never held back behind the write that came after it,
//! and an answer the run received after a write is not sent before that write.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::time::Instant;

use super::{SessionReplay, Taken};
use crate::replay::difference::Write;
use crate::replay::recording::{Http, Kind, Record, Recording};

fn state(new_state: &str) -> Value {
    json!({"actionType": "state", "newState": new_state})
}

fn post(t: f64, line: usize, message: Value, ms: f64, response: Value) -> Record {
    let request = json!({"sessionId": "s", "message": message});
    let http = Http {
        method: "POST".into(),
        path: "/start/send-message".into(),
        status: Some(200),
        headers: Map::new(),
        request: Some(request),
        response,
        ms,
    };
    Record { t, line, kind: Kind::Http(http) }
}

fn event(t: f64, line: usize, data: Value) -> Record {
    Record { t, line, kind: Kind::Event { name: "message".into(), data } }
}

fn replay(mut records: Vec<Record>) -> SessionReplay {
    records.sort_by(|a, b| a.t.total_cmp(&b.t));
    let recording = Recording {
        file: "s.jsonl".into(),
        session_id: "s".into(),
        base_url: "http://127.0.0.1:1".into(),
        wall: String::new(),
        records,
        truncated: false,
    };
    SessionReplay::new(Arc::new(recording), 1.0, Instant::now())
}

fn sent(message: Value) -> Write {
    Write::Post { path: "/start/send-message".into(), body: json!({"sessionId": "s", "message": message}) }
}

fn answer_of(taken: Taken) -> (usize, f64) {
    match taken {
        Taken::Answer { index, at, .. } => (index, at),
        Taken::Command => panic!("a POST gets an answer"),
    }
}

/// The run: `stop` sent at 0.343 and answered 3 ms later; `task_stopped` received just before
/// that answer; `terminate` sent at once after it. Rounded to the millisecond, the event reads
/// 0.347, a hair past `terminate` (0.346).
#[test]
fn what_came_before_an_awaited_answer_is_not_held_behind_the_next_write() {
    let ok = json!({"success": true});
    let mut session = replay(vec![
        post(0.343, 2, state("stop"), 3.0, ok.clone()),
        event(0.347, 1, json!({"type": "task_stopped", "taskId": "t"})),
        post(0.346, 3, state("terminate"), 1.0, ok),
    ]);
    let start = Instant::now();
    let (stop, at) = answer_of(session.take(&sent(state("stop")), start).unwrap());
    let later = start + Duration::from_millis(10);
    let (name, data) = session.due_event(later).expect("the event the run received first");
    assert_eq!((name.as_str(), data["type"].as_str()), ("message", Some("task_stopped")));
    assert_eq!(session.answer_now(stop, at, later), Ok(()), "then the stop's answer");
    assert!(session.take(&sent(state("terminate")), later).is_ok());
}

/// The run: a task's create waiting inline; the cost ceiling's `stop` sent at 0.343 while it
/// waited; the create answered at 0.345, after the stop left. In the replay the create's answer
/// waits for the program's stop, so the program stops the task as it did.
#[test]
fn an_answer_the_run_received_after_a_write_waits_for_that_write() {
    let stopped = json!({"success": true, "taskId": "t", "status": "stopped"});
    let mut session = replay(vec![
        post(0.282, 1, json!({"actionType": "newTask", "newState": "start", "taskDetails": "x"}), 63.0, stopped),
        post(0.343, 2, state("stop"), 3.0, json!({"success": true})),
    ]);
    let create = sent(json!({"actionType": "newTask", "newState": "start", "taskDetails": "x"}));
    let start = Instant::now();
    let (index, at) = answer_of(session.take(&create, start).unwrap());
    let later = start + Duration::from_secs(5);
    assert!(session.answer_now(index, at, later).is_err(), "held until the stop is sent");
    session.take(&sent(state("stop")), later).unwrap();
    let after_the_stop = later + Duration::from_millis(10);
    assert_eq!(session.answer_now(index, at, after_the_stop), Ok(()));
}

/// The run: a guardrail question at 0.1, answered at 0.2 over the socket, the task completed
/// at 0.5, heard by its event (no poll after the answer). A poll in the replay between the
/// answer and the completion finds the task running again, not the answered question.
#[test]
fn a_question_answered_is_no_longer_the_news_of_its_task() {
    let question = json!({"type": "guardrail_trigger", "taskId": "t", "data": {"value": "Which one?"}});
    let answer = json!({"actionType": "guardrail", "taskDetails": "That one", "newState": "resume"});
    let mut session = replay(vec![
        event(0.1, 1, question),
        Record { t: 0.2, line: 2, kind: Kind::Command { data: answer.clone() } },
        event(0.5, 3, json!({"type": "task_completed", "taskId": "t", "data": {"message": "Done"}})),
    ]);
    let start = Instant::now();
    let polled = |session: &SessionReplay, at: Duration| session.read("/task/s/t", "t", start + at).1;
    assert_eq!(polled(&session, Duration::from_millis(150))["type"], "guardrail_trigger", "asked");
    session.take(&Write::Command { message: answer }, start + Duration::from_millis(200)).unwrap();
    let running = polled(&session, Duration::from_millis(300));
    assert_eq!((running["status"].as_str(), running["pending"].as_bool()), (Some("active"), Some(true)));
    assert_eq!(polled(&session, Duration::from_millis(600))["type"], "task_completed", "then done");
}
