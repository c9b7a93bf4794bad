//! Reading recordings (`docs/recording.md`): one JSONL file per session, or a folder of them.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

/// One session's recording, its records sorted by time.
#[derive(Debug)]
pub(crate) struct Recording {
    pub file: PathBuf,
    pub session_id: String,
    /// The base URL the run talked to: answers naming it are rewritten to the replay's own.
    pub base_url: String,
    /// The header's wall time: recordings of creates are matched in this order.
    pub wall: String,
    pub records: Vec<Record>,
    /// The file ended with a `truncated` line.
    pub truncated: bool,
}

/// One record.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub t: f64,
    /// Its line in the file: the order the run saw things in (an exchange is written when its
    /// answer came, so an answer and an event of one millisecond keep their order).
    pub line: usize,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Http(Http),
    Event { name: String, data: Value },
    Command { data: Value },
}

/// A recorded REST exchange.
#[derive(Debug, Clone)]
pub(crate) struct Http {
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
    pub headers: Map<String, Value>,
    pub request: Option<Value>,
    pub response: Value,
    pub ms: f64,
}

/// The recordings at `path`: the file, or every `*.jsonl` of the folder that names a session
/// (`no-session.jsonl` and other files are skipped), sorted by their start.
pub(crate) fn load(path: &Path) -> Result<Vec<Recording>, String> {
    let files = if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| format!("replay: cannot read {}: {e}", path.display()))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut recordings = Vec::new();
    for file in files {
        if let Some(recording) = read(&file)? {
            recordings.push(recording);
        }
    }
    if recordings.is_empty() {
        return Err(format!("replay: no recording of a session in {}", path.display()));
    }
    recordings.sort_by(|a, b| a.wall.cmp(&b.wall));
    Ok(recordings)
}

/// One file; `None` for a file of records that name no session.
fn read(file: &Path) -> Result<Option<Recording>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("replay: cannot read {}: {e}", file.display()))?;
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let bad = |n: usize, why: &str| format!("replay: {} line {}: {why}", file.display(), n + 1);
    let Some((n, first)) = lines.next() else { return Err(bad(0, "empty file")) };
    let header: Value = serde_json::from_str(first).map_err(|e| bad(n, &e.to_string()))?;
    if header["format"] != "enigma-recording" || header["version"] != 1 {
        return Err(bad(n, "not an enigma recording of version 1 (no such header)"));
    }
    let Some(session_id) = header["sessionId"].as_str().map(str::to_owned) else { return Ok(None) };
    let mut recording = Recording {
        file: file.to_path_buf(),
        session_id,
        base_url: header["baseUrl"].as_str().unwrap_or_default().trim_end_matches('/').to_owned(),
        wall: header["wall"].as_str().unwrap_or_default().to_owned(),
        records: Vec::new(),
        truncated: false,
    };
    for (n, line) in lines {
        let value: Value = serde_json::from_str(line).map_err(|e| bad(n, &e.to_string()))?;
        let t = value["t"].as_f64().ok_or_else(|| bad(n, "no t"))?;
        let kind = match value["type"].as_str() {
            Some("http") => Kind::Http(Http {
                method: value["method"].as_str().unwrap_or("GET").to_owned(),
                path: value["path"].as_str().ok_or_else(|| bad(n, "http without path"))?.to_owned(),
                status: value["status"].as_u64().and_then(|s| u16::try_from(s).ok()),
                headers: value["responseHeaders"].as_object().cloned().unwrap_or_default(),
                request: Some(value["request"].clone()).filter(|r| !r.is_null()),
                response: value["response"].clone(),
                ms: value["ms"].as_f64().unwrap_or(0.0),
            }),
            Some("event") => Kind::Event {
                name: value["event"].as_str().unwrap_or("message").to_owned(),
                data: value["data"].clone(),
            },
            Some("command") => Kind::Command { data: value["data"].clone() },
            Some("truncated") => {
                recording.truncated = true;
                break;
            }
            // A record of a later version: not ours to serve.
            _ => continue,
        };
        recording.records.push(Record { t, line: n, kind });
    }
    // Stable: records of one instant keep the file's order.
    recording.records.sort_by(|a, b| a.t.total_cmp(&b.t));
    Ok(Some(recording))
}
