//! Each call's options are checked once, whichever door they come through: the handles take
//! checked options (`enigma::Checked`) and check raw ones once on the way in. Every check is a
//! trace event (target `enigma::rules`); these tests count them per call.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use enigma::{RunTaskOptions, SessionOptions, TaskOptions, WaitOptions};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt};

/// The checks seen, as `(options type, rules)` and how often.
#[derive(Clone, Default)]
struct Checks(Arc<Mutex<BTreeMap<(String, String), u32>>>);

impl Checks {
    /// The checks seen since the last call, with short type names (`WaitOptions`, `Plain`).
    fn take(&self) -> Vec<(String, String, u32)> {
        let short = |name: &str| name.rsplit("::").next().unwrap_or(name).to_owned();
        let seen = std::mem::take(&mut *self.0.lock().unwrap());
        seen.into_iter().map(|((options, rules), n)| (short(&options), short(&rules), n)).collect()
    }
}

#[derive(Default)]
struct Fields(Option<String>, Option<String>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "options" => self.0 = Some(value.to_owned()),
            "rules" => self.1 = Some(value.to_owned()),
            _ => {}
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Checks {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() != "enigma::rules" {
            return;
        }
        let mut fields = Fields::default();
        event.record(&mut fields);
        let key = (fields.0.unwrap_or_default(), fields.1.unwrap_or_default());
        *self.0.lock().unwrap().entry(key).or_default() += 1;
    }
}

fn once(options: &str, rules: &str) -> Vec<(String, String, u32)> {
    vec![(options.to_owned(), rules.to_owned(), 1)]
}

#[tokio::test]
async fn each_call_checks_its_options_once() {
    let checks = Checks::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(checks.clone()));
    let sim = sim().await;
    for live_events in [true, false] {
        // One start-session with the task, or start-session then newTask: one check either way.
        let client = builder(&sim).live_events(live_events).build().unwrap();
        let options = RunTaskOptions::new("Say hi #sim message=hi").timeout(Duration::from_secs(30)).max_cost(5.0);
        client.run_task(options).await.unwrap();
        assert_eq!(checks.take(), once("RunTaskOptions", "Plain"), "run_task, live events {live_events}");

        let task = client.start_task(SessionOptions::new().task_details("Say hi #sim message=hi")).await.unwrap();
        assert_eq!(checks.take(), once("SessionOptions", "WithTask"), "start_task, live events {live_events}");
        task.result(WaitOptions::new().max_cost(5.0)).await.unwrap();
        assert_eq!(checks.take(), once("WaitOptions", "Plain"), "result");

        let session = client.start_session(SessionOptions::new()).await.unwrap();
        assert_eq!(checks.take(), once("SessionOptions", "Plain"), "start_session");
        let task = session.new_task(TaskOptions::new("Say hi #sim message=hi")).await.unwrap();
        assert_eq!(checks.take(), once("TaskOptions", "Plain"), "new_task");
        task.result(WaitOptions::new()).await.unwrap();
        session.terminate().await.unwrap();
        checks.take();
    }
}

/// A binding's options are checked when they are read, and the handles take them as they are.
#[cfg(feature = "binding")]
#[tokio::test]
async fn options_a_binding_read_are_not_checked_again() {
    use enigma::binding::{Spelling, run_task_options, task_options, wait_options};
    use serde_json::json;

    let checks = Checks::default();
    let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(checks.clone()));
    let sim = sim().await;
    let client = client(&sim);
    let read = json!({"task_details": "Say hi #sim message=hi", "timeout": 30, "max_cost": 5});
    client.run_task(run_task_options(read, Spelling::Snake).unwrap()).await.unwrap();
    assert_eq!(checks.take(), once("RunTaskOptions", "Plain"));
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    checks.take();
    let read = task_options(json!({"taskDetails": "Say hi #sim message=hi"}), Spelling::Camel).unwrap();
    let task = session.new_task(read).await.unwrap();
    assert_eq!(checks.take(), once("TaskOptions", "Plain"));
    task.result(wait_options(json!({"maxCost": 5}), Spelling::Camel).unwrap()).await.unwrap();
    assert_eq!(checks.take(), once("WaitOptions", "Plain"));
    session.terminate().await.unwrap();
}
