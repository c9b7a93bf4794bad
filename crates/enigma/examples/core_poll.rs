//! The raw core's cost of one sequential `task.poll()`: the baseline the binding benchmarks
//! (python/benchmarks/bench.py, node/benchmarks/bench.mjs) divide by, so every run of theirs
//! prints the binding's overhead against the core side by side, against the same simulator.
//!
//! `cargo run --release -p enigma --example core_poll -- BASE_URL API_KEY N` prints one JSON
//! line: `{"calls": N, "us_per_call": X}` (after 200 warm-up polls).

use std::time::Instant;

use enigma::{Client, SessionOptions, TaskOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, base_url, api_key, calls] = args.as_slice() else {
        return Err("usage: core_poll BASE_URL API_KEY N".into());
    };
    let calls: u32 = calls.parse()?;
    let client = Client::builder().base_url(base_url).api_key(api_key).build()?;
    let session = client.start_session(SessionOptions::new()).await?;
    let task = session.new_task(TaskOptions::new("bench")).await?;
    for _ in 0..200 {
        task.poll().await?;
    }
    let start = Instant::now();
    for _ in 0..calls {
        task.poll().await?;
    }
    let us_per_call = start.elapsed().as_secs_f64() * 1e6 / f64::from(calls);
    session.terminate().await?;
    println!("{{\"calls\": {calls}, \"us_per_call\": {us_per_call:.1}}}");
    Ok(())
}
