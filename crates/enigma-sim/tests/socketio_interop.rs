//! Interop with code no one here wrote: the official npm `socket.io-client` v4
//! (`tests/interop/socketio-client/client.mjs`) against the in-process simulator.
//!
//! Needs `node` and `npm ci` in that folder. Without them the test prints a note and passes,
//! unless `CI` is set, where it fails.

mod common;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use common::Sim;

/// Prints why the test cannot run; fails under CI.
fn unavailable(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "socket.io interop test cannot run under CI: {why}");
    eprintln!("SKIPPED socket.io-client interop test: {why}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_socket_io_client_gets_a_task_completed() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop/socketio-client");
    if !dir.join("node_modules/socket.io-client").is_dir() {
        return unavailable(&format!("run `npm ci` in {} first", dir.display()));
    }
    let sim = Sim::fast().await;
    let child = tokio::process::Command::new("node")
        .arg("client.mjs")
        .arg(sim.handle.url())
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn();
    let child = match child {
        Ok(child) => child,
        Err(e) => return unavailable(&format!("cannot run node: {e}")),
    };
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("client.mjs finished in time")
        .expect("client.mjs ran");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("client.mjs stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(output.status.success(), "client.mjs failed ({}):\n{stdout}\n{stderr}", output.status);
    assert!(stdout.contains("\"type\":\"agent\""), "{stdout}");
    assert!(stdout.contains("OK task"), "{stdout}");
    let stats = sim.stats().await;
    assert_eq!(stats["socketMessages"]["byMessage"]["newTask"], 1, "{stats}");
    assert_eq!(stats["requests"]["byEndpoint"]["GET /task"], 0, "{stats}");
}
