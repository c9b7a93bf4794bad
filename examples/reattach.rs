//! Re-attach to a session from another process: this program starts a session and a task, then
//! runs itself again as a child that finds them by their ids alone and waits for the result.
//!
//!     cargo run -p enigma-examples --bin reattach

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{SessionOptions, TaskOptions, WaitOptions};

#[tokio::main]
async fn main() -> common::Result {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let example = common::start().await?;
    if let [session_id, task_id] = args.as_slice() {
        // The child: ENIGMA_API_KEY / ENIGMA_BASE_URL come from the parent's environment.
        let task = example.client.task(session_id, task_id)?; // no request: ids are enough
        let result = task.result(WaitOptions::new().timeout(Duration::from_secs(300))).await?;
        println!(
            "[child] task {} of session {}: {}",
            task.id().unwrap_or_default(),
            task.session_id(),
            result.outcome.as_str()
        );
    } else {
        let child_env = example.child_env();
        let text = example.task("Find the weather in Paris", "#sim duration=20");
        example
            .client
            .with_session(SessionOptions::new(), |session| async move {
                let task = session.new_task(TaskOptions::new(text)).await?;
                // The id, once the service named the task (a handle can exist before).
                let task_id = task.wait_for_id().await?;
                println!("[parent] started task {task_id} in session {}", session.id());
                let status = tokio::process::Command::new(std::env::current_exe()?)
                    .args([session.id(), task_id.as_str()])
                    .envs(child_env)
                    .status()
                    .await?;
                if !status.success() {
                    return Err(format!("the child failed: {status}").into());
                }
                Ok::<_, Box<dyn std::error::Error>>(())
            })
            .await?;
        println!("[parent] session terminated");
    }
    example.done().await;
    Ok(())
}
