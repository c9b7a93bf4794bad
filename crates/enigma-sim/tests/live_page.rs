//! The live page (`webViewURL`) and the state it polls: the current task and step, the
//! reasoning and actions, a guardrail question, the spend; user text never as markup.

mod common;

use common::Sim;
use serde_json::{Value, json};

#[tokio::test]
async fn the_state_shows_the_current_task_its_question_and_the_spend() {
    let sim = Sim::fast().await;
    let (sid, tid) = sim.session(r#"Buy shoes #sim steps=3 cost=0.03 guardrail="Which size?""#).await;
    let tid = tid.unwrap();
    sim.poll_until(&sid, &tid, |b| b["type"] == "guardrail_trigger").await;
    let state = sim.get(&format!("/live/{sid}/state")).await;
    assert_eq!(state.status, 200, "{:?}", state.body);
    let s = &state.body;
    assert_eq!(s["session"]["id"], sid);
    assert_eq!(s["session"]["viewport"], json!({ "width": 1024, "height": 600 }));
    assert_eq!(s["current"]["id"], tid);
    assert_eq!(s["current"]["phase"], "guardrail");
    assert_eq!(s["current"]["question"], "Which size?");
    assert_eq!(s["current"]["steps"], 3);
    let types: Vec<&str> = s["events"].as_array().unwrap().iter().filter_map(|e| e["data"]["type"].as_str()).collect();
    assert!(types.starts_with(&["agent", "action"]) && types.contains(&"guardrail_trigger"), "{types:?}");

    sim.send(&sid, json!({ "actionType": "guardrail", "taskDetails": "42", "newState": "resume" })).await;
    sim.poll_until_final(&sid, &tid).await;
    let done = sim.get(&format!("/live/{sid}/state")).await.body;
    assert_eq!(done["current"], Value::Null, "idle after the task");
    assert_eq!(done["tasks"][0]["phase"], "completed");
    assert_eq!(done["spend"], 0.03);
    sim.state(&sid, "terminate").await;
    let ended = sim.get(&format!("/live/{sid}/state")).await.body;
    assert_eq!(ended["session"]["terminated"], true);
    assert_eq!(sim.get("/live/nosuchsession/state").await.status, 404);
}

#[tokio::test]
async fn the_page_is_self_contained_and_keeps_user_text_out_of_its_markup() {
    let sim = Sim::fast().await;
    let (sid, _) = sim.session("Look </script><script>alert(1)</script> & <b>bold</b>").await;
    let page = sim.http.get(sim.url(&format!("/live/{sid}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert_eq!(html.matches("<script").count(), 2, "only the page's own state and script: {html}");
    assert!(!html.contains("<b>bold") && html.contains("\\u003cb\\u003ebold"));
    assert!(!html.contains("http-equiv=\"refresh\""), "it updates itself, no reload");
    for outside in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(outside), "the page fetches something outside: {outside}");
    }
    assert!(html.contains("width:1024px;height:600px"), "the documented viewport");
    let missing = sim.http.get(sim.url("/live/%3Cb%3Ex")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        !missing.headers()["content-type"].to_str().unwrap().contains("html"),
        "an unknown id is not echoed as markup"
    );
}
