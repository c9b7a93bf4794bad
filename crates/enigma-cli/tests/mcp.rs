//! `enigma mcp` over stdio, spoken to in raw JSON-RPC lines (the Python tests use the official
//! MCP SDK): the tools are listed, bad arguments are tool errors naming them with nothing sent,
//! and closing stdin terminates the sessions the server opened.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};

use common::{KEY, Sim, enigma};
use serde_json::{Value, json};

struct Host {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Host {
    fn start(sim: &Sim) -> Host {
        let mut child = enigma()
            .args(["mcp", "--base-url", &sim.url, "--poll-interval", "0.05"])
            .env("ENIGMA_API_KEY", KEY)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("enigma mcp starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let mut host = Host { child, stdin, stdout, next_id: 0 };
        let init = host.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "enigma", "{init}");
        host.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        host
    }

    fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let mut line = String::new();
            assert!(self.stdout.read_line(&mut line).unwrap() > 0, "the server closed stdout");
            let message: Value = serde_json::from_str(&line).unwrap();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    /// A tool call's result: (isError, the answer's JSON).
    fn call(&mut self, tool: &str, arguments: Value) -> (bool, Value) {
        let response = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        let result = &response["result"];
        let text = result["content"][0]["text"].as_str().unwrap_or_else(|| panic!("no text: {response}"));
        (result["isError"] == json!(true), serde_json::from_str(text).unwrap())
    }

    /// Closes stdin (the host goes away) and waits for the exit status.
    fn close(mut self) -> i32 {
        drop(self.stdin.take());
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

fn stat(sim: &Sim, path: &str) -> u64 {
    let stats = sim.stats();
    path.split('.').fold(&stats, |node, key| &node[key]).as_u64().unwrap_or(0)
}

#[test]
fn the_tools_are_listed_and_bad_arguments_send_nothing() {
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let mut host = Host::start(&sim);
    let tools = host.request("tools/list", json!({}));
    let names: Vec<&str> =
        tools["result"]["tools"].as_array().unwrap().iter().filter_map(|t| t["name"].as_str()).collect();
    for name in [
        "browser_task",
        "create_session",
        "send_task_to_session",
        "get_task_status",
        "control_session",
        "take_over_session",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    for (tool, arguments, field) in [
        ("browser_task", json!({}), "taskDetails"),
        ("browser_task", json!({"taskDetails": "x", "maxDuration": "soon"}), "maxDuration"),
        ("browser_task", json!({"taskDetails": "x", "maxCost": -1}), "maxCost"),
        ("take_over_session", json!({"sessionId": "abcdefabcdef", "action": "grab"}), "action"),
    ] {
        let (is_error, answer) = host.call(tool, arguments);
        assert!(is_error, "{answer}");
        assert_eq!(
            (answer["error"]["code"].as_str(), answer["error"]["field"].as_str()),
            (Some("validation"), Some(field))
        );
    }
    assert_eq!(stat(&sim, "requests.total"), 0, "nothing was sent");
    assert_eq!(host.close(), 0);
}

#[test]
fn closing_stdin_terminates_the_sessions_the_server_opened() {
    let sim = Sim::start(&["--time-scale", "0.01", "--rate-limit", "0"]);
    let mut host = Host::start(&sim);
    let (is_error, opened) = host.call("create_session", json!({"taskDetails": "Browse #sim duration=250"}));
    assert!(!is_error, "{opened}");
    let (_, done) = host.call("browser_task", json!({"taskDetails": "Look #sim message=\"seen\""}));
    assert_eq!((done["status"].as_str(), done["message"].as_str()), (Some("completed"), Some("seen")));
    assert_eq!(stat(&sim, "sessions.open"), 1);
    assert_eq!(host.close(), 0);
    assert_eq!(stat(&sim, "sessions.open"), 0, "the server terminated its session before it exited");
}
