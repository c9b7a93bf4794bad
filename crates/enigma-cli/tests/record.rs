//! `enigma --record DIR` and `enigma sim --replay DIR`: a run recorded (the key from the
//! environment never in it), replayed to the same result, and a changed command told the first
//! difference.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn a_recorded_run_replays_and_a_changed_one_is_told_the_difference() {
    let dir = std::env::temp_dir().join(format!("enigma-cli-record-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let task = format!("Find laptops (my key is {KEY})");
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let recorded = run(sim.enigma().arg("--record").arg(&dir).args(["--json", "run", &task]));
    assert!(recorded.status.success(), "{}", stderr(&recorded));
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(!text.contains(KEY), "the key is in the recording");
    assert!(text.contains("my key is [redacted]"));

    let replay = Sim::start(&["--replay", dir.to_str().unwrap()]);
    let replayed = run(replay.enigma().args(["--json", "run", &task]));
    assert!(replayed.status.success(), "{}{}", stdout(&replayed), stderr(&replayed));
    let (a, b): (Value, Value) =
        (serde_json::from_str(&stdout(&recorded)).unwrap(), serde_json::from_str(&stdout(&replayed)).unwrap());
    for field in ["outcome", "sessionId", "taskId", "usage"] {
        assert_eq!(a[field], b[field], "{field}");
    }
    // What the recorder blanked comes back blanked.
    assert_eq!(b["message"], a["message"].as_str().unwrap().replace(KEY, "[redacted]"));
    assert_eq!(replay.stats()["replay"]["complete"], true, "{}", replay.stats());

    let changed = Sim::start(&["--replay", dir.to_str().unwrap()]);
    let output = run(changed.enigma().args(["--json", "run", "Find tablets"]));
    assert_eq!(output.status.code(), Some(3), "{}", stdout(&output));
    let first = changed.stats()["replay"]["firstDifference"].as_str().unwrap().to_owned();
    assert!(first.starts_with("expected POST /start/start-session with taskDetails = "), "{first}");
    assert!(first.ends_with(", got \"Find tablets\""), "{first}");
    assert!(stdout(&output).contains("REPLAY_MISMATCH"), "{}", stdout(&output));
}

#[test]
fn a_replay_of_nothing_is_refused_at_start() {
    let output = run(enigma().args(["sim", "--replay", "/nonexistent/enigma-recording.jsonl"]));
    assert!(!output.status.success());
    assert!(stderr(&output).contains("/nonexistent/enigma-recording.jsonl"), "{}", stderr(&output));
}
