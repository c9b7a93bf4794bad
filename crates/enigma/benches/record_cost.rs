//! What the flight recorder costs: per sequential `task.poll()` with recording on against off,
//! and the bytes it writes per task.
//!
//! `cargo bench -p enigma --bench record_cost` (`RECORD_BENCH_CALLS` per round, default 2000;
//! `RECORD_BENCH_ROUNDS`, default 15)
//!
//! The two clients take turns in one run (which goes first alternates from round to round), so
//! both see the same machine; each round's on/off ratio pairs neighbours in time, and the median of
//! those ratios is the figure. Wall time per call is what the caller sees; CPU time per call (the
//! whole process: client, simulator, and the recorder's writer, whose batch is flushed before the
//! round's CPU reading) is what the recorder costs the machine.

use std::time::{Duration, Instant};

use enigma::{Client, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, Simulator};

const KEY: &str = "enig_benchbenchbenchbenchbenchbe";

/// Microseconds per call in one round: wall (the caller's), CPU (the whole process's).
#[derive(Clone, Copy)]
struct PerCall {
    wall: f64,
    cpu: f64,
}

/// One round: off, then on.
type Round = [PerCall; 2];

#[tokio::main]
async fn main() {
    let setting = |name: &str, default: usize| std::env::var(name).ok().and_then(|n| n.parse().ok()).unwrap_or(default);
    let (calls, rounds) = (setting("RECORD_BENCH_CALLS", 2000), setting("RECORD_BENCH_ROUNDS", 15));
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
    let mut sessions = Vec::new();
    let mut tasks = Vec::new();
    for client in [&off, &on] {
        let session = client.start_session(SessionOptions::new()).await.unwrap();
        let task = session.new_task(TaskOptions::new("Bench")).await.unwrap();
        task.result(WaitOptions::new()).await.unwrap();
        tasks.push(task);
        sessions.push(session);
    }
    let recorded_before = folder_bytes(&dir);
    let writer_before = writer_cpu();
    let mut measured: Vec<Round> = Vec::new();
    for round in 0..rounds {
        let mut round_of = [PerCall { wall: 0.0, cpu: 0.0 }; 2];
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let cpu = process_cpu();
            let started = Instant::now();
            for _ in 0..calls {
                tasks[i].poll().await.unwrap();
            }
            let wall = started.elapsed();
            // The records of this round reach the disk before the CPU reading (a no-op when off).
            [&off, &on][i].flush_recording(Duration::from_secs(10));
            let cpu = process_cpu().zip(cpu).map(|(after, before)| after - before);
            let per_call = |d: Duration| d.as_secs_f64() * 1e6 / calls as f64;
            round_of[i] = PerCall { wall: per_call(wall), cpu: cpu.map_or(f64::NAN, per_call) };
        }
        measured.push(round_of);
    }
    let poll_bytes = (folder_bytes(&dir) - recorded_before) as f64 / (rounds * calls) as f64;
    let writer_per_record = writer_cpu()
        .zip(writer_before)
        .map(|(after, before)| (after - before).as_secs_f64() * 1e6 / (rounds * calls) as f64);
    for session in &sessions {
        session.terminate().await.unwrap();
    }
    on.flush_recording(Duration::from_secs(10));
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let column = |f: fn(&Round) -> f64| median(measured.iter().map(f).collect());
    println!("(a) sequential task.poll() of a finished task, {calls} calls x {rounds} rounds each, medians");
    println!("| recording | wall µs per call | CPU µs per call (process) |");
    println!("|---|---|---|");
    println!("| off | {:.1} | {:.1} |", column(|r| r[0].wall), column(|r| r[0].cpu));
    println!("| on | {:.1} | {:.1} |", column(|r| r[1].wall), column(|r| r[1].cpu));
    println!(
        "| on / off (median of the rounds' ratios) | {:.3} | {:.3} |",
        column(|r| r[1].wall / r[0].wall),
        column(|r| r[1].cpu / r[0].cpu)
    );
    if let Some(writer) = writer_per_record {
        println!("of the CPU with recording on, the recorder's writer thread: {writer:.1} µs per record (10 ms ticks)");
    }
    println!("bytes recorded per poll: {poll_bytes:.0}");

    // (b) Bytes per task: sessions of 5 default tasks each (3 steps), recorded from start to
    // terminate, each task waited for the way a program does (`result()`); the session's create
    // and terminate are shared by its tasks.
    let earlier: Vec<_> = files(&dir);
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
    // Per kind of line: (lines, bytes).
    let (mut bytes, mut lines) = (0, std::collections::BTreeMap::<String, (usize, usize)>::new());
    for file in files(&dir).into_iter().filter(|f| !earlier.contains(f)) {
        let text = std::fs::read_to_string(&file).unwrap();
        bytes += text.len();
        for line in text.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let kind = match (record["type"].as_str(), record["path"].as_str(), record["event"].as_str()) {
                (Some("http"), Some(path), _) => format!("http {path}"),
                (Some("event"), _, Some(event)) => format!("event {event}"),
                (kind, _, _) => kind.unwrap_or("?").to_owned(),
            };
            let seen = lines.entry(kind).or_default();
            *seen = (seen.0 + 1, seen.1 + line.len() + 1);
        }
    }
    println!("\n(b) {task_count} default tasks (3 steps) in sessions of 5, each waited for with result()");
    println!("bytes recorded per task: {:.0}", bytes as f64 / task_count as f64);
    let per_task = |n: usize| n as f64 / task_count as f64;
    let per_kind: Vec<String> =
        lines.iter().map(|(kind, (n, b))| format!("{kind}: {:.1} ({:.0} bytes)", per_task(*n), per_task(*b))).collect();
    println!("lines per task: {}", per_kind.join(", "));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The CPU time of the whole process so far (every thread), where the platform tells it.
fn process_cpu() -> Option<Duration> {
    #[cfg(unix)]
    {
        let mut now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `now` is a valid timespec for clock_gettime to fill.
        let read = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
        (read == 0).then(|| Duration::new(now.tv_sec as u64, now.tv_nsec as u32))
    }
    #[cfg(not(unix))]
    None
}

/// The CPU time of the recorder's writer thread so far (Linux: `/proc`, in clock ticks).
fn writer_cpu() -> Option<Duration> {
    #[cfg(target_os = "linux")]
    for task in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        if comm.trim() != "enigma-recorder" {
            continue;
        }
        let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
        // After the command's closing parenthesis: fields 3..; utime and stime are 14 and 15.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
        // SAFETY: sysconf has no preconditions.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        return (per_second > 0).then(|| Duration::from_secs_f64(ticks as f64 / per_second as f64));
    }
    None
}

fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default()
}

fn folder_bytes(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir).map(|d| d.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()).unwrap_or(0)
}
