//! Manual interaction: take over the browser, click and type, then hand it back to the agent.
//!
//!     cargo run -p enigma-examples --bin manual_interaction

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{SessionOptions, TaskOptions, Typing, WaitOptions};

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let options = SessionOptions::new().starting_url("https://duckduckgo.com");
    let text = example.task("Search for mechanical keyboards", "#sim duration=30");
    example
        .client
        .with_session(options, |session| async move {
            let task = session.new_task(TaskOptions::new(text)).await?;
            session.take_over().await?; // the agent waits while we drive
            session.click(512, 300).await?; // x 0-1024, y 155-755 (the page area)
            session.type_text("mechanical keyboard", Typing::HumanLike).await?;
            session.press_key("Enter").await?;
            session.release().await?; // the agent carries on
            println!("handed back; live view: {:?}", session.live_view_url());
            let result = task.result(WaitOptions::new().timeout(Duration::from_secs(300))).await?;
            println!("{} - {}", result.outcome.as_str(), result.message.unwrap_or_default());
            Ok::<_, enigma::Error>(())
        })
        .await?;
    example.done().await;
    Ok(())
}
