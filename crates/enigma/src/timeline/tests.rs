//! The timeline model read from hand-written records in the recording format, and its HTML.

use serde_json::{Value, json};

use super::{MarkKind, Timeline};

fn lines(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

fn header() -> Value {
    json!({"type":"header","format":"enigma-recording","version":1,"sdk":"enigma-rust 0.1.0",
           "baseUrl":"http://127.0.0.1:1","sessionId":"s00000000001","wall":"2026-01-01T00:00:00Z","t":0.0})
}

fn http(t: f64, path: &str, request: Value, status: u64, response: Value, ms: f64) -> Value {
    json!({"type":"http","t":t,"wall":"2026-01-01T00:00:00Z","method": if path.starts_with("/task/") {"GET"} else {"POST"},
           "path":path,"query":null,"status":status,"requestHeaders":{},"responseHeaders":{},
           "request":request,"response":response,"ms":ms,"error":null})
}

fn event(t: f64, name: &str, data: Value) -> Value {
    json!({"type":"event","t":t,"wall":"2026-01-01T00:00:00Z","event":name,"data":data})
}

fn command(t: f64, data: Value) -> Value {
    json!({"type":"command","t":t,"wall":"2026-01-01T00:00:00Z","command":"message","data":data})
}

/// A session: an initial task that asks a guardrail (answered), a second task paused and
/// resumed, then stopped at a cost; a failed third create (429); the session terminated.
fn two_task_recording() -> String {
    lines(&[
        header(),
        http(
            0.0,
            "/start/start-session",
            json!({"taskDetails":"Buy <b>shoes</b> & \"socks\""}),
            200,
            json!({"success":true,"sessionId":"s00000000001","taskId":"t00000000001"}),
            200.0,
        ),
        event(
            0.5,
            "message",
            json!({"type":"agent","content":"Planning <script>alert(1)</script>","taskId":"t00000000001"}),
        ),
        event(
            0.6,
            "message",
            json!({"type":"action","data":{"name":"click_element","target":"search"},"taskId":"t00000000001"}),
        ),
        event(
            1.0,
            "message",
            json!({"type":"guardrail_trigger","data":{"type":"human_input_needed","value":"Which size?"},"taskId":"t00000000001"}),
        ),
        http(
            1.49,
            "/start/send-message",
            json!({"sessionId":"s00000000001","message":{"actionType":"guardrail","taskDetails":"42","newState":"resume"}}),
            200,
            json!({"success":true}),
            10.0,
        ),
        event(
            2.0,
            "message",
            json!({"type":"response_update","data":{"message":"Step 2 of 2 done"},"taskId":"t00000000001"}),
        ),
        event(
            2.5,
            "message",
            json!({"type":"task_completed","taskId":"t00000000001","data":{"message":"Bought"},"usage":{"cost":0.02}}),
        ),
        http(
            2.9,
            "/start/send-message",
            json!({"sessionId":"s00000000001","message":{"actionType":"newTask","newState":"start","taskDetails":"Find socks"}}),
            200,
            json!({"success":true,"sessionId":"s00000000001","taskId":"t00000000002","status":"pending","pending":true}),
            100.0,
        ),
        command(3.5, json!({"actionType":"state","newState":"pause"})),
        command(4.0, json!({"actionType":"state","newState":"resume"})),
        http(
            4.495,
            "/task/s00000000001/t00000000002",
            Value::Null,
            200,
            json!({"success":true,"status":"active","pending":true,"usage":{"cost":0.05}}),
            5.0,
        ),
        command(5.0, json!({"actionType":"state","newState":"stop"})),
        event(5.2, "message", json!({"type":"task_stopped","taskId":"t00000000002"})),
        http(
            5.495,
            "/task/s00000000001/t00000000002",
            Value::Null,
            200,
            json!({"success":true,"status":"stopped","pending":false,"usage":{"cost":0.06}}),
            5.0,
        ),
        http(
            5.595,
            "/task/s00000000001/t00000000002",
            Value::Null,
            200,
            json!({"success":true,"status":"stopped","pending":false,"usage":{"cost":0.06}}),
            5.0,
        ),
        http(
            5.997,
            "/start/send-message",
            json!({"sessionId":"s00000000001","message":{"actionType":"newTask","newState":"start","taskDetails":"Refused"}}),
            429,
            json!({"success":false,"code":"RATE_LIMIT_EXCEEDED"}),
            3.0,
        ),
        http(
            6.997,
            "/start/send-message",
            json!({"sessionId":"s00000000001","message":{"actionType":"state","newState":"terminate"}}),
            200,
            json!({"success":true}),
            3.0,
        ),
        event(7.1, "end_session", json!({"type":"end_session","reason":"terminated","message":"bye"})),
    ])
}

#[test]
fn a_recording_becomes_tasks_marks_commands_and_spend() {
    let timeline = Timeline::from_recording(&two_task_recording()).unwrap();
    assert_eq!(timeline.title, "Session s00000000001");
    assert_eq!(timeline.started_at.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(timeline.tasks.len(), 2, "the refused create is no task: {:#?}", timeline.tasks);
    let (first, second) = (&timeline.tasks[0], &timeline.tasks[1]);
    assert_eq!(first.id.as_deref(), Some("t00000000001"));
    assert_eq!(first.text, "Buy <b>shoes</b> & \"socks\"");
    assert_eq!((first.start, first.end, first.outcome.as_str()), (0.0, Some(2.5), "completed"));
    let kinds: Vec<MarkKind> = first.marks.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [MarkKind::Agent, MarkKind::Action, MarkKind::Guardrail, MarkKind::Update, MarkKind::Outcome]);
    assert_eq!(first.marks[2].text, "Which size?");
    // Sent 100 ms before its answer was recorded; ended at the first stopped poll.
    assert_eq!(second.id.as_deref(), Some("t00000000002"));
    assert_eq!((second.start, second.end, second.outcome.as_str()), (2.9, Some(5.5), "stopped"));
    assert_eq!(
        second.marks.iter().filter(|m| m.kind == MarkKind::Outcome).count(),
        1,
        "a repeated final poll is one end"
    );
    let commands: Vec<&str> = timeline.commands.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(commands, ["guardrail", "pause", "resume", "stop", "terminate"]);
    assert_eq!(timeline.commands[0].detail.as_deref(), Some("42 (resume)"));
    let spend: Vec<(f64, f64)> = timeline.spend.iter().map(|p| (p.t, (p.usd * 1000.0).round() / 1000.0)).collect();
    assert_eq!(spend, [(2.5, 0.02), (4.5, 0.07), (5.5, 0.08)]);
    assert!(timeline.marks.iter().any(|m| m.kind == MarkKind::Error && m.text.contains("429 RATE_LIMIT_EXCEEDED")));
    assert!(timeline.marks.iter().any(|m| m.text == "session ended (terminated)"));
    assert_eq!(timeline.duration, 7.1);
}

#[test]
fn the_html_is_self_contained_escaped_and_has_a_bar_per_task() {
    let timeline = Timeline::from_recording(&two_task_recording()).unwrap();
    let page = timeline.to_html_page();
    assert!(page.starts_with("<!doctype html>"));
    assert_eq!(page.matches("class=\"task-bar ").count(), 2);
    assert_eq!(page.matches("class=\"mark mark-guardrail\"").count(), 1);
    assert_eq!(page.matches("data-command=").count(), 5);
    assert!(page.contains("class=\"spend-curve\""));
    // User data escaped everywhere: in text, in tooltips, in the table.
    assert!(!page.contains("<script>") && !page.contains("<b>shoes"), "unescaped user text");
    assert!(page.contains("Planning &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("Buy &lt;b&gt;shoes&lt;/b&gt; &amp; \"socks\""));
    // Nothing fetched: no external reference of any kind.
    for needle in ["src=", "href=", "@import", "url(", "<script"] {
        assert!(!page.contains(needle), "the page refers to something outside: {needle}");
    }
}

#[test]
fn attributes_escape_quotes() {
    let mut timeline = Timeline::from_recording(&lines(&[header()])).unwrap();
    timeline.tasks.push(super::TaskBar {
        id: Some("x\" onload=\"alert(1)".into()),
        text: "t".into(),
        outcome: "completed\"><script>".into(),
        ..Default::default()
    });
    let html = timeline.to_html();
    assert!(!html.contains("\" onload=\"") && !html.contains("<script>"), "{html}");
    assert!(html.contains("x&quot; onload=&quot;alert(1)"));
}

#[test]
fn a_torn_last_line_is_passed_over_and_a_bad_one_named() {
    let mut text = lines(&[header(), event(1.0, "message", json!({"type":"agent","content":"hi"}))]);
    text.push_str("{\"type\":\"ev");
    let timeline = Timeline::from_recording(&text).unwrap();
    assert_eq!(timeline.tasks.len(), 1, "an event before any task starts one");
    let bad = format!("{}not json\n{}", lines(&[header()]), lines(&[header()]));
    let err = Timeline::from_recording(&bad).unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(err.to_string().contains("line 2"), "{err}");
    assert!(Timeline::from_recording("{\"type\":\"header\"}\n").is_err(), "not an enigma recording");
}

#[test]
fn a_truncated_recording_says_so() {
    let text = lines(&[header(), json!({"type":"truncated","t":3.0,"wall":"x","bytes":1024})]);
    let timeline = Timeline::from_recording(&text).unwrap();
    assert!(timeline.marks[0].text.contains("truncated") && timeline.marks[0].text.contains("1024"));
}

fn item(index: usize, session: &str, outcome: &str, cost: f64, start: u64, end: u64) -> Value {
    json!({"index":index,"id":format!("row-{index}"),"outcome":outcome,"message":"done","question":null,
           "usage":{"cost":cost},"error": if outcome == "failed" {json!({"code":"task_failed","message":"<crash>"})} else {Value::Null},
           "sessionId":session,"taskId":format!("t{index:011}"),
           "timings":{"startedAtMs":start,"endedAtMs":end,"durationSecs":((end - start) as f64) / 1000.0}})
}

#[test]
fn a_journal_becomes_bars_per_session_and_spend_against_the_budget() {
    let text = lines(&[
        json!({"journal":"enigma-batch-journal","version":1,"budget":0.5}),
        json!({"i":0,"event":"sent","digest":"a"}),
        json!({"i":0,"event":"submitted","digest":"a","sessionId":"s1","taskId":"t00000000000"}),
        json!({"i":1,"event":"sent","digest":"b"}),
        json!({"i":2,"event":"sent","digest":"c"}),
        json!({"i":1,"event":"ended","digest":"b","item":item(1,"s2","failed",0.05,1_000_500,1_003_000)}),
        json!({"i":0,"event":"ended","digest":"a","item":item(0,"s1","completed",0.1,1_000_000,1_002_000)}),
        json!({"i":3,"event":"ended","digest":"d","item":item(3,"s1","stopped",0.2,1_002_500,1_004_000)}),
    ]);
    let timeline = Timeline::from_journal(&text).unwrap();
    assert_eq!(timeline.source, "journal");
    assert_eq!(timeline.budget, Some(0.5));
    type Bar<'a> = (&'a str, Option<&'a str>, &'a str, f64, Option<f64>);
    let bars: Vec<Bar> = timeline
        .tasks
        .iter()
        .map(|t| (t.text.as_str(), t.session_id.as_deref(), t.outcome.as_str(), t.start, t.end))
        .collect();
    assert_eq!(
        bars,
        [
            ("#0 row-0", Some("s1"), "completed", 0.0, Some(2.0)),
            ("#1 row-1", Some("s2"), "failed", 0.5, Some(3.0)),
            ("#3 row-3", Some("s1"), "stopped", 2.5, Some(4.0)),
        ]
    );
    let spend: Vec<(f64, f64)> = timeline.spend.iter().map(|p| (p.t, (p.usd * 100.0).round() / 100.0)).collect();
    assert_eq!(spend, [(2.0, 0.1), (3.0, 0.15), (4.0, 0.35)]);
    assert!(timeline.marks.iter().any(|m| m.text.starts_with("1 task(s) sent and not ended")), "{:?}", timeline.marks);
    let html = timeline.to_html_page();
    assert_eq!(html.matches("class=\"session-label\"").count(), 2, "grouped by session");
    assert!(html.contains("class=\"budget\"") && html.contains("of a 0.5000 USD budget"));
    assert!(html.contains("task_failed: &lt;crash&gt;"));
}

