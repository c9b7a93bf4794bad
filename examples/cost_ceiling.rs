//! A cost ceiling: the wait stops the task once its cost passes `max_cost`.
//! The ceiling is checked from the first answer on: a new task's request waits up to 50 s
//! for an inline result, and a task that ends within it cannot be stopped earlier.
//!
//!     cargo run -p enigma-examples --bin cost_ceiling

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{Error, RunTaskOptions};

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let task = example.task("Research 50 laptops and compare them", "#sim duration=600 cost=0.5");
    let options = RunTaskOptions::new(task).max_cost(0.10).timeout(Duration::from_secs(300));
    match example.client.run_task(options).await {
        Ok(result) => println!("finished under the ceiling: {} {:?}", result.outcome, result.usage.cost),
        // The SDK sent `stop`; the session was ended with the call.
        Err(Error::CostLimit { usage, limit, task_id, .. }) => {
            let task = task_id.as_deref().unwrap_or("(not named yet)");
            println!("stopped at {:.2} USD (limit {limit:.2} USD), task {task}", usage.cost.unwrap_or_default())
        }
        Err(other) => return Err(other.into()),
    }
    example.done().await;
    Ok(())
}
