//! Every Rust example runs to exit 0 on the in-process simulator (no ENIGMA_API_KEY), and says
//! what it is about. The Python and Node examples are run by python/tests/test_examples.py and
//! node/test/examples.test.mjs; tests/parity.rs checks the three sets match.

use std::process::Command;

/// Runs one example binary without a key and returns its stdout.
fn run(binary: &str) -> String {
    let output = Command::new(binary)
        .env_remove("ENIGMA_API_KEY")
        .env_remove("ENIGMA_BASE_URL")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {binary}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{binary} exited with {}\nstdout:\n{stdout}\nstderr:\n{stderr}", output.status);
    assert!(
        stderr.contains("in-process simulator") || binary.ends_with("testing"),
        "{binary} said nothing of the simulator: {stderr}"
    );
    stdout
}

macro_rules! example {
    ($name:ident, $($expected:literal),+) => {
        #[test]
        fn $name() {
            let stdout = run(env!(concat!("CARGO_BIN_EXE_", stringify!($name))));
            $(assert!(stdout.contains($expected), "{} printed no {:?}:\n{stdout}", stringify!($name), $expected);)+
        }
    };
}

example!(quickstart, "completed - ");
example!(session, "Find the year she was born' -> completed");
example!(control, "paused: true", "resumed: true", "outcome: stopped");
example!(cost_ceiling, "(limit 0.10 USD)");
example!(guardrail, "the agent asks: Which size", "completed - ");
example!(live_events, "thinking:", "doing:", "done:");
example!(manual_interaction, "handed back", "completed - ");
example!(reattach, "[child] task", ": completed", "[parent] session terminated");
example!(
    error_handling,
    "validation: field=task_details",
    "wait_timeout",
    "task_failed: NAVIGATION_TIMEOUT",
    "authentication: status=Some(401)"
);
example!(testing, "3 checks passed");
