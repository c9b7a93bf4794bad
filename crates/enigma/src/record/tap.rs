//! The recorder as the wire layers hold it: timestamps taken where things happen, and one push
//! down a channel to the writer. Nothing here waits on a file.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use reqwest::header::HeaderMap;
use serde_json::Value;

use super::line::{KeptHeaders, Seen};
use super::writer::{self, Entry, Setup, Writer};
use crate::model::config::ClientConfig;

/// A client's recorder: cheap to clone, shared by its transport and its sessions' connections.
#[derive(Clone)]
pub(crate) struct Recorder {
    inner: Arc<Inner>,
}

struct Inner {
    /// Off after the writer failed once: the hot path then skips even the timestamps.
    on: Arc<AtomicBool>,
    /// The writer thread, and the process that started it (after a `fork()` the child has no
    /// writer thread: it starts its own).
    writer: Mutex<Option<(u32, Writer)>>,
    setup: Arc<Setup>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").field("dir", &self.inner.setup.dir).field("on", &self.is_on()).finish()
    }
}

impl Recorder {
    /// The recorder a configuration asks for (`record`), or `None`.
    pub(crate) fn new(config: &ClientConfig) -> Option<Recorder> {
        let dir = config.record.clone()?;
        let mut base_url = config.base_url.clone();
        // Credentials in the URL stay out of the file.
        let _ = base_url.set_username("");
        let _ = base_url.set_password(None);
        let setup = Setup {
            dir,
            max_bytes: config.record_max_bytes,
            key_forms: writer::key_forms(config.api_key.as_ref().map(|k| k.expose())),
            sdk: concat!("enigma-rust ", env!("CARGO_PKG_VERSION")).to_owned(),
            user_agent: config.user_agent(),
            base_url: base_url.as_str().trim_end_matches('/').to_owned(),
        };
        let inner = Inner { on: Arc::new(AtomicBool::new(true)), writer: Mutex::new(None), setup: Arc::new(setup) };
        Some(Recorder { inner: Arc::new(inner) })
    }

    /// Whether records are still taken.
    pub(crate) fn is_on(&self) -> bool {
        self.inner.on.load(Ordering::Relaxed)
    }

    /// What a session's live connection records with.
    pub(crate) fn for_session(&self, session_id: &str) -> SessionTap {
        SessionTap { recorder: self.clone(), session_id: Arc::from(session_id) }
    }

    /// One REST call's attempts, filed under the session they name (none: `no-session.jsonl`).
    pub(crate) fn http(&self, session_id: Option<&str>, attempts: Vec<(Instant, SystemTime, Seen)>) {
        for (at, wall, seen) in attempts {
            self.push(Entry { session: session_id.map(str::to_owned), at, wall, seen });
        }
    }

    fn push(&self, entry: Entry) {
        if !self.is_on() {
            return;
        }
        let mut writer = self.inner.writer.lock().unwrap_or_else(|e| e.into_inner());
        let pid = std::process::id();
        if writer.as_ref().is_none_or(|(started_by, _)| *started_by != pid) {
            *writer = Some((pid, writer::start(self.inner.setup.clone(), self.inner.on.clone())));
        }
        if let Some((_, writer)) = writer.as_ref()
            && !writer.record(entry)
        {
            // The writer stopped (it said why, once).
            self.inner.on.store(false, Ordering::Relaxed);
        }
    }
}

impl Recorder {
    /// Waits (at most `limit`) until every record taken so far is in its file. Blocks the
    /// calling thread: for a program's end, or a test about to read the files.
    pub(crate) fn flush(&self, limit: std::time::Duration) {
        // Out of the lock: the calls recording meanwhile never wait for this one.
        let writer = {
            let writer = self.inner.writer.lock().unwrap_or_else(|e| e.into_inner());
            writer.as_ref().filter(|(pid, _)| *pid == std::process::id()).map(|(_, writer)| writer.clone())
        };
        if let Some(writer) = writer {
            writer.flush(limit);
        }
    }
}

impl Drop for Inner {
    /// The client is gone: what it recorded goes to disk before the program ends (bounded).
    fn drop(&mut self) {
        if let Some((pid, writer)) = self.writer.get_mut().unwrap_or_else(|e| e.into_inner()).take()
            && pid == std::process::id()
        {
            writer.flush(DROP_FLUSH_LIMIT);
        }
    }
}

/// How long a dropped client waits for its recording to reach the disk.
const DROP_FLUSH_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A session's live connection's recorder: events received, commands sent.
#[derive(Clone)]
#[cfg_attr(not(feature = "live"), allow(dead_code, reason = "without a live connection nothing is tapped"))]
pub(crate) struct SessionTap {
    recorder: Recorder,
    session_id: Arc<str>,
}

#[cfg_attr(not(feature = "live"), allow(dead_code, reason = "without a live connection nothing is tapped"))]
impl SessionTap {
    /// A Socket.IO event as received.
    pub(crate) fn event(&self, name: &str, data: &Value) {
        if self.recorder.is_on() {
            self.push(Seen::Event { name: name.to_owned(), data: data.clone() });
        }
    }

    /// A Socket.IO event sent.
    pub(crate) fn command(&self, name: &'static str, data: &Value) {
        if self.recorder.is_on() {
            self.push(Seen::Command { name, data: data.clone() });
        }
    }

    fn push(&self, seen: Seen) {
        let entry =
            Entry { session: Some(self.session_id.to_string()), at: Instant::now(), wall: SystemTime::now(), seen };
        self.recorder.push(entry);
    }
}

/// One HTTP attempt as it happens: started before sending, told the status and headers of the
/// answer and handed its body, finished with the outcome.
pub(crate) struct HttpExchange {
    at: Instant,
    wall: SystemTime,
    status: Option<u16>,
    headers: KeptHeaders,
    /// The answer's body as it came: a 2xx JSON answer, or an error answer (JSON or not).
    body: Option<Vec<u8>>,
}

impl HttpExchange {
    /// An attempt about to be sent, when `recorder` is on.
    pub(crate) fn start(recorder: Option<&Recorder>) -> Option<HttpExchange> {
        recorder.filter(|r| r.is_on()).map(|_| HttpExchange {
            at: Instant::now(),
            wall: SystemTime::now(),
            status: None,
            headers: KeptHeaders::default(),
            body: None,
        })
    }

    /// The answer's status and the headers worth keeping.
    pub(crate) fn answered(&mut self, status: u16, headers: &HeaderMap) {
        self.status = Some(status);
        self.headers = KeptHeaders::of(headers);
    }

    /// The answer's body, as read: the writer makes it JSON (or text, for an error answer that
    /// is not JSON). A 2xx answer that could not be read hands none: its record says `null`.
    pub(crate) fn body(&mut self, body: Vec<u8>) {
        self.body = Some(body);
    }

    /// The record of the attempt: `error` is the SDK error code of a failure.
    pub(crate) fn finish(
        self,
        method: &reqwest::Method,
        path: &str,
        request: Option<&Value>,
        error: Option<&'static str>,
    ) -> (Instant, SystemTime, Seen) {
        let method = match *method {
            reqwest::Method::POST => "POST",
            reqwest::Method::GET => "GET",
            reqwest::Method::DELETE => "DELETE",
            reqwest::Method::PUT => "PUT",
            _ => "OTHER",
        };
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
            None => (path.to_owned(), None),
        };
        let seen = Seen::Http {
            method,
            path,
            query,
            status: self.status,
            response_headers: self.headers,
            request: request.cloned(),
            response: self.body,
            ms: self.at.elapsed().as_secs_f64() * 1000.0,
            error,
        };
        (self.at, self.wall, seen)
    }
}
