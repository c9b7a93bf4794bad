//! Logging an application switches on (feature `env-log`): `ENIGMA_LOG` read by
//! `enigma::init_logging_from_env` prints to stderr (checked in a child process, since the
//! subscriber is process-wide), and a log sink (what the Node binding uses) receives the
//! requests, retries, socket connects and classifier decisions. The key is never in either.

mod common;

use std::process::Command;
use std::sync::{Arc, Mutex};

use common::{builder, fault, sim};
use enigma::{LogRecord, RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
use serde_json::json;
use tracing::Level;

const CHILD: &str = "ENIGMA_TEST_LOG_CHILD";

/// Runs a task with one retried poll, so that every kind of record shows up once. Returns the
/// key it used (to look for it in the output).
async fn busy_client_work() -> String {
    let sim = sim().await;
    let client = builder(&sim).build().expect("client");
    let key = client.config().api_key.as_ref().expect("key").expose().to_owned();
    let session = client.start_session(SessionOptions::new()).await.expect("session");
    let task = session.new_task(TaskOptions::new("Look around #sim duration=2")).await.expect("task");
    fault(&sim, json!({"endpoint": "GET /task", "status": 503, "count": 1})).await;
    task.poll().await.expect("a poll, retried once");
    task.result(WaitOptions::new()).await.expect("result");
    client.run_task(RunTaskOptions::new("One shot #sim duration=1")).await.expect("run_task");
    session.terminate().await.expect("terminate");
    key
}

#[tokio::test]
async fn a_log_sink_receives_requests_retries_socket_connects_and_classifier_decisions() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let records: Arc<Mutex<Vec<LogRecord>>> = Arc::default();
    let sink = records.clone();
    assert!(
        enigma::set_log_sink(Level::DEBUG, Some(Arc::new(move |r| sink.lock().unwrap().push(r)))),
        "the SDK's subscriber is installed (this test binary has no other)"
    );
    let key = busy_client_work().await;
    enigma::set_log_sink(Level::DEBUG, None);

    let seen = records.lock().unwrap().clone();
    let has = |text: &str| seen.iter().any(|r| r.message.contains(text));
    for expected in ["request", "answer", "retrying", "socket.io: connected", "classified the task answer"] {
        assert!(has(expected), "a record says {expected:?}; got {:#?}", seen.iter().take(40).collect::<Vec<_>>());
    }
    assert!(seen.iter().all(|r| r.target.starts_with("enigma")), "only the SDK's own targets");
    assert!(seen.iter().all(|r| !r.message.contains(&key)), "the key is never logged");
    let count = seen.len();

    // Removed, the sink receives nothing more.
    busy_client_work().await;
    assert_eq!(records.lock().unwrap().len(), count, "no record after the sink was removed");
}

#[test]
fn enigma_log_debug_prints_the_traffic_to_stderr_with_span_ids_and_never_the_key() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "child_runs_a_task_with_enigma_log_set", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("ENIGMA_LOG", "debug")
        .output()
        .expect("child runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    let key =
        stdout.split("KEY=").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("the child prints its key");
    for expected in [
        "enigma::rest::http",
        "request",
        "retrying",
        "socket.io: connected",
        "classified the task answer",
        "new_task{session=",
        "poll{session=",
        "run_task:start_task",
    ] {
        assert!(stderr.contains(expected), "stderr has {expected:?}:\n{stderr}");
    }
    assert!(!stderr.contains(key), "the key never appears");
    assert!(!stderr.contains('\x1b'), "no colour codes when stderr is not a terminal");
    assert!(!stderr.contains("hyper") && !stderr.contains("rustls"), "a bare level covers the SDK only");
}

#[tokio::test]
async fn child_runs_a_task_with_enigma_log_set() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    // What the CLI and the bindings do at start: the library alone never installs it.
    assert!(enigma::init_logging_from_env(), "ENIGMA_LOG installs the SDK's stderr subscriber");
    let key = busy_client_work().await;
    println!("KEY={key}");
}
