//! The library never takes the process's global `tracing` subscriber: with `ENIGMA_LOG=info`
//! set, building a client (and using it) leaves the slot free, so the program's own
//! `tracing_subscriber::fmt().init()` works. Only an application's explicit call
//! (`enigma::init_logging_from_env`, feature `env-log`) installs the SDK's stderr subscriber.
//! One test in a binary of its own: the global subscriber is process-wide.

mod common;

use enigma::RunTaskOptions;

#[tokio::test]
async fn building_and_using_a_client_with_enigma_log_set_leaves_the_global_subscriber_free() {
    // SAFETY: the only test of this binary; set before anything else runs.
    unsafe { std::env::set_var("ENIGMA_LOG", "info") };
    let sim = common::sim().await;
    let client = common::builder(&sim).build().expect("client");
    client.run_task(RunTaskOptions::new("Look around #sim duration=1")).await.expect("a task runs");
    assert!(
        tracing_subscriber::fmt().try_init().is_ok(),
        "the program installs its own subscriber after the SDK built a client and ran a task"
    );
}
