//! `enigma batch` end to end against `enigma sim`: the out file, bad input, a SIGKILL then a
//! rerun with the journal, the budget, lost create answers, Ctrl-C, and the built-in simulator.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

fn dir() -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("enigma-cli-batch-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_tasks(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn jsonl(n: usize, directive: &str) -> Vec<String> {
    (0..n)
        .map(|i| serde_json::json!({"task": format!("task {i} #sim {directive}"), "id": format!("t{i}")}).to_string())
        .collect()
}

fn out_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each out line is JSON"))
        .collect()
}

fn fast_sim() -> Sim {
    Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"])
}

fn until(limit: Duration, mut done: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_jsonl_csv_or_text_file_gives_one_out_line_per_task_with_its_line_number() {
    let sim = fast_sim();
    let dir = dir();
    let files = [
        write_tasks(&dir, "tasks.jsonl", &jsonl(4, "")),
        write_tasks(
            &dir,
            "tasks.csv",
            &["id,task,maxCost".into(), "a,first #sim cost=0.01,0.5".into(), "b,second,".into()],
        ),
        write_tasks(&dir, "tasks.txt", &["first task".into(), "".into(), "second task".into()]),
    ];
    for (file, expected_lines) in files.iter().zip([vec![1, 2, 3, 4], vec![2, 3], vec![1, 3]]) {
        let out = dir.join(format!("{}.out", file.file_name().unwrap().to_string_lossy()));
        let output = run(sim.enigma().arg("batch").arg(file).arg("--out").arg(&out));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let lines = out_lines(&out);
        let numbers: BTreeSet<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
        assert_eq!(
            numbers.into_iter().collect::<Vec<_>>(),
            expected_lines.iter().map(|n| *n as u64).collect::<Vec<_>>()
        );
        for line in &lines {
            assert_eq!(line["outcome"], "completed", "{line}");
            assert!(line["sessionId"].is_string() && line["taskId"].is_string());
            assert!(line["usage"]["cost"].as_f64().unwrap() > 0.0);
        }
        assert!(stdout(&output).contains("completed"), "summary table: {}", stdout(&output));
    }
}

#[test]
fn bad_input_names_the_lines_and_sends_nothing_unless_skip_invalid() {
    let sim = fast_sim();
    let dir = dir();
    let file = write_tasks(
        &dir,
        "tasks.jsonl",
        &[
            r#"{"task": "fine"}"#.into(),
            r#"{"task": "broken"#.into(),
            r#"{"task": "   "}"#.into(),
            r#"{"task": "x", "colour": "red"}"#.into(),
            r#"{"task": "also fine"}"#.into(),
        ],
    );
    let out = dir.join("out.jsonl");
    let refused = run(sim.enigma().arg("batch").arg(&file).arg("--out").arg(&out));
    assert_eq!(refused.status.code(), Some(3), "{}", stderr(&refused));
    let err = stderr(&refused);
    assert!(err.contains("line 2: not valid JSON"), "{err}");
    assert!(err.contains("line 3:") && err.contains("task_details"), "{err}");
    assert!(err.contains("line 4: unknown option 'colour'"), "{err}");
    assert!(err.contains("nothing was sent"), "{err}");
    assert_eq!(sim.stat(&["requests", "total"]), 0);

    let skipped = run(sim.enigma().arg("batch").arg(&file).arg("--out").arg(&out).arg("--skip-invalid"));
    assert_eq!(skipped.status.code(), Some(0), "{}", stderr(&skipped));
    let summary = stdout(&skipped);
    for line in [2, 3, 4] {
        assert!(summary.contains(&format!("skipped line {line}:")), "{summary}");
    }
    let lines: Vec<u64> = out_lines(&out).iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.contains(&1) && lines.contains(&5));
}

