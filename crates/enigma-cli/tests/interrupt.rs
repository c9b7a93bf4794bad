//! Ctrl-C (SIGINT) and SIGTERM: the first stops the command and terminates the sessions it
//! opened, exit 130 / 143; a second signal of either kind exits at once. Signals are real
//! (`kill -INT`, `kill -TERM`), and cases also run with both ignored in the child, as a
//! background job or a CI runner starts it: the CLI installs its own handlers.

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// 250 simulated seconds: 25 s at the tests' time scale of 0.1, far longer than any test waits.
const LONG_TASK: &str = "A long task #sim duration=250";

/// `command`, started through `sh` with SIGINT and SIGTERM ignored (`trap '' INT TERM`) when
/// `ignored`: the ignored disposition survives `exec`, as it does for any child of a background
/// shell.
fn spawn(command: &mut Command, ignored: bool) -> Child {
    let mut command = if ignored {
        let mut wrapped = Command::new("sh");
        wrapped
            .arg("-c")
            .arg(r#"trap '' INT TERM; exec "$0" "$@""#)
            .arg(command.get_program())
            .args(command.get_args());
        for (name, value) in command.get_envs() {
            match value {
                Some(value) => wrapped.env(name, value),
                None => wrapped.env_remove(name),
            };
        }
        wrapped
    } else {
        std::mem::replace(command, Command::new("true"))
    };
    command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the binary starts")
}

/// Sends `signal` (`INT`, `TERM`) to the child.
fn send(child: &Child, signal: &str) {
    let status =
        Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
}

/// The exit status the CLI ends with on `signal`: 128 + its number, as a shell reports it.
fn status_of(signal: &str) -> i32 {
    match signal {
        "INT" => 130,
        "TERM" => 143,
        other => panic!("no status for {other}"),
    }
}

fn interrupt(child: &Child) {
    send(child, "INT");
}

/// Waits for the child's exit code, failing after `limit` (and killing the child then, so that
/// a failed test leaves no process behind).
fn exit_code(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reads stderr lines until one contains `needle`.
fn wait_for_line(child: &mut Child, needle: &str) {
    let mut reader = BufReader::new(child.stderr.as_mut().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "stderr ended before {needle:?}");
        if line.contains(needle) {
            return;
        }
    }
}

fn eventually(sim: &Sim, path: &[&str], expected: u64) {
    for _ in 0..500 {
        if sim.stat(path) == expected {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{path:?} never became {expected}: {}", sim.stats());
}

#[test]
fn ctrl_c_during_run_terminates_the_session_and_exits_130() {
    for ignored in [false, true] {
        let sim = Sim::start(&["--time-scale", "0.1"]);
        let mut child = spawn(sim.enigma().args(["run", LONG_TASK]), ignored);
        wait_for_line(&mut child, "the agent is working");
        eventually(&sim, &["tasks", "started"], 1);
        assert_eq!(sim.stat(&["sessions", "open"]), 1);
        interrupt(&child);
        assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(130), "SIGINT ignored at start: {ignored}");
        assert_eq!(sim.stat(&["sessions", "open"]), 0, "SIGINT ignored at start: {ignored}");
        assert_eq!(sim.stat(&["requests", "byMessage", "state:terminate"]), 1);
    }
}

#[test]
fn ctrl_c_while_session_start_is_answered_terminates_the_session_it_made() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    sim.fault(serde_json::json!({"endpoint": "POST /start/start-session", "action": "delay", "delayMs": 1500}));
    let mut child = spawn(sim.enigma().args(["session", "start"]), true);
    eventually(&sim, &["requests", "byEndpoint", "POST /start/start-session"], 1);
    interrupt(&child);
    assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(130));
    assert_eq!(sim.stat(&["sessions", "total"]), 1, "the session was made");
    assert_eq!(sim.stat(&["sessions", "open"]), 0, "and terminated before the command exited");
}

