//! The `enigma` command end to end: `run` on the built-in simulator, scripting commands against
//! `enigma sim`, JSON output and exit codes.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn run_without_a_key_uses_the_built_in_simulator() {
    let output = run(enigma().args(["run", "Search for wireless keyboards"]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("wireless keyboards"), "{}", stdout(&output));
    let err = stderr(&output);
    assert!(err.contains("No ENIGMA_API_KEY set: running on the built-in simulator"), "{err}");
    assert!(err.contains("outcome: completed"), "{err}");
    // The agent's live thoughts and actions, pushed over the socket.
    assert!(err.contains("thinking:") && err.contains("action:"), "{err}");
}

#[test]
fn run_json_prints_the_result_object() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let output = run(sim.enigma().args(["--json", "run", "Find laptops", "--starting-url", "https://example.com"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let result: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(result["outcome"], "completed");
    assert!(result["message"].as_str().unwrap().contains("laptops"));
    assert!(result["usage"]["cost"].as_f64().unwrap() > 0.0);
    assert_eq!(sim.stats()["sessions"]["open"], 0, "run terminates its session");
}

#[test]
fn exit_codes_tell_failure_kinds_apart() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let failed = run(sim.enigma().args(["--json", "run", "Open #sim fail=NAVIGATION_TIMEOUT"]));
    assert_eq!(failed.status.code(), Some(8));
    let body: Value = serde_json::from_str(&stdout(&failed)).unwrap();
    assert_eq!(body["error"]["code"], "task_failed");
    assert_eq!(body["error"]["serverCode"], "NAVIGATION_TIMEOUT");
    // The whole core payload (the one Python and Node get), camelCase; old keys stay.
    assert_eq!(body["error"]["retryable"], false);
    assert!(body["error"]["taskId"].is_string() && body["error"]["sessionId"].is_string(), "{body}");
    assert!(body["error"]["usage"]["cost"].is_number(), "{body}");
    assert!(body["error"]["status"].is_null() && body["error"]["retryAfter"].is_null(), "{body}");

    let refused = run(sim.enigma().args(["--json", "run", "x", "--max-duration", "0"]));
    assert_eq!(refused.status.code(), Some(3));
    let body: Value = serde_json::from_str(&stdout(&refused)).unwrap();
    assert_eq!(body["error"]["code"], "validation");
    assert_eq!(body["error"]["field"], "max_duration", "{body}");
    assert!(body["error"]["reason"].is_string(), "{body}");

    let costly = run(sim.enigma().args(["run", "Crawl #sim duration=200 cost=5", "--max-cost", "0.01"]));
    assert_eq!(costly.status.code(), Some(10), "{}", stderr(&costly));
    assert!(stderr(&costly).contains("cost_limit"));

    let invalid = run(sim.enigma().args(["run", "x", "--max-duration", "0"]));
    assert_eq!(invalid.status.code(), Some(3));
    assert!(stderr(&invalid).contains("max_duration"));

    let missing = run(sim.enigma().args(["task", "poll", "zzzzzzzzzzzz", "yyyyyyyyyyyy"]));
    assert_eq!(missing.status.code(), Some(7), "{}", stderr(&missing));

    let revoked =
        run(sim.enigma().env("ENIGMA_API_KEY", "enig_revoked000000000000000000000").args(["session", "start"]));
    assert_eq!(revoked.status.code(), Some(4));
    assert_eq!(sim.stats()["sessions"]["open"], 0);
}

/// The status line (state, elapsed, spend against the ceiling) is for a terminal only: with
/// stderr piped, as here, none of it shows, and nothing is redrawn in place.
#[test]
fn run_without_a_terminal_prints_no_status_line() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let under = run(sim.enigma().args(["run", "Find laptops #sim duration=100 cost=0.5", "--max-cost", "5"]));
    let over = run(sim.enigma().args(["run", "Crawl #sim duration=200 cost=5", "--max-cost", "0.01"]));
    let plain = run(sim.enigma().args(["run", "Find laptops #sim duration=100"]));
    assert_eq!(under.status.code(), Some(0), "{}", stderr(&under));
    assert_eq!(over.status.code(), Some(10), "{}", stderr(&over));
    assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
    for output in [&under, &over, &plain] {
        let err = stderr(output);
        assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
        for status_text in
            ["$5.00 ceiling", "$0.01 ceiling", " spent", "no spend reported yet", "starting ·", "running ·"]
        {
            assert!(!err.contains(status_text), "{status_text:?} in {err}");
        }
        // The notes and the outcome still print, as plain lines.
        assert!(err.contains("the agent is working"), "{err}");
    }
    assert!(stderr(&under).contains("outcome: completed"), "{}", stderr(&under));
    assert!(stderr(&over).contains("cost_limit"), "{}", stderr(&over));
}