#[test]
fn sigkill_mid_batch_then_a_rerun_with_the_journal_creates_nothing_twice() {
    // Tasks of 400 ms that answer "pending" after 20 ms: most of a task runs after its create.
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0", "--inline-wait", "2"]);
    let dir = dir();
    let file = write_tasks(&dir, "tasks.jsonl", &jsonl(30, "duration=40"));
    let (out, journal) = (dir.join("out.jsonl"), dir.join("journal.jsonl"));
    let batch = |command: &mut Command| {
        command.arg("batch").arg(&file).arg("--out").arg(&out).arg("--journal").arg(&journal);
    };
    let mut first = sim.enigma();
    batch(&mut first);
    let mut child = first.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    // Kill once some tasks have finished and others are running (the journal says which).
    until(
        Duration::from_secs(30),
        || {
            let text = std::fs::read_to_string(&journal).unwrap_or_default();
            text.matches("\"ended\"").count() >= 5 && running_in_journal(&text).len() >= 3
        },
        "some tasks finished and some running",
    );
    child.kill().unwrap(); // SIGKILL: no cleanup at all
    child.wait().unwrap();
    let finished_before = out_lines(&out).len();
    let text = std::fs::read_to_string(&journal).unwrap();
    let running_at_kill = running_in_journal(&text);
    assert!(
        !running_at_kill.is_empty(),
        "the kill should catch tasks running: {text}\nout: {:?}",
        std::fs::read_to_string(&out)
    );

    let mut second = sim.enigma();
    batch(&mut second);
    let output = run(&mut second);
    let lines = out_lines(&out);
    // A create in flight at the kill has its answer lost for good: `unknown`, a failed task.
    let expected = match lines.iter().any(|l| l["outcome"] == "unknown") {
        true => readme_status("`batch`: every task ran, some failed"),
        false => readme_status("success"),
    };
    assert_eq!(output.status.code(), Some(expected), "{}", stderr(&output));
    let numbers: BTreeSet<u64> = lines.iter().map(|l| l["line"].as_u64().unwrap()).collect();
    assert_eq!(lines.len(), 30, "exactly one line per task");
    assert_eq!(numbers.len(), 30);
    assert!(finished_before >= 4, "{finished_before}");
    let reattached: BTreeSet<u64> =
        lines.iter().filter(|l| l["reattached"] == true).map(|l| l["index"].as_u64().unwrap()).collect();
    assert_eq!(reattached, running_at_kill, "the running ones were re-attached");
    let unknown = lines.iter().filter(|l| l["outcome"] == "unknown").count() as u64;
    let started = sim.stat(&["tasks", "started"]);
    assert!(started <= 30 && started + unknown >= 30, "no task created twice: {started} started, {unknown} unknown");
    until(Duration::from_secs(10), || sim.stat(&["sessions", "open"]) == 0, "no session left open");
}

/// Indexes the journal shows submitted and not ended.
fn running_in_journal(text: &str) -> BTreeSet<u64> {
    let mut running = BTreeSet::new();
    for line in text.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()) {
        let Some(i) = line["i"].as_u64() else { continue };
        match line["event"].as_str() {
            Some("submitted") => running.insert(i),
            _ => running.remove(&i),
        };
    }
    running
}

#[test]
fn the_budget_stops_the_batch_sends_stops_and_says_so() {
    let sim = fast_sim();
    let dir = dir();
    let file = write_tasks(&dir, "tasks.jsonl", &jsonl(12, "duration=60 cost=0.5"));
    let out = dir.join("out.jsonl");
    let output = run(sim.enigma().arg("batch").arg(&file).arg("--out").arg(&out).args(["--budget", "1"]));
    assert_eq!(output.status.code(), Some(readme_status("`batch`: the budget")), "{}", stderr(&output));
    assert!(stdout(&output).contains("budget reached"), "{}", stdout(&output));
    // Not a terminal: no status line (the spend against the budget shows only on one).
    let err = stderr(&output);
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(!err.contains("budget") && !err.contains("queued"), "{err}");
    assert!(sim.stat(&["commands", "byMessage", "state:stop"]) >= 1);
    assert!(out_lines(&out).iter().any(|l| l["outcome"] == "stopped" && l["errorCode"] == "budget"));
    assert!(sim.stat(&["tasks", "started"]) < 12);
    until(Duration::from_secs(10), || sim.stat(&["sessions", "open"]) == 0, "no session left open");
}