#[test]
fn a_signal_during_watch_exits_with_its_status_and_leaves_the_watched_session_alone() {
    for signal in ["INT", "TERM"] {
        let sim = Sim::start(&["--time-scale", "0.01"]);
        let started = run(sim.enigma().args(["session", "start"]));
        let session_id = stdout(&started).trim().to_owned();
        let mut child = spawn(sim.enigma().args(["watch", &session_id]), true);
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(line.contains("live connection up"), "{line}");
        send(&child, signal);
        assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(status_of(signal)), "SIG{signal}");
        assert_eq!(sim.stat(&["sessions", "open"]), 1, "watch did not open it: it is not watch's to end");
    }
}

#[test]
fn ctrl_c_during_watch_json_ends_its_output_with_one_error_object_on_one_line() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let started = run(sim.enigma().args(["session", "start"]));
    let session_id = stdout(&started).trim().to_owned();
    let mut child = spawn(sim.enigma().args(["--json", "watch", &session_id]), false);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains("\"connected\""), "{first}");
    interrupt(&child);
    assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(130));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let lines: Vec<serde_json::Value> = rest
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: not one object: {l:?}")))
        .collect();
    let last = lines.last().expect("an error object");
    assert_eq!(last["error"]["code"], "cancelled", "{rest}");
}

#[test]
fn run_refuses_bad_input_before_opening_a_session() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    for args in [&["run", ""][..], &["run", "   "], &["run", "x", "--max-cost=-1"], &["run", "x", "--timeout", "0"]] {
        let output = run(sim.enigma().args(args));
        assert_eq!(output.status.code(), Some(3), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("validation"), "{}", stderr(&output));
    }
    assert_eq!(sim.stat(&["sessions", "total"]), 0);
    assert_eq!(sim.stat(&["requests", "total"]), 0, "{}", sim.stats());
}

/// Waits until `done`, failing after `limit`.
fn until(limit: Duration, mut done: impl FnMut() -> bool, what: &str) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Terminates sent, by whichever path (REST or the live connection).
fn terminates(sim: &Sim) -> u64 {
    sim.stat(&["commands", "byMessage", "state:terminate"])
}

#[test]
fn sigterm_during_run_terminates_the_session_and_exits_143() {
    for ignored in [false, true] {
        // A short inline wait: the create is answered and the task is seen running.
        let sim = Sim::start(&["--time-scale", "0.1", "--inline-wait", "1"]);
        let mut child = spawn(sim.enigma().args(["run", LONG_TASK]), ignored);
        wait_for_line(&mut child, "the agent is working");
        eventually(&sim, &["tasks", "running"], 1);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(sim.stat(&["sessions", "open"]), 1);
        send(&child, "TERM");
        assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(143), "SIGTERM ignored at start: {ignored}");
        assert_eq!(sim.stat(&["sessions", "open"]), 0, "SIGTERM ignored at start: {ignored}: {}", sim.stats());
        assert_eq!(terminates(&sim), 1, "{}", sim.stats());
    }
}

/// At the service's own 50 s inline wait (time scale 1): SIGTERM a second after the start, while
/// the create is still held, ends the session at once, not when the inline wait ends.
#[test]
fn sigterm_while_the_default_inline_wait_holds_the_create_terminates_at_once() {
    let sim = Sim::start(&[]);
    let start = Instant::now();
    let mut child = spawn(sim.enigma().args(["run", "A minute's task #sim duration=60"]), false);
    wait_for_line(&mut child, "the agent is working");
    eventually(&sim, &["tasks", "started"], 1);
    std::thread::sleep(Duration::from_secs(1).saturating_sub(start.elapsed()));
    assert_eq!(sim.stat(&["tasks", "running"]), 1, "the create is in flight: {}", sim.stats());
    let signalled = Instant::now();
    send(&child, "TERM");
    assert_eq!(exit_code(&mut child, Duration::from_secs(60)), Some(143));
    let took = signalled.elapsed();
    assert!(took < Duration::from_secs(10), "exit {took:?} after SIGTERM: it waited for the inline wait");
    assert_eq!(sim.stat(&["sessions", "open"]), 0, "{}", sim.stats());
    assert_eq!(sim.stat(&["tasks", "running"]), 0, "{}", sim.stats());
    assert_eq!(terminates(&sim), 1, "{}", sim.stats());
}

