//! How soon the SDK returns a task's result after the service completes it, and how many
//! requests each task costs: socket push vs REST polling at the default 2 s interval, side by
//! side in one run against the simulator (real time, loopback).
//!
//! `cargo bench -p enigma --bench wait_latency` (N tasks per mode: `WAIT_BENCH_TASKS`, default 40)

use std::time::{Duration, Instant};

use enigma::{Client, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, SimHandle, Simulator};
use serde_json::Value;

struct Figures {
    latencies_ms: Vec<f64>,
    requests_per_task: f64,
}

#[tokio::main]
async fn main() {
    let tasks: usize = std::env::var("WAIT_BENCH_TASKS").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
    // Real time; the inline wait (0.5 s) ends before the 3 s tasks, so the SDK must wait.
    let config = SimConfig {
        time_scale: 1.0,
        inline_wait: Duration::from_millis(500),
        rate_limit: None,
        max_sessions: tasks as u32 * 2,
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).await.expect("simulator");
    println!("{tasks} tasks per mode, each ~3 s, concurrently, one session each, simulator on loopback\n");
    let socket = run(&sim, tasks, true).await;
    let polling = run(&sim, tasks, false).await;
    println!("| mode | p50 ms | p99 ms | max ms | requests per task |");
    println!("|---|---|---|---|---|");
    for (name, figures) in [("socket push", &socket), ("REST polling (2 s)", &polling)] {
        let mut sorted = figures.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        println!(
            "| {name} | {:.1} | {:.1} | {:.1} | {:.2} |",
            percentile(&sorted, 0.50),
            percentile(&sorted, 0.99),
            sorted.last().copied().unwrap_or_default(),
            figures.requests_per_task
        );
    }
    let ratio =
        percentile(&sorted(&polling.latencies_ms), 0.5) / percentile(&sorted(&socket.latencies_ms), 0.5).max(0.001);
    println!("\nsocket push returns results {ratio:.0}x sooner at p50");
}

async fn run(sim: &SimHandle, tasks: usize, live_events: bool) -> Figures {
    let key = format!("enig_bench{}{:0>18}", if live_events { "socket" } else { "pollng" }, tasks);
    let client = Client::builder().api_key(key).base_url(sim.url()).live_events(live_events).build().expect("client");
    let before = requests(sim);
    let runs = (0..tasks).map(|i| {
        let client = client.clone();
        async move {
            let session = client.start_session(SessionOptions::new()).await.expect("session");
            // When the simulator completes the task: its own event, in-process, same clock.
            let mut sim_events = sim.subscribe(session.id()).expect("the session exists");
            let completed = tokio::spawn(async move {
                loop {
                    let event: Value = sim_events.recv().await.expect("the simulator's events");
                    if event["event"] == "message" && event["data"]["type"] == "task_completed" {
                        return Instant::now();
                    }
                }
            });
            let task = session.new_task(TaskOptions::new(format!("Benchmark task {i}"))).await.expect("task");
            let result = task.result(WaitOptions::new()).await.expect("result");
            let returned = Instant::now();
            assert_eq!(result.outcome, enigma::Outcome::Completed);
            let completed = completed.await.expect("completion seen");
            (session, returned.saturating_duration_since(completed))
        }
    });
    let done = futures_util::future::join_all(runs).await;
    let spent = requests(sim) - before;
    let mut latencies_ms = Vec::new();
    for (session, latency) in done {
        latencies_ms.push(latency.as_secs_f64() * 1000.0);
        session.terminate().await.expect("terminate");
    }
    Figures { latencies_ms, requests_per_task: spent as f64 / tasks as f64 }
}

fn requests(sim: &SimHandle) -> u64 {
    sim.stats_json()["requests"]["total"].as_u64().unwrap_or_default()
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
