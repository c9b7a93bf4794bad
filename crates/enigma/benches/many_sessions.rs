//! Thousands of live sessions in one process (issue 23): the client's memory per open live
//! session, and the time from the simulator's emit to each result in the user's hands while
//! thousands of sessions are open and many tasks end within the same second.
//!
//! `cargo bench -p enigma --bench many_sessions` (sessions: `MANY_SESSIONS`, default 2,000; tasks
//! that end together: `MANY_ENDING`, default a tenth of them).
//!
//! Two processes, so each one's memory is its own: this one runs the simulator (real time, no
//! rate limit) and starts itself again as the client (`MANY_SESSIONS_CHILD`). The client opens
//! every session with one long task and a waiter on its result over the socket (the held state of
//! a backend that serves many users), reports its RSS, then on the parent's word sends one short
//! task to each of `MANY_ENDING` other sessions at once, in two rounds on sessions of their own:
//! first with the tasks' ends spread over one second (the issue's "ending within the same
//! second"), then all ending at once (as close together as the simulator's ticks allow). The
//! parent stamps each task's `task_completed` as its simulator emits it (wall clock, same
//! machine); the client stamps each result as `result()` returns it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use enigma::{Client, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, Simulator};
use serde_json::Value;

const CHILD: &str = "MANY_SESSIONS_CHILD";
/// Long enough to outlast the run: these tasks only hold their sessions open.
const HOLD_TASK: &str = "Hold the session open #sim duration=80000 steps=1";
/// Short tasks that end about two seconds after they are sent (plus their share of the spread).
const ENDING_SECONDS: f64 = 2.0;
/// The rounds: a name, and over how many ms the tasks' ends are spread.
const ROUNDS: [(&str, usize); 2] = [("ends spread over one second", 1000), ("all ending at once", 0)];

fn main() {
    let sessions: usize = env_number("MANY_SESSIONS", 2000);
    let ending: usize = env_number("MANY_ENDING", (sessions / 10).max(1));
    if std::env::var_os(CHILD).is_some() {
        return client_process(sessions, ending);
    }
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(simulator_process(sessions, ending));
}

/// One round's figures, as the parent sees them.
struct Round {
    name: &'static str,
    latencies_ms: Vec<f64>,
    emits_spanned_ms: f64,
    polls: u64,
}