#[test]
fn a_batch_with_failed_tasks_and_a_bad_command_line_have_their_own_statuses() {
    let sim = fast_sim();
    let dir = dir();
    let mut lines = jsonl(2, "");
    lines.push(serde_json::json!({"task": "crash #sim fail=PAGE_CRASH"}).to_string());
    let file = write_tasks(&dir, "tasks.jsonl", &lines);
    let out = dir.join("out.jsonl");
    let output = run(sim.enigma().arg("batch").arg(&file).arg("--out").arg(&out));
    assert_eq!(
        output.status.code(),
        Some(readme_status("`batch`: every task ran, some failed")),
        "{}",
        stderr(&output)
    );
    assert_eq!(out_lines(&out).iter().filter(|l| l["outcome"] == "failed").count(), 1);
    let all_done = run(sim
        .enigma()
        .arg("batch")
        .arg(write_tasks(&dir, "ok.txt", &["fine".into()]))
        .arg("--out")
        .arg(dir.join("ok.out")));
    assert_eq!(all_done.status.code(), Some(readme_status("success")), "{}", stderr(&all_done));
    // A command line clap refuses: its usage status, distinct from every batch end.
    let usage = run(sim.enigma().args(["batch", "--no-such-flag"]));
    assert_eq!(usage.status.code(), Some(readme_status("usage")));
    assert_ne!(readme_status("usage"), readme_status("`batch`: the budget"));
}

#[test]
fn a_wait_for_the_rate_limit_says_so() {
    let sim = fast_sim();
    // The key's limit answers the first create with a 429 and a Retry-After of 1 s: the batch
    // waits, and says why.
    sim.fault(serde_json::json!({
        "endpoint": "POST /start/start-session", "status": 429, "code": "RATE_LIMIT_EXCEEDED", "retryAfter": 1
    }));
    let dir = dir();
    let file = write_tasks(&dir, "tasks.txt", &["only task".into()]);
    let output = run(sim.enigma().arg("batch").arg(&file).arg("--out").arg(dir.join("out.jsonl")));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("waiting for the rate limit: next create in 1 s"), "{err}");
}

#[test]
fn lost_create_answers_are_unknown_and_resubmitted_only_with_retry_unknown() {
    let sim = fast_sim();
    sim.fault(serde_json::json!({"endpoint": "POST /start/start-session", "action": "drop", "count": 2}));
    let dir = dir();
    let file = write_tasks(&dir, "tasks.jsonl", &jsonl(5, ""));
    let (out, journal) = (dir.join("out.jsonl"), dir.join("journal.jsonl"));
    let batch = |extra: &[&str]| {
        let mut command = sim.enigma();
        command
            .arg("batch")
            .arg(&file)
            .arg("--out")
            .arg(&out)
            .arg("--journal")
            .arg(&journal)
            .args(["--concurrency", "1"]);
        command.args(extra);
        run(&mut command)
    };
    assert_eq!(batch(&[]).status.code(), Some(readme_status("`batch`: every task ran, some failed")));
    let unknown: Vec<Value> = out_lines(&out).into_iter().filter(|l| l["outcome"] == "unknown").collect();
    assert_eq!(unknown.len(), 2);
    assert_eq!(unknown[0]["errorCode"], "outcome_unknown");
    assert_eq!(sim.stat(&["tasks", "started"]), 5);
    assert_eq!(batch(&[]).status.code(), Some(0));
    assert_eq!(sim.stat(&["tasks", "started"]), 5, "not resubmitted without --retry-unknown");
    assert_eq!(batch(&["--retry-unknown"]).status.code(), Some(0));
    assert_eq!(sim.stat(&["tasks", "started"]), 7);
    until(Duration::from_secs(10), || sim.stat(&["sessions", "open"]) == 0, "their sessions ended");
}

