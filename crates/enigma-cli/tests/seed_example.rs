//! The seed page's JavaScript `controlFlowDemo` (tests/seed/control-flow-demo.js), run with
//! Node's built-in fetch against `enigma sim`, completes without error.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn the_seed_control_flow_demo_runs_against_the_simulator() {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "node is required in CI");
        eprintln!("skipped: node is not installed");
        return;
    }
    let sim = Sim::start(&["--time-scale", "0.1"]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/seed/control-flow-demo.js");
    let output = Command::new("node")
        .arg(script)
        .env("ENIGMA_BASE_URL", &sim.url)
        .env("ENIGMA_API_KEY", KEY)
        .output()
        .expect("node runs");
    let out = stdout(&output);
    assert!(output.status.success(), "stdout: {out}\nstderr: {}", stderr(&output));
    for line in ["Task paused for inspection", "Task resumed", "Session terminated"] {
        assert!(out.contains(line), "missing {line:?} in {out}");
    }
    let stats = sim.stats();
    assert_eq!(stats["sessions"]["open"], 0, "{stats}");
    assert_eq!(stats["tasks"]["completed"], 2, "the initial task and the new one: {stats}");
    assert_eq!(stats["requests"]["byMessage"]["state:pause"], 1);
    assert_eq!(stats["requests"]["byMessage"]["state:resume"], 1);
}
