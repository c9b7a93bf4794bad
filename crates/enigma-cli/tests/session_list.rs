//! `enigma session list [--terminate]`: sessions left open by a process that was killed are
//! found in the ledger, checked against the simulator, and ended. The ledger is a file in a
//! temporary directory (ENIGMA_LEDGER): no test touches the user's state directory.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Sim, run, stderr, stdout};
use serde_json::Value;

fn temp_ledger(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("enigma-cli-ledger-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("sessions.jsonl")
}

/// The ids of the ledger's `opened` lines.
fn opened(ledger: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(ledger).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|r| r["event"] == "opened")
        .map(|r| r["sessionId"].as_str().unwrap().to_owned())
        .collect()
}

fn list(sim: &Sim, ledger: &Path, args: &[&str]) -> Vec<Value> {
    let output = run(sim.enigma().env("ENIGMA_LEDGER", ledger).args(["--json", "session", "list"]).args(args));
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

#[test]
fn sessions_of_a_killed_process_are_listed_and_terminated() {
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let ledger = temp_ledger("killed");

    // A session left open by a process that exited without ending it...
    let started = run(sim.enigma().env("ENIGMA_LEDGER", &ledger).args(["session", "start"]));
    assert!(started.status.success(), "{}", stderr(&started));
    // ...and one whose process was killed while its task ran (no handler runs on SIGKILL).
    let mut child = sim
        .enigma()
        .env("ENIGMA_LEDGER", &ledger)
        .args(["run", "Read every page #sim duration=80000"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while opened(&ledger).len() < 2 {
        assert!(Instant::now() < deadline, "the run never recorded its session");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(sim.stat(&["sessions", "open"]), 2, "{}", sim.stats());

    let listed = list(&sim, &ledger, &[]);
    let mut ids: Vec<&str> = listed.iter().map(|s| s["sessionId"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected = opened(&ledger);
    expected.sort();
    assert_eq!(ids, expected);
    for session in &listed {
        assert_eq!(session["state"], "open", "{session}");
        assert_eq!(session["keyLast4"], &common::KEY[common::KEY.len() - 4..]);
        assert_eq!(session["processAlive"], false, "{session}");
        assert_eq!(session["baseUrl"], sim.url.trim_end_matches('/'));
        assert!(
            session["command"].as_str().unwrap().contains("session start")
                || session["command"].as_str().unwrap().contains("run Read every page"),
            "{session}"
        );
        assert!(!session["command"].as_str().unwrap().contains(common::KEY), "the key never reaches the ledger");
    }
    assert_eq!(sim.stat(&["sessions", "open"]), 2, "listing ends nothing");

    let terminated = list(&sim, &ledger, &["--terminate"]);
    assert_eq!(terminated.len(), 2);
    assert!(terminated.iter().all(|s| s["state"] == "terminated"), "{terminated:?}");
    assert_eq!(sim.stat(&["sessions", "open"]), 0, "{}", sim.stats());
    assert!(list(&sim, &ledger, &[]).is_empty(), "recorded ended: listed no more");
    assert!(!std::fs::read_to_string(&ledger).unwrap().contains(common::KEY));
    let _ = std::fs::remove_dir_all(ledger.parent().unwrap());
}

#[test]
fn sessions_that_ended_elsewhere_or_belong_to_another_key_are_told_apart() {
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let ledger = temp_ledger("others");
    let start = |key: &str| {
        let output = run(sim
            .enigma()
            .env("ENIGMA_LEDGER", &ledger)
            .env("ENIGMA_API_KEY", key)
            .args(["--json", "session", "start"]));
        assert!(output.status.success(), "{}", stderr(&output));
        serde_json::from_str::<Value>(&stdout(&output)).unwrap()["sessionId"].as_str().unwrap().to_owned()
    };
    let ended_elsewhere = start(common::KEY);
    let other_key = start("enig_otherkeyotherkeyotherkeyothr");
    // Terminated without the ledger (ENIGMA_LEDGER=off): the ledger still says it is open.
    let off = run(sim.enigma().env("ENIGMA_LEDGER", "off").args(["session", "terminate", &ended_elsewhere]));
    assert!(off.status.success(), "{}", stderr(&off));

    let listed = list(&sim, &ledger, &["--terminate"]);
    let state = |id: &str| listed.iter().find(|s| s["sessionId"] == id).map(|s| s["state"].clone());
    assert_eq!(state(&ended_elsewhere), Some("ended".into()), "{listed:?}");
    assert_eq!(state(&other_key), Some("other_key_or_host".into()), "{listed:?}");
    assert_eq!(sim.stat(&["sessions", "open"]), 1, "another key's session is not ours to end");
    // The ended one is recorded ended; the other key's stays listed.
    let again = list(&sim, &ledger, &[]);
    assert_eq!(again.iter().map(|s| s["sessionId"].clone()).collect::<Vec<_>>(), vec![Value::from(other_key)]);
    let _ = std::fs::remove_dir_all(ledger.parent().unwrap());
}

#[test]
fn the_table_shows_age_key_process_and_command() {
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let ledger = temp_ledger("table");
    assert!(run(sim.enigma().env("ENIGMA_LEDGER", &ledger).args(["session", "start"])).status.success());
    let output = run(sim.enigma().env("ENIGMA_LEDGER", &ledger).args(["session", "list"]));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap().split_whitespace().collect::<Vec<_>>(),
        ["SESSION", "STATE", "AGE", "KEY", "PROCESS", "COMMAND"]
    );
    let row = lines.next().unwrap();
    assert!(row.contains(&opened(&ledger)[0]) && row.contains(" open ") && row.contains("gone"), "{text}");
    assert!(row.contains(&format!("…{}", &common::KEY[common::KEY.len() - 4..])), "{text}");
    assert!(lines.next().unwrap().starts_with("Ledger: "), "{text}");
    run(sim.enigma().env("ENIGMA_LEDGER", &ledger).args(["session", "list", "--terminate"]));
    let _ = std::fs::remove_dir_all(ledger.parent().unwrap());
}