async fn simulator_process(sessions: usize, ending: usize) {
    let config = SimConfig {
        time_scale: 1.0,
        rate_limit: None,
        max_sessions: (sessions + ROUNDS.len() * ending + 10) as u32,
        ..SimConfig::default()
    };
    let sim = Simulator::start(config).await.expect("simulator");
    let sim_rss_before = rss_kib();
    let mut child = Command::new(std::env::current_exe().expect("this benchmark"))
        .env(CHILD, "1")
        .env("ENIGMA_BASE_URL", sim.url())
        .env("ENIGMA_API_KEY", "enig_benchmanysessions0000000000")
        .env("ENIGMA_LEDGER", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("client process");
    let mut to_child = child.stdin.take().expect("stdin");
    let mut from_child = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut line = || from_child.next().expect("a line from the client").expect("readable");

    // The client opened everything: its figures, then the sessions whose tasks will end together.
    let opened: Value = serde_json::from_str(&line()).expect("client figures");
    let sim_rss_open = rss_kib();
    // The REST checks the waiters make while their sessions only wait (a silent socket).
    let polls_before = (polls(&sim), std::time::Instant::now());
    let mut stamps = Vec::new();
    for _ in 0..ROUNDS.len() * ending {
        let id = line();
        let mut events = sim.subscribe(&id).expect("the session exists");
        stamps.push(tokio::spawn(async move {
            loop {
                let event = events.recv().await.expect("the simulator's events");
                if event["event"] == "message" && event["data"]["type"] == "task_completed" {
                    return (id, unix_micros());
                }
            }
        }));
    }
    // The client gives its sessions a moment to sit idle before the word: their polls count.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let idle_polls_per_s = (polls(&sim) - polls_before.0) as f64 / polls_before.1.elapsed().as_secs_f64();
    let mut rounds = Vec::new();
    for ((name, _), round_stamps) in ROUNDS.iter().zip(stamps.chunks_mut(ending)) {
        // Progress on stderr, so a profiler can be started on a round alone (docs/benchmarks.md).
        eprintln!("many_sessions: round \"{name}\": the ending tasks are being sent");
        writeln!(to_child, "go").expect("tell the client");
        let polls_before_go = polls(&sim);
        let mut emitted_at = HashMap::new();
        for stamp in round_stamps {
            let (id, at) = stamp.await.expect("emit seen");
            emitted_at.insert(id, at);
        }
        let returned: Value = serde_json::from_str(&line()).expect("client results");
        let polls = polls(&sim) - polls_before_go;
        let mut latencies_ms: Vec<f64> = returned["returned"]
            .as_object()
            .expect("returned")
            .iter()
            .map(|(id, at)| (at.as_u64().unwrap_or_default() as f64 - emitted_at[id] as f64) / 1000.0)
            .collect();
        latencies_ms.sort_by(f64::total_cmp);
        let emits_spanned_ms = match (emitted_at.values().min(), emitted_at.values().max()) {
            (Some(first), Some(last)) => (last - first) as f64 / 1000.0,
            _ => 0.0,
        };
        rounds.push(Round { name, latencies_ms, emits_spanned_ms, polls });
        // The sessions settle before the next round.
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let _ = child.wait();

    // Per open session: the ones held and the ones the rounds' tasks go to (each with its socket).
    let open = sessions + ROUNDS.len() * ending;
    let per = |total_kib: u64| total_kib as f64 / open as f64;
    let client_delta =
        opened["rss_open_kib"].as_u64().unwrap_or_default() - opened["rss_start_kib"].as_u64().unwrap_or_default();
    println!(
        "{sessions} live sessions, each with one task and a waiter on its result; {ending} tasks ending together, \
         in each of {} rounds on sessions of their own ({open} sessions open in all)",
        ROUNDS.len()
    );
    println!(
        "client settings: event_buffer {}, socket_read_buffer_bytes {}; one event is {} bytes\n",
        opened["event_buffer"],
        opened["socket_read_buffer_bytes"],
        std::mem::size_of::<enigma::Event>()
    );
    println!("| process | RSS before | RSS with the sessions open | per session |");
    println!("|---|---|---|---|");
    println!(
        "| client (Rust core) | {} MiB | {} MiB | {:.0} KiB |",
        opened["rss_start_kib"].as_u64().unwrap_or_default() / 1024,
        opened["rss_open_kib"].as_u64().unwrap_or_default() / 1024,
        per(client_delta)
    );
    println!(
        "| simulator | {} MiB | {} MiB | {:.0} KiB |",
        sim_rss_before / 1024,
        sim_rss_open / 1024,
        per(sim_rss_open.saturating_sub(sim_rss_before))
    );
    println!(
        "\nopening: {:.0} sessions/s, client CPU {:.2} ms per session",
        opened["opened_per_s"].as_f64().unwrap_or_default(),
        opened["cpu_ms_per_session"].as_f64().unwrap_or_default()
    );
    println!("while idle: {idle_polls_per_s:.0} REST polls/s (GET /task) across all sessions");
    println!("\n| {ending} tasks ending together | emits spanned | emit to result p50 | p99 | max | REST polls |");
    println!("|---|---|---|---|---|---|");
    for round in &rounds {
        println!(
            "| {} | {:.0} ms | {:.1} ms | {:.1} ms | {:.1} ms | {} |",
            round.name,
            round.emits_spanned_ms,
            percentile(&round.latencies_ms, 0.50),
            percentile(&round.latencies_ms, 0.99),
            round.latencies_ms.last().copied().unwrap_or_default(),
            round.polls
        );
    }
    sim.shutdown().await;
}

fn client_process(sessions: usize, ending: usize) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = Client::builder().build().expect("client from the environment");
        let rss_start_kib = rss_kib();
        let cpu_start = cpu_ms();
        let started = std::time::Instant::now();
        let mut held = Vec::with_capacity(sessions);
        let mut waiters = Vec::with_capacity(sessions);
        for chunk in (0..sessions).collect::<Vec<_>>().chunks(100) {
            let opens = chunk.iter().map(|_| client.start_session(SessionOptions::new().task_details(HOLD_TASK)));
            for session in futures_util::future::join_all(opens).await {
                let session = session.expect("session");
                let task = session.initial_task().expect("initial task").clone();
                waiters.push(tokio::spawn(async move { task.result(WaitOptions::new()).await }));
                held.push(session);
            }
        }
        // Each round's tasks go to sessions of their own.
        let open = sessions + ROUNDS.len() * ending;
        let mut enders = Vec::with_capacity(open - sessions);
        for _ in sessions..open {
            enders.push(client.start_session(SessionOptions::new()).await.expect("session"));
        }
        // Let every waiter reach its socket before measuring.
        for session in held.iter().chain(&enders) {
            let _ = session.events();
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
        let opened_in = started.elapsed().as_secs_f64();
        let figures = serde_json::json!({
            "rss_start_kib": rss_start_kib,
            "rss_open_kib": rss_kib(),
            "opened_per_s": open as f64 / opened_in,
            "cpu_ms_per_session": (cpu_ms() - cpu_start) / open as f64,
            "event_buffer": client.config().event_buffer,
            "socket_read_buffer_bytes": client.config().socket_read_buffer_bytes,
        });
        println!("{figures}");
        for session in &enders {
            println!("{}", session.id());
        }
        for ((_, spread_ms), round) in ROUNDS.iter().zip(enders.chunks(ending)) {
            let mut go = String::new();
            std::io::stdin().read_line(&mut go).expect("the parent's word");
            let sends = round.iter().enumerate().map(|(i, session)| async move {
                let seconds = ENDING_SECONDS + (i * spread_ms) as f64 / ending as f64 / 1000.0;
                let details = format!("End together #sim duration={seconds:.3} steps=1");
                let task = session.new_task(TaskOptions::new(details)).await.expect("task");
                let result = task.result(WaitOptions::new()).await.expect("result");
                let at = unix_micros();
                assert_eq!(result.outcome, enigma::Outcome::Completed);
                (session.id().to_owned(), at)
            });
            let returned: HashMap<String, u64> = futures_util::future::join_all(sends).await.into_iter().collect();
            println!("{}", serde_json::json!({ "returned": returned }));
            std::io::stdout().flush().expect("stdout");
        }
        // A hundred at a time: 12,000 terminates at once would open as many connections beside
        // the sockets, past the descriptor limit (EMFILE, `connection`, never sent).
        let all: Vec<_> = held.iter().chain(&enders).collect();
        for chunk in all.chunks(100) {
            for ended in futures_util::future::join_all(chunk.iter().map(|session| session.terminate())).await {
                ended.expect("terminate");
            }
        }
        for waiter in waiters {
            waiter.abort();
        }
    });
}

/// Polls the simulator answered so far.
fn polls(sim: &enigma_sim::SimHandle) -> u64 {
    sim.stats_json()["requests"]["byEndpoint"]["GET /task"].as_u64().unwrap_or_default()
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

fn unix_micros() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or_default()
}

/// This process's resident set (`VmRSS`), KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_default()
}

/// This process's CPU time so far (user + system), ms.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    ticks * 1000.0 / 100.0 // USER_HZ is 100 on Linux
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}
