//! Helpers shared by the integration tests: a simulator on loopback and a plain HTTP client.
#![allow(dead_code)]

pub mod sio;

use std::time::Duration;

use enigma_sim::{SimConfig, SimHandle, Simulator};
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

pub const KEY: &str = "enig_testkey00000000000000000000000";

/// A simulator at 1/100 of real time, plus a client.
pub struct Sim {
    pub handle: SimHandle,
    pub http: reqwest::Client,
}

/// One answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

pub fn fast() -> SimConfig {
    SimConfig { time_scale: 0.01, ..SimConfig::default() }
}

impl Sim {
    pub async fn start(config: SimConfig) -> Sim {
        let handle = Simulator::start(config).await.expect("simulator starts");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        Sim { handle, http }
    }

    pub async fn fast() -> Sim {
        Sim::start(fast()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.handle.url(), path)
    }

    pub async fn post_as(&self, key: Option<&str>, path: &str, body: Value) -> Answer {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(key) = key {
            req = req.bearer_auth(key);
        }
        answer(req.send().await.expect("request sent")).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.post_as(Some(KEY), path, body).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        answer(self.http.get(self.url(path)).send().await.expect("request sent")).await
    }

    pub async fn get_as(&self, key: &str, path: &str) -> Answer {
        answer(self.http.get(self.url(path)).bearer_auth(key).send().await.expect("request sent")).await
    }

    /// Starts a session; returns (sessionId, initial taskId).
    pub async fn session(&self, task: &str) -> (String, Option<String>) {
        let a = self.post("/start/start-session", json!({ "taskDetails": task })).await;
        assert_eq!(a.status, 200, "{:?}", a.body);
        let sid = a.body["sessionId"].as_str().unwrap().to_string();
        (sid, a.body["taskId"].as_str().map(str::to_string))
    }

    pub async fn send(&self, session_id: &str, message: Value) -> Answer {
        self.post("/start/send-message", json!({ "sessionId": session_id, "message": message })).await
    }

    pub async fn new_task(&self, session_id: &str, task: &str) -> Answer {
        self.send(session_id, json!({ "actionType": "newTask", "newState": "start", "taskDetails": task })).await
    }

    pub async fn state(&self, session_id: &str, state: &str) -> Answer {
        let a = self.send(session_id, json!({ "actionType": "state", "newState": state })).await;
        assert_eq!(a.status, 200, "{:?}", a.body);
        assert_eq!(a.body, json!({ "success": true, "message": "Message sent successfully" }));
        a
    }

    pub async fn poll(&self, session_id: &str, task_id: &str) -> Value {
        let a = self.get(&format!("/task/{session_id}/{task_id}")).await;
        assert_eq!(a.status, 200, "{:?}", a.body);
        a.body
    }

    /// Polls until the answer is no longer pending (or times out).
    pub async fn poll_until_final(&self, session_id: &str, task_id: &str) -> Value {
        for _ in 0..2000 {
            let body = self.poll(session_id, task_id).await;
            if body["pending"] != json!(true) {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("task {task_id} never finished");
    }

    /// Polls until `pred` holds.
    pub async fn poll_until(&self, session_id: &str, task_id: &str, pred: impl Fn(&Value) -> bool) -> Value {
        for _ in 0..2000 {
            let body = self.poll(session_id, task_id).await;
            if pred(&body) {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("condition never held for task {task_id}");
    }

    /// Connects a socket to a session (panics on `connect_error`).
    pub async fn socket(&self, session_id: &str) -> sio::SioClient {
        sio::connect(&self.handle.url(), json!({ "sessionId": session_id })).await.expect("socket admitted")
    }

    /// Starts a session without a task and connects a socket to it.
    pub async fn session_with_socket(&self) -> (String, sio::SioClient) {
        let (sid, _) = self.session("").await;
        let socket = self.socket(&sid).await;
        (sid, socket)
    }

    pub async fn stats(&self) -> Value {
        self.get("/_sim/stats").await.body
    }
}

async fn answer(resp: reqwest::Response) -> Answer {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer { status, headers, body }
}

pub async fn sleep_ms(ms: u64) {
    tokio::time::sleep(Duration::from_millis(ms)).await;
}
