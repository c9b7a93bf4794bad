//! What the flight recorder costs: per sequential `task.poll()` with recording on against off
//! (rounds alternate in one run, so both see the same machine), and the bytes it writes per task.
//!
//! `cargo bench -p enigma --bench record_cost` (`RECORD_BENCH_CALLS`, default 2000 per round)

use std::time::{Duration, Instant};

use enigma::{Client, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, Simulator};

const ROUNDS: usize = 5;
const KEY: &str = "enig_benchbenchbenchbenchbenchbe";

#[tokio::main]
async fn main() {
    let calls: usize = std::env::var("RECORD_BENCH_CALLS").ok().and_then(|n| n.parse().ok()).unwrap_or(2000);
    let sim = Simulator::start(SimConfig { time_scale: 0.01, rate_limit: None, ..SimConfig::default() })
        .await
        .expect("simulator");
    let dir = std::env::temp_dir().join(format!("enigma-record-bench-{}", std::process::id()));
    let off = Client::builder().api_key(KEY).base_url(sim.url()).ledger(enigma::LedgerSetting::Off).build().unwrap();
    let on = Client::builder()
        .api_key(KEY)
        .base_url(sim.url())
        .ledger(enigma::LedgerSetting::Off)
        .record(&dir)
        .build()
        .unwrap();

    // (a) Sequential polls of a finished task: the cheapest call, where a recorder shows most.
    let mut per_call = [Vec::new(), Vec::new()];
    let mut sessions = Vec::new();
    let mut tasks = Vec::new();
    for client in [&off, &on] {
        let session = client.start_session(SessionOptions::new()).await.unwrap();
        let task = session.new_task(TaskOptions::new("Bench")).await.unwrap();
        task.result(WaitOptions::new()).await.unwrap();
        tasks.push(task);
        sessions.push(session);
    }
    for _ in 0..ROUNDS {
        for (i, task) in tasks.iter().enumerate() {
            let started = Instant::now();
            for _ in 0..calls {
                task.poll().await.unwrap();
            }
            per_call[i].push(started.elapsed().as_secs_f64() * 1e6 / calls as f64);
        }
    }
    for session in &sessions {
        session.terminate().await.unwrap();
    }
    on.flush_recording(Duration::from_secs(10));
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (off_us, on_us) = (median(&mut per_call[0]), median(&mut per_call[1]));
    println!("(a) sequential task.poll(), {calls} calls x {ROUNDS} rounds each, median of rounds");
    println!("| recording | µs per call | ratio |");
    println!("|---|---|---|");
    println!("| off | {off_us:.1} | 1.00 |");
    println!("| on | {on_us:.1} | {:.3} |", on_us / off_us);

    // (b) Bytes per task: sessions of 5 default tasks each (3 steps: 10 events, a newTask and
    // its answer), recorded from start to terminate.
    let before = folder_bytes(&dir);
    let task_count = 20;
    for _ in 0..task_count / 5 {
        let session = on.start_session(SessionOptions::new()).await.unwrap();
        for n in 0..5 {
            let task = session.new_task(TaskOptions::new(format!("Find item {n}"))).await.unwrap();
            task.result(WaitOptions::new()).await.unwrap();
        }
        session.terminate().await.unwrap();
    }
    on.flush_recording(Duration::from_secs(10));
    let bytes = folder_bytes(&dir) - before;
    println!("\n(b) {task_count} tasks in sessions of 5 (each: start, 5 x newTask + events, terminate)");
    println!("bytes recorded per task: {:.0}", bytes as f64 / task_count as f64);
    let _ = std::fs::remove_dir_all(&dir);
}

fn folder_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir).map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()).unwrap_or(0)
}