/// At the service's own 50 s inline wait (time scale 1), `--max-cost` stops the task near the
/// ceiling while the create is still held, not at the task's end ($1.00 here).
#[test]
fn run_stops_at_the_ceiling_during_the_default_inline_wait() {
    let sim = Sim::start(&[]);
    let started = std::time::Instant::now();
    let output = run(sim.enigma().args(["--json", "run", "Crawl #sim duration=40 cost=1", "--max-cost", "0.10"]));
    assert_eq!(output.status.code(), Some(10), "{}", stdout(&output));
    let body: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(body["error"]["code"], "cost_limit");
    let cost = body["error"]["usage"]["cost"].as_f64().unwrap();
    // The bound: the ceiling plus one poll interval's spend (0.05 s at $0.025/s) and the time
    // the stop takes; far below the task's $1.00.
    assert!((0.10..0.15).contains(&cost), "stopped at ${cost}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
    for _ in 0..200 {
        if sim.stat(&["sessions", "open"]) == 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(sim.stat(&["sessions", "open"]), 0, "{}", sim.stats());
}

#[test]
fn session_and_task_commands_script_a_whole_flow() {
    let sim = Sim::start(&["--time-scale", "0.01", "--inline-wait", "0.2"]);
    let started = run(sim.enigma().args(["--json", "session", "start", "--starting-url", "https://amazon.com"]));
    assert!(started.status.success(), "{}", stderr(&started));
    let session: Value = serde_json::from_str(&stdout(&started)).unwrap();
    let session_id = session["sessionId"].as_str().unwrap().to_owned();

    let created = run(sim.enigma().args(["session", "task", &session_id, "Search #sim duration=30"]));
    assert!(created.status.success(), "{}", stderr(&created));
    let task_id = stdout(&created).trim().to_owned();
    assert_eq!(task_id.len(), 12);

    for command in ["pause", "resume"] {
        let output = run(sim.enigma().args(["session", command, &session_id]));
        assert!(output.status.success(), "{command}: {}", stderr(&output));
    }
    let polled = run(sim.enigma().args(["--json", "task", "poll", &session_id, &task_id]));
    let status: Value = serde_json::from_str(&stdout(&polled)).unwrap();
    assert_eq!(status["state"]["state"], "running");

    let waited = run(sim.enigma().args(["--json", "task", "wait", &session_id, &task_id, "--timeout", "30"]));
    assert!(waited.status.success(), "{}", stderr(&waited));
    let result: Value = serde_json::from_str(&stdout(&waited)).unwrap();
    assert_eq!(result["outcome"], "completed");

    let stopped = run(sim.enigma().args(["session", "stop", &session_id]));
    assert!(stopped.status.success());
    let terminated = run(sim.enigma().args(["session", "terminate", &session_id]));
    assert!(terminated.status.success());
    let stats = sim.stats();
    assert_eq!(stats["sessions"]["open"], 0);
    assert_eq!(stats["requests"]["byMessage"]["state:pause"], 1);
    assert_eq!(stats["requests"]["byMessage"]["state:terminate"], 1);
}

#[test]
fn health_reports_the_service_status() {
    let sim = Sim::start(&[]);
    let output = run(sim.enigma().args(["--json", "health"]));
    assert!(output.status.success());
    let health: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(health["status"], "healthy");
}

#[test]
fn watch_prints_live_events_until_the_session_ends() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let started = run(sim.enigma().args([
        "--json",
        "session",
        "start",
        "--task",
        "Find a gift #sim duration=100",
        "--terminate-on-completion",
    ]));
    assert!(started.status.success(), "{}", stderr(&started));
    let session: Value = serde_json::from_str(&stdout(&started)).unwrap();
    let watched = run(sim.enigma().args(["watch", session["sessionId"].as_str().unwrap()]));
    assert!(watched.status.success(), "{}", stderr(&watched));
    let out = stdout(&watched);
    for line in
        ["live connection up", "thinking:", "action:", "task completed", "session ended (terminateOnCompletion)"]
    {
        assert!(out.contains(line), "missing {line:?} in {out}");
    }

    let json_lines = run(sim.enigma().args(["--json", "watch", "zzzzzzzzzzzz"]));
    assert_eq!(json_lines.status.code(), Some(readme_status("`session_not_found`")), "an unknown session");
    let first: Value = serde_json::from_str(stdout(&json_lines).lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "connect_error");
}

#[test]
fn watch_exits_with_the_tables_status_for_an_unreachable_host() {
    // A port nothing listens on: the host cannot be reached.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let output = run(enigma()
        .args(["watch", "zzzzzzzzzzzz"])
        .env("ENIGMA_BASE_URL", format!("http://{closed}"))
        .env("ENIGMA_API_KEY", KEY));
    assert_eq!(output.status.code(), Some(readme_status("`connection`")), "{}", stderr(&output));
    assert_ne!(readme_status("`connection`"), readme_status("`session_not_found`"));
}

