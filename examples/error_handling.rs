//! Error handling: every failure is an `enigma::Error` with a stable `code()`.
//!
//!     cargo run -p enigma-examples --bin error_handling

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{Client, Error, RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let client = &example.client;

    // Bad input is refused before anything is sent, naming the field.
    match client.run_task(RunTaskOptions::new("")).await {
        Err(Error::Validation { field, .. }) => println!("validation: field={field}"),
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }

    // A wait that runs out of time leaves the task running: re-attach with `task_of` and wait again.
    let text = example.task("Summarise today's headlines", "#sim duration=100");
    client
        .with_session(SessionOptions::new(), |session| async move {
            let task = session.new_task(TaskOptions::new(text)).await?;
            if let Err(err @ Error::WaitTimeout { .. }) =
                task.result(WaitOptions::new().timeout(Duration::from_millis(50))).await
            {
                println!("wait_timeout: still running, waiting again");
                let again = client.task_of(&err).expect("a wait timeout names its task");
                let result = again.result(WaitOptions::new().timeout(Duration::from_secs(120))).await?;
                println!("then: {}", result.outcome.as_str());
            }
            Ok::<_, Error>(())
        })
        .await?;

    // The agent failing is an error too, with the service's code.
    if example.on_simulator() {
        // (the simulator can be told to fail; the service cannot)
        let text = example.task("Open a page that never loads", "#sim fail=NAVIGATION_TIMEOUT");
        if let Err(Error::TaskFailed { server_code, .. }) = client.run_task(RunTaskOptions::new(text)).await {
            println!("task_failed: {server_code}");
        }
    }

    // A wrong key: `code()`, `status()`, `server_code()` say what happened.
    let base_url = client.config().base_url.to_string();
    let bad = Client::builder().api_key(format!("enig_revoked{}", "0".repeat(24))).base_url(base_url).build()?;
    match bad.run_task(RunTaskOptions::new("Anything")).await {
        Err(err) => println!("{}: status={:?}", err.code(), err.status()),
        Ok(_) => return Err("a revoked key worked".into()),
    }
    example.done().await;
    Ok(())
}