#[test]
fn files_are_told_apart_by_their_first_line() {
    let dir = std::env::temp_dir().join(format!("enigma-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let recording = dir.join("s.jsonl");
    std::fs::write(&recording, two_task_recording()).unwrap();
    assert_eq!(Timeline::from_file(&recording).unwrap().source, "recording");
    let journal = dir.join("j.jsonl");
    std::fs::write(&journal, "{\"journal\":\"enigma-batch-journal\",\"version\":1}\n").unwrap();
    assert_eq!(Timeline::from_file(&journal).unwrap().source, "journal");
    let other = dir.join("o.txt");
    std::fs::write(&other, "hello\n").unwrap();
    let err = Timeline::from_file(&other).unwrap_err();
    assert!(err.to_string().contains("neither a session recording"), "{err}");
    assert!(Timeline::from_file(dir.join("missing")).unwrap_err().to_string().contains("cannot read"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_live_view_frame_is_the_viewport_and_read_only_takes_no_input() {
    use crate::model::live_view::LiveView;
    let view = LiveView::new("http://127.0.0.1:9/live/abc?x=1&y=\"2\"", true, None);
    let html = view.html();
    assert!(html.contains("width=\"1024\" height=\"600\""));
    assert!(html.contains("pointer-events:none") && html.contains("sandbox=\"allow-scripts allow-same-origin\""));
    assert!(html.contains("enigma-live-view-shield"));
    assert!(html.contains("src=\"http://127.0.0.1:9/live/abc?x=1&amp;y=&quot;2&quot;\""), "{html}");
    let interactive = LiveView::new("http://h/v", false, Some((800, 500))).html();
    assert!(interactive.contains("width=\"800\" height=\"500\"") && !interactive.contains("pointer-events:none"));
}

#[test]
fn a_create_answered_after_its_events_is_one_task() {
    // The inline wait held the answer: the task's events came first.
    let text = lines(&[
        header(),
        event(0.5, "message", json!({"type":"agent","content":"Planning","taskId":"t00000000009"})),
        event(
            0.9,
            "message",
            json!({"type":"guardrail_trigger","data":{"type":"human_input_needed","value":"Size?"},"taskId":"t00000000009"}),
        ),
        http(
            0.25,
            "/start/send-message",
            json!({"sessionId":"s00000000001","message":{"actionType":"newTask","newState":"start","taskDetails":"Buy shoes"}}),
            200,
            json!({"success":true,"taskId":"t00000000009","status":"pending","pending":true,"result":{"type":"guardrail_trigger","data":{"type":"human_input_needed","value":"Size?"}}}),
            750.0,
        ),
    ]);
    let timeline = Timeline::from_recording(&text).unwrap();
    assert_eq!(timeline.tasks.len(), 1, "{:#?}", timeline.tasks);
    let task = &timeline.tasks[0];
    assert_eq!((task.text.as_str(), task.start, task.outcome.as_str()), ("Buy shoes", 0.25, "guardrail"));
    assert_eq!(task.marks.iter().filter(|m| m.kind == MarkKind::Guardrail).count(), 1, "asked once");
}