/// The batch started through `sh` with SIGINT's disposition set as asked: `''` ignored (a
/// background job), `-` the default.
fn spawn_with_sigint(command: &Command, disposition: &str) -> Child {
    let mut wrapped = Command::new("sh");
    wrapped
        .arg("-c")
        .arg(format!(r#"trap {disposition} INT; exec "$0" "$@""#))
        .arg(command.get_program())
        .args(command.get_args());
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(name, value),
            None => wrapped.env_remove(name),
        };
    }
    wrapped.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
}

#[test]
fn ctrl_c_terminates_every_session_and_exits_130() {
    for disposition in ["-", "''"] {
        let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0", "--inline-wait", "1"]);
        let dir = dir();
        let file = write_tasks(&dir, "tasks.jsonl", &jsonl(10, "duration=2000"));
        let mut command = sim.enigma();
        command
            .arg("batch")
            .arg(&file)
            .arg("--out")
            .arg(dir.join("out.jsonl"))
            .arg("--journal")
            .arg(dir.join("j.jsonl"));
        let mut child = spawn_with_sigint(&command, disposition);
        until(Duration::from_secs(20), || sim.stat(&["tasks", "running"]) >= 5, "five tasks running");
        let kill = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        assert!(kill.success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "disposition {disposition}");
        assert_eq!(sim.stat(&["sessions", "open"]), 0, "disposition {disposition}: nothing left open");
    }
}

#[test]
fn without_a_key_it_runs_on_the_built_in_simulator() {
    let dir = dir();
    let file =
        write_tasks(&dir, "tasks.txt", &["say hello #sim duration=0.5".into(), "say bye #sim duration=0.5".into()]);
    let out = dir.join("out.jsonl");
    let output = run(enigma().arg("batch").arg(&file).arg("--out").arg(&out));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("built-in simulator"));
    assert_eq!(out_lines(&out).len(), 2);
}

/// A key of a batch file is checked as written (either spelling, key by key): an unknown one is
/// named so, never as a renamed form, with the nearest known key suggested when one is close.
#[test]
fn an_unknown_key_is_named_as_written_with_the_nearest_known_one() {
    let sim = fast_sim();
    let dir = dir();
    let lines: [String; 4] = [
        r#"{"task": "x", "maxCots": 0.5}"#.into(),
        r#"{"task": "y", "max_cots": 0.5}"#.into(),
        r#"{"task": "z", "colour": "red"}"#.into(),
        r#"{"task": "w", "maxCost": -1}"#.into(),
    ];
    let file = write_tasks(&dir, "typos.jsonl", &lines);
    let csv = write_tasks(&dir, "typos.csv", &["task,startingURL".into(), "x,https://a.example".into()]);
    let out = dir.join("out.jsonl");
    let refused = run(sim.enigma().arg("batch").arg(&file).arg("--out").arg(&out));
    assert!(!refused.status.success());
    let err = stderr(&refused);
    assert!(err.contains("line 1: unknown option 'maxCots'; did you mean `maxCost`?"), "{err}");
    assert!(err.contains("line 2: unknown option 'max_cots'; did you mean `max_cost`?"), "{err}");
    assert!(err.contains("line 3: unknown option 'colour' (known: "), "no guess for a far key: {err}");
    assert!(err.contains("line 4: maxCost must be"), "a bad value is named as written too: {err}");
    assert!(!err.contains("max_cost must"), "{err}");
    let refused = run(sim.enigma().arg("batch").arg(&csv).arg("--out").arg(&out));
    let err = stderr(&refused);
    assert!(err.contains("line 2: unknown option 'startingURL'; did you mean `startingUrl`?"), "{err}");
    assert_eq!(sim.stat(&["requests", "total"]), 0);
}
