//! A session's live page (its `webViewURL`): what a live view shows, offline. The current page
//! and step in a browser-shaped frame of the documented viewport (1024×600), the agent's
//! reasoning as a feed, its actions, a guardrail question waiting for an answer, the spend.
//!
//! The page is self-contained (its style and script inline, nothing fetched but its own state)
//! and updates itself without reloading: its script polls [`snapshot`] as JSON at
//! `/live/:id/state` every second, until the session ends. Everything from the session is put
//! in the page as text (`textContent`), never as markup.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::state::{Session, SessionStatus, Task, TaskPhase};

/// The documented viewport (contract §3.2).
const VIEWPORT: (u32, u32) = (1024, 600);

fn phase_name(task: &Task) -> &'static str {
    match &task.phase {
        TaskPhase::Queued => "queued",
        TaskPhase::Running if task.paused => "paused",
        TaskPhase::Running => "running",
        TaskPhase::Guardrail(_) => "guardrail",
        TaskPhase::Completed => "completed",
        TaskPhase::Failed { .. } => "failed",
        TaskPhase::Stopped => "stopped",
        TaskPhase::Terminated => "terminated",
    }
}

fn task_json(task: &Task) -> Value {
    let steps = task.script.steps.max(1);
    let step = (task.point / 2 + 1).min(steps);
    let (question, error) = match &task.phase {
        TaskPhase::Guardrail(q) => (Some(q.clone()), None),
        TaskPhase::Failed { code, error } => (None, Some(format!("{code}: {error}"))),
        _ => (None, None),
    };
    json!({
        "id": task.id, "text": task.script.text, "phase": phase_name(task), "step": step, "steps": steps,
        "cost": task.usage().cost, "question": question, "error": error,
    })
}

/// The session's state as the page shows it.
pub(crate) fn snapshot(session: &Session, tasks: &HashMap<String, Task>) -> Value {
    let (state, terminated) = match &session.status {
        SessionStatus::Active if session.manual_control => ("under manual control".to_string(), false),
        SessionStatus::Active if session.current.is_some() => ("active".to_string(), false),
        SessionStatus::Active => ("idle".to_string(), false),
        SessionStatus::Terminated { reason } => (format!("terminated ({reason})"), true),
    };
    let listed: Vec<&Task> = session.task_ids.iter().filter_map(|id| tasks.get(id)).collect();
    let spend: f64 = listed.iter().map(|t| t.usage().cost).sum();
    let current = session.current.as_ref().and_then(|id| tasks.get(id)).map(task_json);
    let events: Vec<&Value> = session.recent.iter().collect();
    json!({
        "session": {
            "id": session.id, "state": state, "terminated": terminated, "manualControl": session.manual_control,
            "startingUrl": session.options.starting_url, "avoidDomains": session.options.avoid_domains,
            "maxInputTokens": session.options.max_input_tokens, "maxOutputTokens": session.options.max_output_tokens,
            "viewport": { "width": VIEWPORT.0, "height": VIEWPORT.1 },
        },
        "spend": (spend * 1e6).round() / 1e6,
        "current": current,
        "tasks": listed.iter().map(|t| task_json(t)).collect::<Vec<_>>(),
        "events": events,
    })
}