#[test]
fn a_second_signal_of_either_kind_exits_at_once_with_its_status() {
    for (first, second) in [("INT", "INT"), ("TERM", "TERM"), ("INT", "TERM"), ("TERM", "INT")] {
        let sim = Sim::start(&["--time-scale", "0.1", "--inline-wait", "1"]);
        let mut child = spawn(sim.enigma().args(["run", LONG_TASK]), true);
        wait_for_line(&mut child, "the agent is working");
        eventually(&sim, &["tasks", "running"], 1);
        std::thread::sleep(Duration::from_millis(300));
        // The terminate's answer is held for a minute, past the CLI's 10 s cleanup limit: only
        // the second signal ends the wait at once.
        sim.fault(serde_json::json!({"endpoint": "POST /start/send-message", "action": "delay", "delayMs": 60000}));
        send(&child, first);
        wait_for_line(&mut child, "at once)");
        let signalled = Instant::now();
        send(&child, second);
        assert_eq!(exit_code(&mut child, Duration::from_secs(30)), Some(status_of(second)), "SIG{first}, SIG{second}");
        let took = signalled.elapsed();
        assert!(took < Duration::from_secs(5), "SIG{first}, SIG{second}: exit {took:?} after the second signal");
    }
}

/// A fresh directory for a batch's files.
fn batch_dir() -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("enigma-cli-signals-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `enigma batch` over three tasks of a simulated minute each, with an out file and a journal.
fn long_batch(sim: &Sim) -> Command {
    let dir = batch_dir();
    let file = dir.join("tasks.jsonl");
    let lines: Vec<String> = (0..3)
        .map(|i| serde_json::json!({"task": format!("task {i} #sim duration=60"), "id": format!("t{i}")}).to_string())
        .collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let mut command = sim.enigma();
    command.arg("batch").arg(file).arg("--out").arg(dir.join("out.jsonl")).arg("--journal").arg(dir.join("j.jsonl"));
    command
}

#[test]
fn sigterm_during_batch_terminates_every_session_and_exits_143() {
    for ignored in [false, true] {
        let sim = Sim::start(&["--time-scale", "0.1", "--rate-limit", "0", "--inline-wait", "1"]);
        let mut child = spawn(&mut long_batch(&sim), ignored);
        until(Duration::from_secs(20), || sim.stat(&["tasks", "running"]) == 3, "three tasks running");
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(sim.stat(&["sessions", "open"]), 3);
        send(&child, "TERM");
        assert_eq!(exit_code(&mut child, Duration::from_secs(20)), Some(143), "SIGTERM ignored at start: {ignored}");
        assert_eq!(sim.stat(&["sessions", "open"]), 0, "SIGTERM ignored at start: {ignored}: {}", sim.stats());
        assert_eq!(sim.stat(&["tasks", "running"]), 0, "{}", sim.stats());
        assert_eq!(terminates(&sim), 3, "{}", sim.stats());
    }
}

#[test]
fn a_second_sigterm_during_batch_exits_at_once() {
    let sim = Sim::start(&["--time-scale", "0.1", "--rate-limit", "0", "--inline-wait", "1"]);
    let mut child = spawn(&mut long_batch(&sim), true);
    until(Duration::from_secs(20), || sim.stat(&["tasks", "running"]) == 3, "three tasks running");
    std::thread::sleep(Duration::from_millis(300));
    // Terminates are held for a minute: only the second signal ends the wait.
    sim.fault(serde_json::json!({"endpoint": "POST /start/send-message", "action": "delay", "delayMs": 60000}));
    send(&child, "TERM");
    wait_for_line(&mut child, "a second signal quits at once");
    let signalled = Instant::now();
    send(&child, "TERM");
    assert_eq!(exit_code(&mut child, Duration::from_secs(30)), Some(143));
    // One quick round of terminates (3 s at most), then out.
    let took = signalled.elapsed();
    assert!(took < Duration::from_secs(8), "exit {took:?} after the second signal");
}

#[test]
fn sigterm_stops_enigma_sim() {
    let mut child = spawn(enigma().args(["sim", "--port", "0"]), true);
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("Enigma simulator listening on "), "{line}");
    send(&child, "TERM");
    assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(0));
}
