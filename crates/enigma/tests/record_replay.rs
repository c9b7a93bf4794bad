//! The flight recorder and replay as a test: a program's run on the simulator is recorded, the
//! simulator replays the recording, and the same program gets the same results; a changed
//! program gets the first difference, named. The key is never in a recording.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use enigma::header::{HeaderMap, HeaderValue};
use enigma::{Client, Error, GuardrailDecision, Outcome, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{SimConfig, Simulator};
use serde_json::Value;

/// What the program saw of each task: comparable between a run and its replay.
type Seen = Vec<String>;

fn seen_result(seen: &mut Seen, result: &enigma::TaskResult) {
    // A guardrail's usage comes with a poll and not with its event: which one a program hears
    // first is a race of a fraction of a millisecond, in a run as in its replay.
    let cost = if result.outcome == Outcome::Guardrail { None } else { result.usage.cost };
    seen.push(format!(
        "{:?} {:?} {:?} {} {} cost={cost:?}",
        result.outcome, result.message, result.question, result.session_id, result.task_id
    ));
}

/// The program under test: several tasks, a guardrail answered, a pause and resume, a task
/// stopped by its cost ceiling; `one_more` adds a task at the end (a changed program).
async fn program(client: &Client, one_more: bool) -> Result<Seen, Error> {
    let mut seen = Seen::new();
    let session = client.start_session(SessionOptions::new()).await?;
    let first = session.new_task(TaskOptions::new("Find the opening hours of the Louvre")).await?;
    seen_result(&mut seen, &first.result(WaitOptions::new()).await?);

    let asking = session.new_task(TaskOptions::new(r#"Buy a book #sim guardrail="Which edition?""#)).await?;
    let asked = asking.result(WaitOptions::new()).await?;
    assert_eq!(asked.outcome, Outcome::Guardrail);
    seen_result(&mut seen, &asked);
    session.answer_guardrail("The paperback", GuardrailDecision::Resume).await?;
    seen_result(&mut seen, &asking.result(WaitOptions::new()).await?);

    let paused = session.new_task(TaskOptions::new("Compare three laptops #sim duration=20")).await?;
    session.pause().await?;
    session.resume().await?;
    seen_result(&mut seen, &paused.result(WaitOptions::new()).await?);

    let expensive = session.new_task(TaskOptions::new("Expensive search #sim duration=100 cost=1.0")).await?;
    let stopped = expensive.result(WaitOptions::new().max_cost(0.05)).await.unwrap_err();
    seen.push(format!("{} {:?}", stopped.code(), stopped.task_id()));

    if one_more {
        let extra = session.new_task(TaskOptions::new("One more thing")).await?;
        seen_result(&mut seen, &extra.result(WaitOptions::new()).await?);
    }
    session.terminate().await?;
    Ok(seen)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("enigma-{name}-{}-{}", std::process::id(), key()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn recordings(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

fn lines(file: &Path) -> Vec<Value> {
    std::fs::read_to_string(file).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The recorder's writer appends off the caller's path: let it catch up.
fn flushed(client: &Client) {
    client.flush_recording(Duration::from_secs(5));
}

async fn replay_client(dir: &Path) -> (enigma_sim::SimHandle, Client) {
    let replay = SimConfig { replay: Some(dir.to_path_buf()), ..SimConfig::default() };
    let sim = Simulator::start(replay).await.expect("the replay starts");
    let client = builder(&sim).build().unwrap();
    (sim, client)
}

#[tokio::test]
async fn a_recorded_run_replays_to_the_same_results_and_a_changed_program_gets_the_difference() {
    // Recorded at the service's own timing (the 50 s inline wait), on a fast clock.
    let sim = sim().await;
    let dir = temp_dir("record");
    let client = builder(&sim).record(&dir).build().unwrap();
    let recorded = program(&client, false).await.unwrap();
    flushed(&client);
    assert_eq!(recorded.len(), 5, "{recorded:#?}");
    assert!(recorded[4].starts_with("cost_limit"), "{recorded:#?}");
    let files = recordings(&dir);
    assert_eq!(files.len(), 1, "one file per session: {files:?}");
    let records = lines(&files[0]);
    assert_eq!(records[0]["type"], "header");
    assert_eq!(records[0]["format"], "enigma-recording");
    assert_eq!(records[1]["path"], "/start/start-session", "the create comes first");
    let kinds = |kind: &str| records.iter().filter(|r| r["type"] == kind).count();
    assert!(kinds("http") >= 7 && kinds("event") > 5, "{} http, {} events", kinds("http"), kinds("event"));
    let sent: Vec<String> = records
        .iter()
        .filter_map(|r| match r["type"].as_str() {
            Some("command") => Some(&r["data"]),
            Some("http") if r["path"] == "/start/send-message" => Some(&r["request"]["message"]),
            _ => None,
        })
        .map(|m| format!("{}:{}", m["actionType"].as_str().unwrap(), m["newState"].as_str().unwrap_or("")))
        .collect();
    for command in ["guardrail:resume", "state:pause", "state:resume", "state:stop", "state:terminate"] {
        assert!(sent.iter().any(|s| s == command), "{command} in {sent:?}");
    }

    // The same program against the replay: the same results, and nothing left unserved.
    let (replay, client) = replay_client(&dir).await;
    let replayed = program(&client, false).await.unwrap();
    assert_eq!(replayed, recorded);
    let stats = replay.stats().replay.expect("a replay's stats");
    assert_eq!(stats.first_difference, None, "{stats:#?}");
    assert!(stats.complete, "{stats:#?}");
    assert_eq!(stats.sessions_started, 1);

    // One task more: the program is told where it parted from the recording.
    let (replay, client) = replay_client(&dir).await;
    let err = program(&client, true).await.unwrap_err();
    // A 400 of the service: the `validation` class, with the replay's own server code.
    assert_eq!((err.code(), err.status()), ("validation", Some(400)), "{err}");
    assert_eq!(err.server_code(), Some(enigma_sim::REPLAY_MISMATCH));
    let expected = "expected POST /start/send-message state:terminate, got POST /start/send-message newTask";
    assert_eq!(err.server_message(), Some(expected));
    let stats = replay.stats().replay.unwrap();
    assert_eq!(stats.first_difference.as_deref(), Some(expected));
    assert!(!stats.complete);
    // The program's cleanup still ends the session it opened.
    let failures = client.terminate_open_sessions().await;
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(replay.stats().replay.unwrap().first_difference.as_deref(), Some(expected));
}

#[tokio::test]
async fn several_sessions_replay_from_a_folder_of_recordings() {
    let sim = sim().await;
    let dir = temp_dir("record-many");
    let client = builder(&sim).record(&dir).build().unwrap();
    let run = |client: Client| async move {
        let mut seen = Seen::new();
        for text in ["Task A", "Task B #sim duration=5", "Task C #sim cost=0.2"] {
            let result = client.run_task(enigma::RunTaskOptions::new(text)).await?;
            seen_result(&mut seen, &result);
        }
        Ok::<Seen, Error>(seen)
    };
    let recorded = run(client.clone()).await.unwrap();
    flushed(&client);
    assert_eq!(recordings(&dir).len(), 3);
    let (replay, client) = replay_client(&dir).await;
    assert_eq!(run(client).await.unwrap(), recorded);
    let stats = replay.stats().replay.unwrap();
    assert!(stats.complete && stats.sessions_started == 3, "{stats:#?}");
}

#[tokio::test]
async fn the_key_is_never_recorded_wherever_the_user_put_it() {
    let sim = sim().await;
    let dir = temp_dir("record-key");
    let key = key();
    let mut headers = HeaderMap::new();
    headers.insert("x-api-key", HeaderValue::from_str(&key).unwrap());
    headers.insert("x-note", HeaderValue::from_str(&format!("key={key}")).unwrap());
    // A proxy that never proxies (so the run reaches the simulator) with the key as its password.
    let proxy = enigma::Proxy::custom(|_| None::<enigma::Url>).basic_auth("user", &key);
    let client = Client::builder()
        .api_key(&key)
        .base_url(sim.url())
        .poll_interval(Duration::from_millis(10))
        .default_headers(headers)
        .proxy(proxy)
        .user_agent_prefix(format!("app/{key}"))
        .record(&dir)
        .build()
        .unwrap();
    let task = TaskOptions::new(format!("Log in with {key} #sim guardrail=\"Is {key} right?\""));
    let session = client
        .start_session(SessionOptions::new().starting_url(format!("https://example.com/?apiKey={key}")))
        .await
        .unwrap();
    let task = session.new_task(task).await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, Outcome::Guardrail);
    session.answer_guardrail(&format!("yes, {key}"), GuardrailDecision::Stop).await.unwrap();
    session.terminate().await.unwrap();
    flushed(&client);
    let files = recordings(&dir);
    assert!(!files.is_empty());
    let mut redacted = 0;
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains(&key), "the key is in {}", file.display());
        assert!(!text.to_ascii_lowercase().contains("authorization"), "{}", file.display());
        redacted += text.matches(enigma::REDACTED).count();
    }
    assert!(redacted >= 3, "the task text, the starting URL and the answer are recorded, blanked");
}

#[tokio::test]
async fn a_file_at_its_size_bound_ends_with_a_truncated_line() {
    let sim = sim().await;
    let dir = temp_dir("record-bound");
    let client = builder(&sim).record(&dir).record_max_bytes(4096).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    for _ in 0..3 {
        session
            .new_task(TaskOptions::new("Search #sim steps=10"))
            .await
            .unwrap()
            .result(WaitOptions::new())
            .await
            .unwrap();
    }
    session.terminate().await.unwrap();
    flushed(&client);
    let file = &recordings(&dir)[0];
    let records = lines(file);
    assert_eq!(records.last().unwrap()["type"], "truncated", "{records:#?}");
    assert_eq!(records.last().unwrap()["bytes"], 4096);
    assert!(std::fs::metadata(file).unwrap().len() <= 4096);
}
