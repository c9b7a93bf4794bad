//! Runs every `tests/scenarios/*.json` file against its own simulator (the format is in
//! `tests/scenarios/README.md`). Python and Node run the same files.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::*;
use enigma::{
    Client, Error, GuardrailDecision, Session, SessionOptions, Task, TaskOptions, TaskResult, TaskState, TaskStatus,
    Typing, WaitOptions,
};
use enigma_sim::{SimConfig, SimHandle};
use serde_json::Value;

#[tokio::test]
async fn every_scenario_file_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "scenarios found: {files:?}");
    for file in files {
        let scenario: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        // Against the simulator as it is, and as the docs alone describe the service.
        for strict_docs in [false, true] {
            let scenario = if strict_docs { documented_only(&scenario) } else { scenario.clone() };
            run(&scenario, strict_docs)
                .await
                .unwrap_or_else(|e| panic!("{} (strict_docs: {strict_docs}): {e}", file.display()));
        }
    }
}

/// The scenario without the expectations only the simulator's extras can meet (`paused` in
/// polls, which the documented service does not send).
fn documented_only(scenario: &Value) -> Value {
    let mut scenario = scenario.clone();
    for step in scenario["steps"].as_array_mut().into_iter().flatten() {
        if let Some(expect) = step.get_mut("expect").and_then(Value::as_object_mut)
            && expect.remove("paused").is_some()
        {
            expect.insert("state".into(), "running".into());
        }
    }
    scenario
}

struct Runner {
    sim: SimHandle,
    client: Client,
    time_scale: f64,
    session: Option<Session>,
    task: Option<Task>,
    saved: HashMap<String, Task>,
}

/// What a step produced, for its `expect`.
enum Produced {
    Nothing,
    Result(TaskResult),
    Status(TaskStatus),
}

async fn run(scenario: &Value, strict_docs: bool) -> Result<(), String> {
    let settings = &scenario["simulator"];
    let time_scale = settings["timeScale"].as_f64().unwrap_or(TIME_SCALE);
    let mut config = SimConfig { time_scale, strict_docs, ..sim_config() };
    if let Some(wait) = settings["inlineWait"].as_f64() {
        config.inline_wait = Duration::from_secs_f64(wait);
    }
    if let Some(max) = settings["maxSessions"].as_u64() {
        config.max_sessions = max as u32;
    }
    if let Some(balance) = settings["balance"].as_f64() {
        config.initial_balance = balance;
    }
    let sim = sim_with(config).await;
    let client = client(&sim);
    let mut runner = Runner { sim, client, time_scale, session: None, task: None, saved: HashMap::new() };
    for (index, step) in scenario["steps"].as_array().ok_or("no steps")?.iter().enumerate() {
        let op = step["op"].as_str().unwrap_or("?");
        runner.step(step).await.map_err(|e| format!("step {index} ({op}): {e}"))?;
    }
    Ok(())
}

impl Runner {
    async fn step(&mut self, step: &Value) -> Result<(), String> {
        let expect = &step["expect"];
        if step["op"] == "stats" {
            return self.check_stats(expect);
        }
        match self.perform(step).await {
            Ok(produced) => {
                if let Some(code) = expect["error"].as_str() {
                    return Err(format!("expected error {code}, but the step succeeded"));
                }
                check_produced(&produced, expect)
            }
            Err(err) => check_error(&err, expect),
        }
    }

    async fn perform(&mut self, step: &Value) -> Result<Produced, Error> {
        let args = &step["args"];
        let op = step["op"].as_str().unwrap_or_default();
        match op {
            "startSession" => {
                let session = self.client.start_session(session_options(args)).await?;
                self.task = session.initial_task().cloned();
                self.session = Some(session);
            }
            "newTask" => {
                let task = self.session().new_task(task_options(args)).await?;
                if let Some(name) = step["save"].as_str() {
                    self.saved.insert(name.to_owned(), task.clone());
                }
                self.task = Some(task);
            }
            "runTask" => {
                let options = enigma::RunTaskOptions { session: session_options(args), wait: wait_options(args) };
                return Ok(Produced::Result(self.client.run_task(options).await?));
            }
            "result" => return Ok(Produced::Result(self.task(step).result(wait_options(args)).await?)),
            "poll" => return Ok(Produced::Status(self.task(step).poll().await?)),
            "pause" => self.session().pause().await?,
            "resume" => self.session().resume().await?,
            "stop" => self.session().stop().await?,
            "terminate" => self.session().terminate().await?,
            "takeOver" => self.session().take_over().await?,
            "release" => self.session().release().await?,
            "click" => self.session().click(num(args, "x"), num(args, "y")).await?,
            "doubleClick" => self.session().double_click(num(args, "x"), num(args, "y")).await?,
            "typeText" => {
                let typing = if args["humanLike"] == true { Typing::HumanLike } else { Typing::Instant };
                self.session().type_text(text(args, "text"), typing).await?
            }
            "pressKey" => self.session().press_key(text(args, "key")).await?,
            "answerGuardrail" => {
                let decision =
                    if args["resume"] != false { GuardrailDecision::Resume } else { GuardrailDecision::Stop };
                self.session().answer_guardrail(text(args, "text"), decision).await?
            }
            "sleep" => {
                let sim_seconds = step["simSeconds"].as_f64().unwrap_or(1.0);
                tokio::time::sleep(Duration::from_secs_f64(sim_seconds * self.time_scale)).await;
            }
            other => panic!("unknown op {other}"),
        }
        Ok(Produced::Nothing)
    }