#[test]
fn health_prints_its_instance_count_as_words() {
    let sim = Sim::start(&[]);
    let output = run(sim.enigma().arg("health"));
    assert!(output.status.success(), "{}", stderr(&output));
    let line = stdout(&output);
    let count = sim.enigma().args(["--json", "health"]).output().unwrap();
    let count = serde_json::from_slice::<Value>(&count.stdout).unwrap()["instanceCount"].clone();
    assert!(count.is_u64(), "the simulator counts its instances: {count}");
    assert_eq!(line.trim(), format!("healthy ({count} instances)"));
}

#[test]
fn a_stopped_task_reads_as_text_in_watch() {
    use std::io::{BufRead, BufReader, Read};
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let started = run(sim.enigma().args(["session", "start", "--task", "Crawl #sim duration=3000"]));
    let session_id = stdout(&started).trim().to_owned();
    let mut child = sim.enigma().args(["watch", &session_id]).stdout(std::process::Stdio::piped()).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert!(line.contains("live connection up"), "{line}");
    assert!(run(sim.enigma().args(["session", "stop", &session_id])).status.success());
    let mut rest = String::new();
    // The stop's event comes before the session's end, which ends the watch.
    while !rest.contains("task stopped") {
        let mut next = String::new();
        assert!(out.read_line(&mut next).unwrap() > 0, "watch ended without the stop: {rest}");
        rest.push_str(&next);
    }
    assert!(run(sim.enigma().args(["session", "terminate", &session_id])).status.success());
    out.read_to_string(&mut rest).unwrap();
    assert!(child.wait().unwrap().success());
    assert!(!rest.contains("message: {"), "no raw payload: {rest}");
}

/// Whether every key of `value`, at any depth, is camelCase; the service's own JSON (`raw`,
/// `payload`, `details`) is left as it came.
fn camel_keys(value: &Value, path: &str, bad: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let camel = key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && key.chars().all(|c| c.is_ascii_alphanumeric());
                if !camel {
                    bad.push(format!("{path}.{key}"));
                }
                if !["raw", "payload", "details"].contains(&key.as_str()) {
                    camel_keys(value, &format!("{path}.{key}"), bad);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| camel_keys(item, path, bad)),
        _ => {}
    }
}

