//! A session with several tasks, one after the other, in the same browser.
//!
//!     cargo run -p enigma-examples --bin session

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{SessionOptions, TaskOptions, WaitOptions};

const STEPS: [&str; 3] =
    ["Search Wikipedia for 'Ada Lovelace'", "Open the article about her", "Find the year she was born"];

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let options = SessionOptions::new().starting_url("https://en.wikipedia.org");
    example
        .client
        .with_session(options, |session| async move {
            println!("session {} live view: {:?}", session.id(), session.live_view_url());
            for step in STEPS {
                let task = session.new_task(TaskOptions::new(step)).await?;
                let result = task.result(WaitOptions::new().timeout(Duration::from_secs(120))).await?;
                println!("'{step}' -> {}: {}", result.outcome.as_str(), result.message.unwrap_or_default());
            }
            Ok::<_, enigma::Error>(())
        })
        .await?; // the session is terminated here, whatever happened
    example.done().await;
    Ok(())
}
