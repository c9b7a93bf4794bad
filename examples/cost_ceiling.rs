//! A cost ceiling: the wait stops the task once its cost passes `max_cost`.
//!
//!     cargo run -p enigma-examples --bin cost_ceiling

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{Error, RunTaskOptions, WaitOptions};

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let task = example.task("Research 50 laptops and compare them", "#sim duration=60 cost=2.0");
    let wait = WaitOptions::new().max_cost(0.10).timeout(Duration::from_secs(300));
    match example.client.run_task(RunTaskOptions { wait, ..RunTaskOptions::new(task) }).await {
        Ok(result) => println!("finished under the ceiling: {} {:?}", result.outcome.as_str(), result.usage.cost),
        // The SDK sent `stop`; the session was ended with the call.
        Err(Error::CostLimit { usage, limit, task_id, .. }) => {
            println!("stopped at {:.2} USD (limit {limit:.2} USD), task {task_id}", usage.cost.unwrap_or_default())
        }
        Err(other) => return Err(other.into()),
    }
    example.done().await;
    Ok(())
}
