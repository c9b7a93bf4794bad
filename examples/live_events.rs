//! Live events printed as they come: the agent's thoughts and actions, then the outcome.
//!
//!     cargo run -p enigma-examples --bin live_events

#[path = "_common.rs"]
mod common;

use enigma::{Event, SessionOptions, TaskOptions};

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let options = SessionOptions::new().starting_url("https://news.ycombinator.com");
    let text = example.task("Find the top story", "#sim steps=4");
    example
        .client
        .with_session(options, |session| async move {
            let mut events = session.events();
            let mut task = None;
            while let Some(event) = events.next().await {
                match event {
                    // Events are not replayed: start the work once the stream is live.
                    Event::Connected if task.is_none() => {
                        task = Some(session.new_task(TaskOptions::new(text.clone())).await?);
                    }
                    Event::AgentThought { content, .. } => println!("thinking: {content}"),
                    Event::Action { name, target, .. } => println!("doing:    {name} {}", target.unwrap_or_default()),
                    Event::TaskCompleted { message, .. } => {
                        println!("done:     {message}");
                        break;
                    }
                    ended @ (Event::TaskError { .. } | Event::Guardrail { .. } | Event::SessionEnded { .. }) => {
                        println!("ended:    {ended:?}");
                        break;
                    }
                    _ => {}
                }
            }
            Ok::<_, enigma::Error>(())
        })
        .await?;
    example.done().await;
    Ok(())
}