/// JSON safe inside a `<script>` element: no `<`, `>` or `&` can end it early.
fn script_json(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// The page, with the state as of now (its script renders it at once, then keeps it current).
pub(crate) fn render(session: &Session, tasks: &HashMap<String, Task>) -> String {
    let (width, height) = VIEWPORT;
    PAGE.replace("{{WIDTH}}", &width.to_string())
        .replace("{{HEIGHT}}", &height.to_string())
        .replace("{{STATE}}", &script_json(&snapshot(session, tasks)))
}

const PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Enigma simulator: live view</title>
<style>
body{margin:0;font:13px system-ui,-apple-system,'Segoe UI',sans-serif;background:#eef0f3;color:#222}
header{display:flex;gap:16px;align-items:center;padding:8px 14px;background:#1f2937;color:#fff}
header code{color:#cde}
.badge{padding:2px 8px;border-radius:10px;background:#2a7;font-size:12px}
.badge.off{background:#888}.badge.wait{background:#e90}.badge.manual{background:#1565c0}
main{display:flex;gap:14px;padding:14px;align-items:flex-start}
.browser{border:1px solid #9aa;border-radius:8px;overflow:hidden;background:#fff;box-shadow:0 2px 8px #0002}
.chrome{height:64px;background:#dfe3e8;display:flex;flex-direction:column;justify-content:center;gap:6px;padding:0 10px}
.tabs{display:flex;gap:6px;align-items:center}
.dot{width:11px;height:11px;border-radius:50%;display:inline-block}
.tab{background:#fff;border-radius:6px 6px 0 0;padding:3px 12px;max-width:320px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.urlbar{background:#fff;border-radius:12px;padding:3px 12px;color:#444;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.viewport{position:relative;overflow:hidden;background:linear-gradient(#fafbfc,#f1f3f5)}
.page{padding:28px 36px}
.page h1{font-size:22px;margin:0 0 6px}
.progress{height:8px;background:#e3e6ea;border-radius:4px;width:420px;margin:10px 0}
.progress div{height:8px;background:#2a7;border-radius:4px}
.action{margin-top:28px;display:inline-block;padding:10px 16px;border:2px solid #1565c0;border-radius:6px;background:#e8f0fe}
.overlay{position:absolute;left:0;right:0;bottom:0;padding:14px 20px;font-size:15px}
.overlay.guardrail{background:#fff3e0;border-top:3px solid #e90}
.overlay.paused{background:#eceff1;border-top:3px solid #888}
.overlay.ended{background:#fbe9e7;border-top:3px solid #d33}
aside{width:340px;display:flex;flex-direction:column;gap:10px}
aside section{background:#fff;border:1px solid #ccd;border-radius:6px;padding:8px 10px}
aside h2{font-size:12px;text-transform:uppercase;color:#667;margin:0 0 6px}
.spend{font-size:22px;font-weight:600}
ol{margin:0;padding-left:18px;max-height:220px;overflow:auto}
li{margin:2px 0}
li.guardrail{color:#b36b00;font-weight:600}li.error{color:#c62828;font-weight:600}li.done{color:#2a7}
table{border-collapse:collapse;width:100%;font-size:12px}td{border-top:1px solid #eee;padding:2px 4px;vertical-align:top}
.question{background:#fff3e0;border-left:4px solid #e90;padding:6px 8px}
.muted{color:#889}
</style></head>
<body>
<header><strong>Enigma simulator</strong><span>session <code id="session-id"></code></span>
<span id="state" class="badge"></span><span>spent <strong id="spend-top"></strong></span>
<span class="muted">simulated browser: no video</span></header>
<main>
<div class="browser" style="width:{{WIDTH}}px">
  <div class="chrome">
    <div class="tabs"><span class="dot" style="background:#f55"></span><span class="dot" style="background:#fb3"></span>
      <span class="dot" style="background:#3c5"></span><span class="tab" id="tab-title"></span></div>
    <div class="urlbar" id="url"></div>
  </div>
  <div class="viewport" id="viewport" style="width:{{WIDTH}}px;height:{{HEIGHT}}px">
    <div class="page"><h1 id="page-title"></h1><div id="page-task" class="muted"></div>
      <div class="progress"><div id="progress-bar" style="width:0"></div></div><div id="step"></div>
      <div class="action" id="current-action" hidden></div></div>
    <div class="overlay" id="overlay" hidden></div>
  </div>
</div>
<aside>
  <section><h2>Spend</h2><div class="spend" id="spend"></div></section>
  <section id="guardrail-box" hidden><h2>Guardrail question</h2><div class="question" id="guardrail"></div></section>
  <section><h2>Reasoning</h2><ol id="feed"></ol></section>
  <section><h2>Actions</h2><ol id="actions"></ol></section>
  <section><h2>Tasks</h2><table id="tasks"></table></section>
</aside>
</main>
<script id="initial-state" type="application/json">{{STATE}}</script>
<script>
"use strict";
(function () {
  var initial = JSON.parse(document.getElementById("initial-state").textContent);
  var stateUrl = "/live/" + encodeURIComponent(initial.session.id) + "/state";
  function el(id) { return document.getElementById(id); }
  function text(id, value) { el(id).textContent = value == null ? "" : String(value); }
  function usd(value) { return (value || 0).toFixed(4) + " USD"; }
  function item(list, value, cls) {
    var li = document.createElement("li");
    li.textContent = value;
    if (cls) li.className = cls;
    list.appendChild(li);
  }
  function pageUrl(s) {
    var url = s.session.startingUrl || "about:blank";
    s.events.forEach(function (e) {
      var d = e.data || {};
      if (d.type === "action" && d.data && d.data.name === "navigate" && /^https?:/.test(d.data.target || "")) url = d.data.target;
    });
    return url;
  }
  function render(s) {
    text("session-id", s.session.id);
    var badge = el("state");
    var cur = s.current;
    var label = s.session.state;
    if (cur && !s.session.manualControl) label = cur.phase === "guardrail" ? "waiting for an answer" : cur.phase;
    badge.textContent = label;
    badge.className = "badge" + (s.session.terminated ? " off" : s.session.manualControl ? " manual"
      : cur && cur.phase === "guardrail" ? " wait" : cur && cur.phase === "paused" ? " off" : "");
    text("spend", usd(s.spend)); text("spend-top", usd(s.spend));
    var url = pageUrl(s);
    text("url", url);
    var host = url.replace(/^https?:\/\//, "").split("/")[0] || url;
    text("tab-title", host);
    text("page-title", host);
    text("page-task", cur ? cur.text : (s.session.terminated ? "The session has ended." : "No task running."));
    var pct = cur ? Math.round(100 * (cur.step - 1) / cur.steps) : 0;
    el("progress-bar").style.width = (pct * 4.2) + "px";
    text("step", cur ? "Step " + cur.step + " of " + cur.steps : "");
    var lastAction = null, feed = el("feed"), actions = el("actions");
    feed.textContent = ""; actions.textContent = "";
    s.events.forEach(function (e) {
      var d = e.data || {};
      if (e.event !== "message") { item(feed, e.event + (d.reason ? ": " + d.reason : "") + (d.message ? " (" + d.message + ")" : ""), e.event === "end_session" ? "error" : ""); return; }
      if (d.type === "agent") item(feed, d.content);
      else if (d.type === "action") { lastAction = d.data || {}; item(actions, (lastAction.name || "action") + (lastAction.target ? ": " + lastAction.target : "")); }
      else if (d.type === "guardrail_trigger") item(feed, "Question: " + ((d.data || {}).value || ""), "guardrail");
      else if (d.type === "error") item(feed, "Failed (" + (d.code || "") + "): " + (d.error || ""), "error");
      else if (d.type === "task_completed") item(feed, "Completed: " + ((d.data || {}).message || ""), "done");
      else if (d.type === "response_update") item(feed, (d.data || {}).message || "", "muted");
    });
    feed.scrollTop = feed.scrollHeight; actions.scrollTop = actions.scrollHeight;
    var act = el("current-action");
    act.hidden = !(cur && lastAction);
    if (lastAction) act.textContent = (lastAction.name || "") + (lastAction.target ? " → " + lastAction.target : "");
    var overlay = el("overlay"), box = el("guardrail-box");
    overlay.hidden = true; overlay.className = "overlay"; box.hidden = true;
    if (cur && cur.phase === "guardrail") {
      overlay.hidden = false; overlay.className = "overlay guardrail"; overlay.textContent = "The agent asks: " + cur.question;
      box.hidden = false; text("guardrail", cur.question);
    } else if (cur && cur.phase === "paused") {
      overlay.hidden = false; overlay.className = "overlay paused"; overlay.textContent = "Paused after the current action";
    } else if (s.session.manualControl) {
      overlay.hidden = false; overlay.className = "overlay paused"; overlay.textContent = "Under manual control";
    } else if (s.session.terminated) {
      overlay.hidden = false; overlay.className = "overlay ended"; overlay.textContent = "Session " + s.session.state;
    }
    var table = el("tasks");
    table.textContent = "";
    s.tasks.forEach(function (t) {
      var tr = document.createElement("tr");
      tr.className = "task-row";
      [t.id, t.text, t.phase + (t.question ? ": " + t.question : "") + (t.error ? ": " + t.error : ""), usd(t.cost)].forEach(function (v) {
        var td = document.createElement("td"); td.textContent = v; tr.appendChild(td);
      });
      table.appendChild(tr);
    });
    document.title = "Enigma simulator: " + label + " (" + s.session.id + ")";
  }
  function poll() {
    fetch(stateUrl, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (s) {
      render(s);
      if (!s.session.terminated) setTimeout(poll, 1000);
    }).catch(function () { setTimeout(poll, 3000); });
  }
  render(initial);
  if (!initial.session.terminated) setTimeout(poll, 1000);
})();
</script>
</body></html>
"#;
