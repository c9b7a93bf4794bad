//! Ctrl-C: the first stops the command and terminates the session it opened, exit 130; a second
//! exits at once. Signals are real (`kill -INT`), and each case also runs with SIGINT ignored in
//! the child, as a background job or a CI runner starts it: the CLI installs its own handler.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// 250 simulated seconds: 25 s at the tests' time scale of 0.1, far longer than any test waits.
const LONG_TASK: &str = "A long task #sim duration=250";

/// `command`, started through `sh` with SIGINT ignored (`trap '' INT`) when `ignored`: the
/// ignored disposition survives `exec`, as it does for any child of a background shell.
fn spawn(command: &mut Command, ignored: bool) -> Child {
    let mut command = if ignored {
        let mut wrapped = Command::new("sh");
        wrapped.arg("-c").arg(r#"trap '' INT; exec "$0" "$@""#).arg(command.get_program()).args(command.get_args());
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

fn interrupt(child: &Child) {
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
}

/// Waits for the child's exit code, failing after `limit`.
fn exit_code(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        assert!(Instant::now() < deadline, "the child did not exit within {limit:?}");
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
fn a_second_ctrl_c_exits_at_once() {
    let sim = Sim::start(&["--time-scale", "0.1"]);
    let mut child = spawn(sim.enigma().args(["run", LONG_TASK]), true);
    wait_for_line(&mut child, "the agent is working");
    eventually(&sim, &["tasks", "started"], 1);
    // The terminate's answer is held for a minute: only a second Ctrl-C ends the wait.
    sim.fault(serde_json::json!({"endpoint": "POST /start/send-message", "action": "delay", "delayMs": 60000}));
    interrupt(&child);
    wait_for_line(&mut child, "press Ctrl-C again");
    interrupt(&child);
    assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(130));
}

#[test]
fn ctrl_c_during_watch_exits_130_and_leaves_the_watched_session_alone() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let started = run(sim.enigma().args(["session", "start"]));
    let session_id = stdout(&started).trim().to_owned();
    let mut child = spawn(sim.enigma().args(["watch", &session_id]), true);
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.contains("live connection up"), "{line}");
    interrupt(&child);
    assert_eq!(exit_code(&mut child, Duration::from_secs(15)), Some(130));
    assert_eq!(sim.stat(&["sessions", "open"]), 1, "watch did not open it: it is not watch's to end");
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
