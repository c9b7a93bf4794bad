//! Shared helpers: run the `enigma` binary, and serve `enigma sim` on a free port.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

pub const KEY: &str = "enig_clitestclitestclitestclitest";

/// The built binary, with no ENIGMA_* variables inherited, and its session ledger off: no test
/// writes to the user's state directory (a test of the ledger sets `ENIGMA_LEDGER` itself).
pub fn enigma() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_enigma"));
    for (name, _) in std::env::vars() {
        if name.starts_with("ENIGMA_") {
            command.env_remove(name);
        }
    }
    command.env("ENIGMA_LEDGER", "off");
    command
}

pub fn run(command: &mut Command) -> Output {
    command.output().expect("the binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `enigma sim` in the background; killed on drop.
pub struct Sim {
    child: Child,
    pub url: String,
}

impl Sim {
    pub fn start(args: &[&str]) -> Sim {
        let mut child = enigma()
            .arg("sim")
            .args(["--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .spawn()
            .expect("enigma sim starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let url = line
            .trim()
            .strip_prefix("Enigma simulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Sim { child, url }
    }

    /// The binary, pointed at this simulator with a key.
    pub fn enigma(&self) -> Command {
        let mut command = enigma();
        command.env("ENIGMA_BASE_URL", &self.url).env("ENIGMA_API_KEY", KEY).env("ENIGMA_POLL_INTERVAL", "0.05");
        command
    }

    pub fn stats(&self) -> serde_json::Value {
        let body = ureq_get(&format!("{}/_sim/stats", self.url));
        serde_json::from_str(&body).expect("stats are JSON")
    }

    /// A raw `GET` of a path of the simulator; the body.
    pub fn get(&self, path: &str) -> String {
        ureq_get(&format!("{}{path}", self.url))
    }

    /// A number in the stats by path (`["sessions", "open"]`); absent counts are 0.
    pub fn stat(&self, path: &[&str]) -> u64 {
        let stats = self.stats();
        path.iter().fold(&stats, |node, key| &node[*key]).as_u64().unwrap_or(0)
    }

    /// Arms a fault (`POST /_sim/faults`).
    pub fn fault(&self, rule: serde_json::Value) {
        self.post("/_sim/faults", rule);
    }

    /// A raw `POST` with the test key (over a plain socket, no HTTP client needed); returns the
    /// answer's JSON body, failing the test unless the status is 2xx.
    pub fn post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        use std::io::{Read, Write};
        let host = self.url.strip_prefix("http://").expect("http url");
        let body = body.to_string();
        let mut stream = std::net::TcpStream::connect(host).expect("connects");
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {KEY}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 2"), "POST {path} refused: {response}");
        let text = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
        serde_json::from_str(text).unwrap_or_else(|e| panic!("POST {path}: not JSON ({e}): {text:?}"))
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A tiny blocking GET over a raw socket: enough for the stats endpoint, no HTTP client needed.
fn ureq_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("http url");
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
    let mut stream = std::net::TcpStream::connect(host).expect("connects");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    body.to_owned()
}

/// The exit status the README's exit table gives the row whose meaning starts with `start`
/// (the table is exit.rs's, tested row for row there).
pub fn readme_status(start: &str) -> i32 {
    let readme = include_str!("../../../README.md");
    let table = readme.split("| exit | meaning |").nth(1).expect("the README's exit table");
    table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .find_map(|line| {
            let (status, meaning) = line.trim_matches('|').split_once(" | ")?;
            meaning.trim().starts_with(start).then(|| status.trim().parse().expect("a number"))
        })
        .unwrap_or_else(|| panic!("no row starting {start:?} in the README's exit table"))
}
