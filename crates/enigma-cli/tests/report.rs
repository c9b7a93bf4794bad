//! `enigma report FILE --html OUT` on a batch journal and a session recording, and the pages
//! people look at (the report, the simulator's live page) opened in a real headless Chromium:
//! they load with no console message, show a bar per task and the events, and leave a
//! screenshot under `target/tmp/look/` for a person to look at.
//!
//! Chromium is Debian's `chromium` (scripts/test-all.sh installs it; `ENIGMA_CHROMIUM` names
//! another binary). Where it is missing, the browser checks say so and pass.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::{Sim, enigma, run, stderr, stdout};
use serde_json::{Value, json};

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("look");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ENIGMA_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["chromium", "chromium-browser", "google-chrome"].iter().find_map(|name| {
        let found = Command::new("sh").arg("-c").arg(format!("command -v {name}")).output().ok()?;
        found.status.success().then(|| PathBuf::from(String::from_utf8_lossy(&found.stdout).trim()))
    })
}

fn skip(what: &str) {
    eprintln!(
        "SKIPPED ({what}): no Chromium found (apt-get install -y chromium, or set ENIGMA_CHROMIUM); \
         scripts/test-all.sh installs it"
    );
}

/// The page's DOM after its scripts ran (`--timeout` ms), failing on any console message
/// (an error, an uncaught exception, a refused fetch).
fn open_in_chromium(browser: &Path, url: &str, screenshot: &Path) -> String {
    let base = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--timeout=2500"];
    let dom = Command::new(browser)
        .args(base)
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom", url])
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&dom.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages on {url}: {console:#?}");
    let shot = Command::new(browser)
        .args(base)
        .args(["--window-size=1400,1000", &format!("--screenshot={}", screenshot.display()), url])
        .output()
        .expect("chromium runs");
    assert!(
        screenshot.metadata().is_ok_and(|m| m.len() > 1000),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    eprintln!("screenshot: {}", screenshot.display());
    String::from_utf8_lossy(&dom.stdout).into_owned()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// A batch of three (completed, guardrail, failed) with a journal on the simulator.
fn batch_journal(sim: &Sim, dir: &Path) -> PathBuf {
    let tasks = dir.join("tasks.txt");
    std::fs::write(
        &tasks,
        "Find a <b>lamp</b>\nBuy shoes #sim guardrail=\"Which size?\"\nCrash #sim fail=PAGE_CRASH\n",
    )
    .unwrap();
    let journal = dir.join("journal.jsonl");
    let _ = std::fs::remove_file(&journal);
    let out = dir.join("out.jsonl");
    let done = run(sim
        .enigma()
        .arg("batch")
        .arg(&tasks)
        .arg("--out")
        .arg(&out)
        .arg("--journal")
        .arg(&journal)
        .args(["--budget", "2"]));
    assert_eq!(done.status.code(), Some(23), "some failed: {}", stderr(&done));
    journal
}

#[test]
fn a_journal_becomes_a_page_with_a_bar_per_task_and_the_budget() {
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let dir = out_dir();
    let journal = batch_journal(&sim, &dir);
    let html = dir.join("batch-report.html");
    let done = run(enigma().args(["--json", "report"]).arg(&journal).arg("--html").arg(&html));
    assert!(done.status.success(), "{}", stderr(&done));
    let said: Value = serde_json::from_str(&stdout(&done)).unwrap();
    assert_eq!((said["source"].as_str(), said["tasks"].as_u64()), (Some("journal"), Some(3)));
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(count(&page, "class=\"task-bar "), 3);
    for outcome in ["outcome-completed", "outcome-guardrail", "outcome-failed"] {
        assert_eq!(count(&page, outcome), 1, "{outcome}");
    }
    assert!(page.contains("of a 2.0000 USD budget") && page.contains("class=\"budget\""));
    assert!(page.contains("Which size?") && page.contains("PAGE_CRASH"));

    match chromium() {
        None => skip("the report in a browser"),
        Some(browser) => {
            let dom = open_in_chromium(&browser, &format!("file://{}", html.display()), &dir.join("batch-report.png"));
            assert_eq!(count(&dom, "class=\"task-bar "), 3, "one bar per task in the rendered DOM");
            assert_eq!(count(&dom, "class=\"task-row"), 3);
        }
    }
}

#[test]
fn a_bad_file_is_refused_with_a_reason() {
    let dir = out_dir();
    let other = dir.join("not-a-recording.txt");
    std::fs::write(&other, "hello\n").unwrap();
    let done = run(enigma().arg("report").arg(&other).arg("--html").arg(dir.join("x.html")));
    assert_eq!(done.status.code(), Some(3), "validation");
    assert!(stderr(&done).contains("neither a session recording"), "{}", stderr(&done));
    let done = run(enigma().arg("report").arg(&other).args(["--html", "x.html", "--budget", "-1"]));
    assert_eq!(done.status.code(), Some(3));
}

/// A recording in the format wt-rec writes (docs/recording.md), made from what the simulator
/// answered: two tasks, a guardrail answered, a pause and a resume, a stop.
fn recording(dir: &Path) -> PathBuf {
    let rec = |t: f64, body: Value| {
        let mut body = body;
        body["t"] = json!(t);
        body["wall"] = json!("2026-12-07T12:00:00Z");
        body.to_string()
    };
    let http = |t: f64, path: &str, request: Value, response: Value| {
        rec(
            t,
            json!({"type":"http","method":"POST","path":path,"query":null,"status":200,"requestHeaders":{},
            "responseHeaders":{},"request":request,"response":response,"ms":20.0,"error":null}),
        )
    };
    let event = |t: f64, data: Value| rec(t, json!({"type":"event","event":"message","data":data}));
    let lines = [
        rec(
            0.0,
            json!({"type":"header","format":"enigma-recording","version":1,"sdk":"test 0","baseUrl":"http://127.0.0.1:1","sessionId":"s00000000001"}),
        ),
        http(
            0.1,
            "/start/start-session",
            json!({"taskDetails":"Buy <i>shoes</i>"}),
            json!({"success":true,"sessionId":"s00000000001","taskId":"t00000000001"}),
        ),
        event(0.4, json!({"type":"agent","content":"Planning how to buy shoes","taskId":"t00000000001"})),
        event(0.5, json!({"type":"action","data":{"name":"navigate","target":"shop"},"taskId":"t00000000001"})),
        event(
            1.0,
            json!({"type":"guardrail_trigger","data":{"type":"human_input_needed","value":"Which size?"},"taskId":"t00000000001"}),
        ),
        http(
            1.6,
            "/start/send-message",
            json!({"sessionId":"s00000000001","message":{"actionType":"guardrail","taskDetails":"42","newState":"resume"}}),
            json!({"success":true}),
        ),
        event(
            2.4,
            json!({"type":"task_completed","taskId":"t00000000001","data":{"message":"Bought"},"usage":{"cost":0.02}}),
        ),
        http(
            3.0,
            "/start/send-message",
            json!({"sessionId":"s00000000001","message":{"actionType":"newTask","newState":"start","taskDetails":"Find socks"}}),
            json!({"success":true,"taskId":"t00000000002","status":"pending","pending":true}),
        ),
        rec(3.5, json!({"type":"command","command":"message","data":{"actionType":"state","newState":"pause"}})),
        rec(4.0, json!({"type":"command","command":"message","data":{"actionType":"state","newState":"resume"}})),
        event(4.2, json!({"type":"agent","content":"Looking for socks","taskId":"t00000000002"})),
        rec(5.0, json!({"type":"command","command":"message","data":{"actionType":"state","newState":"stop"}})),
        http(
            5.5,
            "/task/s00000000001/t00000000002",
            Value::Null,
            json!({"success":true,"status":"stopped","pending":false,"usage":{"cost":0.05}}),
        ),
    ];
    let path = dir.join("s00000000001.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn a_recording_becomes_a_page_with_its_tasks_events_and_commands() {
    let dir = out_dir();
    let file = recording(&dir);
    let html = dir.join("session-report.html");
    let done = run(enigma().arg("report").arg(&file).arg("--html").arg(&html));
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(stdout(&done).contains("Session s00000000001: 2 task(s), 0.0700 USD spent"), "{}", stdout(&done));
    let Some(browser) = chromium() else { return skip("the session report in a browser") };
    let dom = open_in_chromium(&browser, &format!("file://{}", html.display()), &dir.join("session-report.png"));
    assert_eq!(count(&dom, "class=\"task-bar "), 2);
    assert_eq!(count(&dom, "class=\"mark mark-agent\""), 2);
    assert_eq!(count(&dom, "class=\"mark mark-guardrail\""), 1);
    assert_eq!(count(&dom, "data-command="), 4, "guardrail answer, pause, resume, stop");
    assert!(dom.contains("Buy &lt;i&gt;shoes&lt;/i&gt;") && !dom.contains("<i>shoes"));
}

#[test]
fn the_simulators_live_page_updates_itself_in_a_browser() {
    let Some(browser) = chromium() else { return skip("the live page in a browser") };
    // Slow enough that the question is still waiting when the browser looks.
    let sim = Sim::start(&["--time-scale", "0.05", "--rate-limit", "0"]);
    let start = run(sim
        .enigma()
        .args(["--json", "session", "start", "--task"])
        .arg("Buy <b>shoes</b> #sim duration=60 steps=6 cost=0.05 guardrail=\"Which size?\""));
    assert!(start.status.success(), "{}", stderr(&start));
    let sid = serde_json::from_str::<Value>(&stdout(&start)).unwrap()["sessionId"].as_str().unwrap().to_owned();
    let began = Instant::now();
    while !sim.get(&format!("/live/{sid}/state")).contains("\"phase\":\"guardrail\"") {
        assert!(began.elapsed() < Duration::from_secs(30), "the guardrail never came");
        std::thread::sleep(Duration::from_millis(50));
    }
    let dir = out_dir();
    let dom = open_in_chromium(&browser, &format!("{}/live/{sid}", sim.url), &dir.join("live-page.png"));
    assert!(dom.contains("id=\"viewport\"") && dom.contains("width:1024px;height:600px"));
    assert!(dom.contains("Planning how to: Buy &lt;b&gt;shoes&lt;/b&gt;"), "the reasoning feed");
    assert!(dom.contains("navigate: the starting page"), "the actions");
    assert!(dom.contains("The agent asks: Which size?"), "the question over the page");
    assert!(dom.contains("Step 2 of 6"), "the step");
    assert!(!dom.contains("<b>shoes"), "user text is text");
    sim.post(
        "/start/send-message",
        json!({"sessionId": sid, "message": {"actionType":"state","newState":"terminate"}}),
    );
}