    fn session(&self) -> &Session {
        self.session.as_ref().expect("a startSession step came first")
    }

    fn task(&self, step: &Value) -> Task {
        match step["task"].as_str() {
            Some(name) => self.saved.get(name).unwrap_or_else(|| panic!("no task saved as {name}")).clone(),
            None => self.task.clone().expect("a task was created first"),
        }
    }

    fn check_stats(&self, expect: &Value) -> Result<(), String> {
        for (path, expected) in expect.as_object().into_iter().flatten() {
            let actual = stat(&self.sim, path);
            if Some(actual) != expected.as_u64() {
                return Err(format!("stats {path}: expected {expected}, got {actual}; {}", self.sim.stats_json()));
            }
        }
        Ok(())
    }
}

fn check_produced(produced: &Produced, expect: &Value) -> Result<(), String> {
    match produced {
        Produced::Result(result) => {
            let fail = |what: &str| Err(format!("{what}: {result:?}"));
            if let Some(outcome) = expect["outcome"].as_str()
                && result.outcome.as_str() != outcome
            {
                return fail(&format!("expected outcome {outcome}"));
            }
            if let Some(part) = expect["messageContains"].as_str()
                && !result.message.as_deref().unwrap_or_default().contains(part)
            {
                return fail(&format!("expected a message containing {part:?}"));
            }
            if let Some(question) = expect["question"].as_str()
                && result.question.as_deref() != Some(question)
            {
                return fail(&format!("expected question {question:?}"));
            }
            let cost = result.usage.cost.unwrap_or_default();
            if expect["minCost"].as_f64().is_some_and(|min| cost < min)
                || expect["maxCost"].as_f64().is_some_and(|max| cost > max)
            {
                return fail("cost out of the expected range");
            }
        }
        Produced::Status(status) => {
            if let Some(state) = expect["state"].as_str()
                && status.state.name() != state
            {
                return Err(format!("expected state {state}, got {:?}", status.raw));
            }
            if let Some(paused) = expect["paused"].as_bool()
                && status.state != (TaskState::Running { paused })
            {
                return Err(format!("expected paused={paused}, got {:?}", status.raw));
            }
        }
        Produced::Nothing => {}
    }
    Ok(())
}

fn check_error(err: &Error, expect: &Value) -> Result<(), String> {
    let Some(code) = expect["error"].as_str() else {
        return Err(format!("unexpected error: {err}"));
    };
    if err.code() != code {
        return Err(format!("expected error {code}, got {} ({err})", err.code()));
    }
    if let Some(server_code) = expect["serverCode"].as_str()
        && err.server_code() != Some(server_code)
    {
        return Err(format!("expected server code {server_code}: {err}"));
    }
    if let Some(status) = expect["status"].as_u64()
        && err.status() != Some(status as u16)
    {
        return Err(format!("expected status {status}: {err}"));
    }
    Ok(())
}

fn session_options(args: &Value) -> SessionOptions {
    SessionOptions {
        task_details: args["taskDetails"].as_str().map(str::to_owned),
        max_duration: args["maxDuration"].as_u64().map(Duration::from_millis),
        max_input_tokens: args["maxInputTokens"].as_u64(),
        max_output_tokens: args["maxOutputTokens"].as_u64(),
        starting_url: args["startingUrl"].as_str().map(str::to_owned),
        avoid_domains: strings(&args["avoidDomains"]),
        terminate_on_completion: args["terminateOnCompletion"].as_bool(),
        ..SessionOptions::new()
    }
}

fn task_options(args: &Value) -> TaskOptions {
    TaskOptions {
        task_details: text(args, "taskDetails").to_owned(),
        max_duration: args["maxDuration"].as_u64().map(Duration::from_millis),
        max_input_tokens: args["maxInputTokens"].as_u64(),
        max_output_tokens: args["maxOutputTokens"].as_u64(),
        starting_url: args["startingUrl"].as_str().map(str::to_owned),
        avoid_domains: strings(&args["avoidDomains"]),
        terminate_on_completion: args["terminateOnCompletion"].as_bool(),
    }
}

fn wait_options(args: &Value) -> WaitOptions {
    WaitOptions { timeout: args["timeout"].as_f64().map(Duration::from_secs_f64), max_cost: args["maxCost"].as_f64() }
}

fn strings(value: &Value) -> Option<Vec<String>> {
    value.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
}

fn text<'a>(args: &'a Value, key: &str) -> &'a str {
    args[key].as_str().unwrap_or_default()
}

fn num(args: &Value, key: &str) -> u32 {
    args[key].as_u64().unwrap_or_default() as u32
}
