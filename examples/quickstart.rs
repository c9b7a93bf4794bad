//! Quickstart: one task, one call. The session is opened, the task run, the session ended.
//!
//!     cargo run -p enigma-examples --bin quickstart

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::RunTaskOptions;

#[tokio::main]
async fn main() -> common::Result {
    // `enigma::Client::new()` with ENIGMA_API_KEY set; without a key, a client on a simulator.
    let example = common::start().await?;
    let client = &example.client;

    let options = RunTaskOptions::new("Find the opening hours of the Louvre").timeout(Duration::from_secs(120));
    let result = client.run_task(options).await?;
    println!("{} - {}", result.outcome, result.message.as_deref().unwrap_or(""));
    println!("cost: {:?} USD, tokens: {:?}", result.usage.cost, result.usage.total_tokens);

    example.done().await;
    Ok(())
}
