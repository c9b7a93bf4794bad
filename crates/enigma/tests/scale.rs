//! Many live sessions in one process (issue 23), at a size that fits CI: every result arrives,
//! no event is lost (the events a stream reads plus the `lagged` counts it reports equal the
//! events the simulator sent), and no session is left open. Half the sessions use a tiny event
//! buffer, so the `lagged` accounting is exercised too. The memory and latency figures at
//! 10,000 sessions are a benchmark (`benches/many_sessions.rs`), not a test.

use enigma::{Client, Event, Outcome, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, SimHandle, Simulator};

const SESSIONS: usize = 500;
const STEPS: u32 = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_live_sessions_lose_no_event_and_leave_none_open() {
    // A tenth of real time: 500 sessions open one after another must not reach the idle timeout.
    let sim =
        Simulator::start(SimConfig { max_sessions: SESSIONS as u32 * 2, time_scale: 0.1, ..SimConfig::for_tests() })
            .await
            .expect("simulator");
    let client = |event_buffer: usize| {
        Client::builder()
            .api_key("enig_scalescalescalescalescalescale")
            .base_url(sim.url())
            .event_buffer(event_buffer)
            .ledger(enigma::LedgerSetting::Off)
            .build()
            .expect("client")
    };
    // A buffer of 4 is smaller than one task's events: its streams, read after the result,
    // must report what they missed.
    let (roomy, tiny) = (client(enigma::DEFAULT_EVENT_BUFFER), client(4));
    let runs = (0..SESSIONS).map(|i| one_session(&sim, if i % 2 == 0 { &roomy } else { &tiny }, i));
    let counts = futures_util::future::join_all(runs).await;

    let lagged_sessions = counts.iter().filter(|c| c.lagged > 0).count();
    for (i, count) in counts.iter().enumerate() {
        assert_eq!(count.read + count.lagged, count.sent, "session {i}: read + lagged = sent ({count:?})");
    }
    // Most tiny buffers overflow (how many depends on when each stream first polls its receiver).
    assert!(lagged_sessions >= SESSIONS / 4, "the tiny buffers lagged: {lagged_sessions} sessions");
    assert!(counts.iter().step_by(2).all(|c| c.lagged == 0), "the default buffer holds a task's events");
    let stats = sim.stats();
    assert_eq!(stats.sessions.open, 0, "no session is left open");
    assert_eq!(stats.tasks.completed, SESSIONS as u64, "every task completed");
    sim.shutdown().await;
}

#[derive(Debug)]
struct Counts {
    sent: u64,
    read: u64,
    lagged: u64,
}

async fn one_session(sim: &SimHandle, client: &Client, i: usize) -> Counts {
    let session = client.start_session(SessionOptions::new()).await.expect("session");
    let mut stream = session.events();
    // Connected first: from now on the socket gets every event of the session.
    loop {
        match stream.next().await.expect("the stream connects") {
            Event::Connected => break,
            Event::ConnectError { .. } | Event::Reconnecting { .. } => continue,
            other => panic!("session {i}: {other:?} before the connection"),
        }
    }
    let mut sent_events = sim.subscribe(session.id()).expect("the session exists");
    let task = session.new_task(TaskOptions::new(format!("Scale task {i} #sim steps={STEPS}"))).await.expect("task");
    let result = task.result(WaitOptions::new()).await.expect("the result arrives");
    assert_eq!(result.outcome, Outcome::Completed, "session {i}");

    // What the simulator sent, up to and with the task's completion.
    let mut sent = 0;
    loop {
        let envelope = sent_events.recv().await.expect("the simulator's events");
        sent += 1;
        if envelope["data"]["type"] == "task_completed" {
            break;
        }
    }
    // What the stream read, or reported missed, up to the same point.
    let (mut read, mut lagged) = (0, 0);
    loop {
        match stream.next().await.expect("the stream is open") {
            Event::Lagged { missed } => lagged += missed,
            Event::Connected | Event::Disconnected { .. } | Event::Reconnecting { .. } => {}
            Event::TaskCompleted { .. } => {
                read += 1;
                break;
            }
            _ => read += 1,
        }
    }
    session.terminate().await.expect("terminate");
    Counts { sent, read, lagged }
}
