//! Pause, resume and stop a running task.
//!
//!     cargo run -p enigma-examples --bin control

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{SessionOptions, Task, TaskOptions, TaskState, WaitOptions};

/// Whether a poll shows the task paused.
async fn is_paused(task: &Task) -> enigma::Result<bool> {
    Ok(matches!(task.poll().await?.state, TaskState::Running { paused: true }))
}

/// Commands travel over the live connection; a poll shows them once the agent took them.
async fn wait_until_paused(task: &Task, paused: bool) -> enigma::Result<bool> {
    for _ in 0..100 {
        if is_paused(task).await? == paused {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    is_paused(task).await
}

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let options = SessionOptions::new().starting_url("https://www.amazon.com");
    let text = example.task("Compare the three cheapest laptops", "#sim duration=120");
    let client = &example.client;
    client
        .with_session(options, |session| async move {
            let task = session.new_task(TaskOptions::new(text)).await?;
            session.pause().await?;
            println!("paused: {}", wait_until_paused(&task, true).await?);
            session.resume().await?;
            println!("resumed: {}", !wait_until_paused(&task, false).await?);
            session.stop().await?;
            let result = task.result(WaitOptions::new().timeout(Duration::from_secs(60))).await?;
            println!("outcome: {}", result.outcome.as_str()); // "stopped"
            Ok::<_, enigma::Error>(())
        })
        .await?; // the session is terminated here, whatever happened
    example.done().await;
    Ok(())
}
