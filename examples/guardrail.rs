//! A guardrail answered: the agent stops to ask a question, we answer, it goes on.
//!
//!     cargo run -p enigma-examples --bin guardrail

#[path = "_common.rs"]
mod common;

use std::time::Duration;

use enigma::{GuardrailDecision, Outcome, SessionOptions, TaskOptions, WaitOptions};

const ANSWERS: [(&str, &str); 2] = [("size", "Size 42"), ("password", "Use the guest checkout instead")];

#[tokio::main]
async fn main() -> common::Result {
    let example = common::start().await?;
    let options = SessionOptions::new().starting_url("https://shop.example.com");
    let text = example.task("Buy the blue running shoes", "#sim guardrail=\"Which size should I pick?\"");
    example
        .client
        .with_session(options, |session| async move {
            let task = session.new_task(TaskOptions::new(text)).await?;
            let wait = WaitOptions::new().timeout(Duration::from_secs(300));
            let mut result = task.result(wait).await?;
            while result.outcome == Outcome::Guardrail {
                let question = result.question.clone().unwrap_or_default();
                println!("the agent asks: {question}");
                let answer = ANSWERS
                    .iter()
                    .find(|(key, _)| question.to_lowercase().contains(key))
                    .map_or("Your choice", |(_, answer)| answer);
                println!("we answer: {answer}");
                session.answer_guardrail(answer, GuardrailDecision::Resume).await?;
                result = task.result(wait).await?; // the same task, waited on again
            }
            println!("{} - {}", result.outcome.as_str(), result.message.unwrap_or_default());
            Ok::<_, enigma::Error>(())
        })
        .await?;
    example.done().await;
    Ok(())
}