/// Every JSON object in a command's stdout: one document, or one per line.
fn documents(text: &str) -> Vec<Value> {
    serde_json::from_str(text).map(|v| vec![v]).unwrap_or_else(|_| {
        text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
    })
}

#[test]
fn every_json_the_cli_writes_has_camel_case_keys() {
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let dir = std::env::temp_dir().join(format!("enigma-cli-camel-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let tasks = dir.join("tasks.txt");
    std::fs::write(&tasks, "first #sim cost=0.01\nsecond #sim fail=PAGE_CRASH\n").unwrap();
    let out = dir.join("out.jsonl");
    let _ = std::fs::remove_file(&out);
    let ledger = dir.join("ledger.jsonl");
    let _ = std::fs::remove_file(&ledger);
    let json = |args: &[&str]| -> Vec<Value> {
        let output = run(sim.enigma().env("ENIGMA_LEDGER", &ledger).arg("--json").args(args));
        documents(&stdout(&output))
    };
    let mut written = json(&["run", "Find laptops #sim cost=0.01"]);
    written.extend(json(&["run", "Open #sim fail=NAVIGATION_TIMEOUT"])); // an error
    written.extend(json(&["run", "Buy #sim guardrail=\"Which size?\""]));
    let session = json(&["session", "start", "--task", "Look #sim duration=3000"]);
    let session_id = session[0]["sessionId"].as_str().unwrap().to_owned();
    written.extend(session);
    let task = json(&["session", "task", &session_id, "Next #sim duration=1"]);
    written.extend(json(&["task", "poll", &session_id, task[0]["taskId"].as_str().unwrap_or("x")]));
    written.extend(task);
    written.extend(json(&["session", "stop", &session_id]));
    written.extend(json(&["health"]));
    written.extend(json(&["session", "terminate", &session_id]));
    written.extend(json(&["watch", "zzzzzzzzzzzz"]));
    written.extend(json(&["batch", tasks.to_str().unwrap(), "--out", out.to_str().unwrap()]));
    json(&["session", "start"]); // left open: `session list` lists it
    let listed = json(&["session", "list"]);
    assert_eq!(listed.len(), 1, "{listed:?}");
    written.extend(listed);
    written.extend(documents(&std::fs::read_to_string(&out).unwrap()));
    assert!(written.len() >= 12, "{written:?}");
    let mut bad = Vec::new();
    for document in &written {
        camel_keys(document, "", &mut bad);
    }
    assert!(bad.is_empty(), "not camelCase: {bad:?}");
    // Nested objects are covered too: a result's usage, an --out line's usage.
    assert!(written.iter().any(|d| d["usage"]["totalTokens"].is_number()), "{written:?}");
}

#[test]
fn sim_strict_docs_serves_without_the_initial_task_id() {
    for (strict, args) in
        [(false, &["--time-scale", "0.01"][..]), (true, &["--time-scale", "0.01", "--strict-docs"][..])]
    {
        let sim = Sim::start(args);
        let started = sim.post("/start/start-session", serde_json::json!({ "taskDetails": "Find shoes" }));
        assert!(started["sessionId"].is_string(), "{started}");
        assert_eq!(started.get("taskId").is_some(), !strict, "--strict-docs={strict}: {started}");
        // It serves the documented API as usual: a one-shot task runs to its result.
        let output = run(sim.enigma().args(["--json", "run", "Find laptops"]));
        assert!(output.status.success(), "--strict-docs={strict}: {}", stderr(&output));
        let result: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
        assert_eq!(result["outcome"], "completed", "{result}");
    }
}

#[test]
fn sim_answer_variant_changes_the_answers_shape_and_unknown_names_are_refused() {
    let sim = Sim::start(&[
        "--time-scale",
        "0.01",
        "--answer-variant",
        "inline_without_status",
        "--answer-variant",
        "usage_in_data",
    ]);
    let answer = sim.post("/start/run-task", serde_json::json!({ "taskDetails": "Find shoes" }));
    assert!(answer.get("status").is_none(), "{answer}");
    assert!(
        answer["result"].get("usage").is_none() && answer["result"]["data"]["usage"]["cost"].is_number(),
        "{answer}"
    );
    let output = run(sim.enigma().args(["--json", "run", "Find laptops"]));
    assert!(output.status.success(), "{}", stderr(&output));
    let result: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(result["outcome"], "completed", "{result}");

    let unknown = run(enigma().args(["sim", "--port", "0", "--answer-variant", "flat_result"]));
    assert!(!unknown.status.success());
    let err = stderr(&unknown);
    assert!(err.contains("flat_result") && err.contains("snake_case_usage"), "{err}");
    let both = run(enigma().args([
        "sim",
        "--port",
        "0",
        "--answer-variant",
        "pending_flag_only",
        "--answer-variant",
        "pending-status-only",
    ]));
    assert_eq!(both.status.code(), Some(3), "{}", stderr(&both));
    assert!(stderr(&both).contains("exclude each other"), "{}", stderr(&both));
}

/// A negative or non-finite number is a value that the core's rule refuses (exit 3, the field
/// named), not an unknown argument (clap reads `-1` as a flag unless told otherwise), and
/// nothing is sent: the simulator sees no session.
#[test]
fn bad_numbers_are_validation_errors_naming_the_field() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let cases: [&[&str]; 8] = [
        &["run", "x", "--max-cost", "-1"],
        &["run", "x", "--max-duration", "-5"],
        &["session", "start", "--max-duration", "-5"],
        &["run", "x", "--max-cost", "NaN"],
        &["run", "x", "--max-cost", "inf"],
        &["run", "x", "--timeout", "-1"],
        &["task", "wait", "aaaaaaaaaaaa", "bbbbbbbbbbbb", "--max-cost", "-1"],
        &["task", "wait", "aaaaaaaaaaaa", "bbbbbbbbbbbb", "--timeout", "-0.5"],
    ];
    for args in cases {
        let output = run(sim.enigma().arg("--json").args(args));
        assert_eq!(output.status.code(), Some(3), "{args:?}: {}{}", stdout(&output), stderr(&output));
        let body: Value = serde_json::from_str(&stdout(&output)).unwrap();
        assert_eq!(body["error"]["code"], "validation", "{args:?}: {body}");
        let flag = args[args.len() - 2].trim_start_matches("--").replace('-', "_");
        assert_eq!(body["error"]["field"], flag, "{args:?}: {body}");
    }
    let text = run(sim.enigma().args(["run", "x", "--max-cost", "-1"]));
    assert!(!stderr(&text).contains("unexpected argument"), "{}", stderr(&text));
    assert!(stderr(&text).contains("max_cost"), "{}", stderr(&text));
    assert_eq!(sim.stats()["requests"]["total"], 0, "nothing is sent: {}", sim.stats());
}

/// A command that needs a service, run without a key, says how to get going: the key, or the
/// simulator (`enigma run` uses it by itself), and nothing is sent.
#[test]
fn without_a_key_a_service_command_says_how_to_get_going() {
    let sim = Sim::start(&["--time-scale", "0.01"]);
    let keyless = run(sim.enigma().env_remove("ENIGMA_API_KEY").args(["session", "start"]));
    assert!(!keyless.status.success());
    let err = stderr(&keyless);
    assert!(err.contains("no API key: set ENIGMA_API_KEY"), "{err}");
    assert!(err.contains("offline on the built-in simulator") && err.contains("`enigma run \"<task>\"`"), "{err}");
    assert_eq!(sim.stats()["requests"]["total"], 0, "nothing was sent");
}
