//! The session ledger (issue 19): every path that opens a session records it, every end the SDK
//! sees records that, the unended ones are listed and checked against the simulator, and a
//! ledger that cannot be written never fails a user's call. Each test writes its own ledger in
//! a temporary directory (`LedgerSetting::At`): none touches the user's state directory.

mod common;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use common::{builder, sim, stat, until_no_session_open};
use enigma::{BatchOptions, LedgerSetting, LedgerState, RunTaskOptions, SessionOptions, TaskSpec, WaitOptions};
use serde_json::Value;

fn temp_ledger(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("enigma-ledger-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("sessions.jsonl")
}

/// The ledger's lines as (event, session id).
fn lines(path: &PathBuf) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .map(|r| (r["event"].as_str().unwrap().to_owned(), r["sessionId"].as_str().unwrap().to_owned()))
        .collect()
}

fn count(lines: &[(String, String)], event: &str) -> usize {
    lines.iter().filter(|(e, _)| e == event).count()
}

#[tokio::test]
async fn every_path_that_opens_a_session_records_it_and_its_end() {
    let sim = sim().await;
    let path = temp_ledger("paths");
    let client = builder(&sim).ledger(LedgerSetting::At(path.clone())).build().unwrap();

    let with = client.with_session(SessionOptions::new(), |s| async move { Ok::<_, enigma::Error>(s.id().to_owned()) });
    let with = with.await.unwrap();
    client.run_task(RunTaskOptions::new("one shot #sim duration=1")).await.unwrap();
    let started = client.start_task(SessionOptions::new().task_details("started #sim duration=1").live_events(false));
    started.await.unwrap().result(WaitOptions::new()).await.unwrap();
    let specs = vec![TaskSpec::new("a #sim duration=1"), TaskSpec::new("b #sim duration=1")];
    client.run_many(specs, BatchOptions::default()).unwrap().finished().await;
    // Re-attaching opens nothing.
    let left = client.start_session(SessionOptions::new()).await.unwrap();
    client.session(left.id()).unwrap().terminate().await.unwrap();
    until_no_session_open(&sim).await;

    let lines = lines(&path);
    let opened = stat(&sim, "sessions.total") as usize;
    assert_eq!(opened, 6);
    assert_eq!(count(&lines, "opened"), opened, "{lines:?}");
    assert_eq!(count(&lines, "ended"), opened, "each end recorded once: {lines:?}");
    assert!(lines.contains(&("opened".into(), with.clone())) && lines.contains(&("ended".into(), with)));
    assert!(client.unended_sessions().unwrap().is_empty());
    assert!(!std::fs::read_to_string(&path).unwrap().contains(client.config().api_key.as_ref().unwrap().expose()));
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn a_session_left_open_is_listed_and_checked_but_not_ended_while_its_process_runs() {
    let sim = sim().await;
    let path = temp_ledger("open");
    let client = builder(&sim).ledger(LedgerSetting::At(path.clone())).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let ended_by_service = client.start_session(SessionOptions::new()).await.unwrap();
    // Ended behind the SDK's back: a client without a ledger terminates it.
    let key = client.config().api_key.as_ref().unwrap().expose().to_owned();
    let quiet = builder(&sim).api_key(key).ledger(LedgerSetting::Off).build().unwrap();
    quiet.session(ended_by_service.id()).unwrap().terminate().await.unwrap();

    let listed = client.unended_sessions().unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let mine = &listed[0];
    assert_eq!(mine.session_id, session.id());
    assert_eq!(mine.pid, std::process::id());
    assert_eq!(mine.process_alive, Some(true));
    assert_eq!(mine.key_last4.as_deref().map(str::len), Some(4));

    let checked = client.check_unended_sessions(true).await.unwrap();
    let state = |id: &str| checked.iter().find(|c| c.session.session_id == id).map(|c| c.state);
    assert_eq!(state(session.id()), Some(LedgerState::Open), "its process (this one) still runs: {checked:?}");
    assert_eq!(state(ended_by_service.id()), Some(LedgerState::Ended), "{checked:?} {}", sim.stats());
    assert_eq!(stat(&sim, "sessions.open"), 1, "nothing of a running process is ended");

    // Another key's view (`builder` gives each client a key of its own): not checked.
    let other = builder(&sim).ledger(LedgerSetting::At(path.clone())).build().unwrap();
    let seen = other.check_unended_sessions(false).await.unwrap();
    assert_eq!(seen.iter().map(|c| c.state).collect::<Vec<_>>(), [LedgerState::OtherKeyOrHost]);

    session.terminate().await.unwrap();
    assert!(client.unended_sessions().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn a_ledger_that_cannot_be_written_never_fails_a_call() {
    let sim = sim().await;
    let dir = temp_ledger("is-a-dir");
    std::fs::create_dir_all(&dir).unwrap();
    let warnings: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = warnings.clone();
    enigma::set_log_sink(tracing::Level::WARN, Some(Arc::new(move |r| sink.lock().unwrap().push(r.message))));
    // Under /proc nothing can be created, not even by root; a directory cannot be appended to.
    for path in [PathBuf::from("/proc/enigma-ledger-test/sessions.jsonl"), dir] {
        let client = builder(&sim).ledger(LedgerSetting::At(path.clone())).build().unwrap();
        for _ in 0..2 {
            let result = client.run_task(RunTaskOptions::new("still works #sim duration=1")).await;
            assert_eq!(result.unwrap().outcome, enigma::Outcome::Completed);
            let session = client.start_session(SessionOptions::new()).await.unwrap();
            session.terminate().await.unwrap();
        }
        assert!(!path.is_file(), "{path:?}");
        let said: Vec<String> = warnings.lock().unwrap().drain(..).collect();
        let about =
            |m: &&String| m.contains("session ledger cannot be written") && m.contains(&*path.to_string_lossy());
        assert_eq!(said.iter().filter(about).count(), 1, "one warning, then the ledger is off: {said:?}");
    }
    enigma::set_log_sink(tracing::Level::WARN, None);
    let _ = std::fs::remove_dir_all(temp_ledger("is-a-dir").parent().unwrap());
    until_no_session_open(&sim).await;
}

#[tokio::test]
async fn a_ledger_that_is_off_records_nothing_and_says_so_when_listed() {
    let sim = sim().await;
    let client = builder(&sim).ledger(LedgerSetting::Off).build().unwrap();
    client.run_task(RunTaskOptions::new("x #sim duration=1")).await.unwrap();
    assert_eq!(client.ledger_path(), None);
    let err = client.unended_sessions().unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(err.to_string().contains("ENIGMA_LEDGER"), "{err}");
}
