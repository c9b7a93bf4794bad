//! Quickstart: one task, one call. The session is opened, the task run, the session ended.
//!
//!     cargo run -p enigma-examples --bin quickstart

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{RunTaskOptions, WaitOptions};

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let task = example.task("Find the opening hours of the Louvre", "");
    let options = RunTaskOptions { wait: WaitOptions::new().timeout(Duration::from_secs(120)), ..RunTaskOptions::new(task) };
    let result = example.client.run_task(options).await?;
    println!("{} - {}", result.outcome.as_str(), result.message.as_deref().unwrap_or(""));
    println!("cost: {:?} USD, tokens: {:?}", result.usage.cost, result.usage.total_tokens);
    example.done().await;
    Ok(())
}
