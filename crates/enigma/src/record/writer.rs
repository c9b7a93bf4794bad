//! The recorder's writer: a thread of its own that turns records into lines and appends them,
//! one file per session, flushed after each batch. Any failure to write (a read-only or full
//! folder) logs one warning and stops the recorder; the calls it recorded never notice.
//!
//! While records keep coming the writer takes them in batches, one every [`BATCH_INTERVAL`]; only
//! a record that finds it waiting for work wakes it. So a stream of calls costs each caller a
//! push onto the channel, not a thread wake-up and a `write` of its own.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::Thread;
use std::time::{Duration, Instant, SystemTime};

use super::REDACTED;
use super::line::{self, Seen};

/// Room kept at the end of a file for its `truncated` line.
const TRUNCATED_LINE_ROOM: u64 = 128;
/// The file of the records that name no session (health checks, a create refused before any
/// session existed).
const NO_SESSION: &str = "no-session";
/// How much the writer thread gives way (a nice value: CFS gives it about a tenth of a normal
/// thread's share of a busy core, and all of an idle one).
#[cfg(target_os = "linux")]
const WRITER_NICE: libc::c_int = 10;
/// Bytes gathered before a `write`: a batch of polls (some 600 bytes each) in a few calls.
const WRITE_BUFFER_BYTES: usize = 64 * 1024;
/// How long records wait for the writer while they keep coming: what a killed process may lose
/// (a closed or dropped client flushes first).
const BATCH_INTERVAL: Duration = Duration::from_millis(20);

/// What the writer needs to know, fixed when the client is built.
pub(super) struct Setup {
    pub(super) dir: PathBuf,
    pub(super) max_bytes: u64,
    /// The API key as it would appear in a line: raw, and as JSON escapes it (see [`key_forms`]).
    pub(super) key_forms: Vec<String>,
    pub(super) sdk: String,
    pub(super) user_agent: String,
    pub(super) base_url: String,
}

/// What goes down the writer's channel.
enum Msg {
    Record(Box<Entry>),
    /// Write out everything sent before, then say so.
    Flush(Sender<()>),
}

/// One record on its way to a file.
pub(crate) struct Entry {
    pub(super) session: Option<String>,
    pub(super) at: Instant,
    pub(super) wall: SystemTime,
    pub(super) seen: Seen,
}

/// A running writer, as its recorder holds it.
#[derive(Clone)]
pub(super) struct Writer {
    sender: Sender<Msg>,
    thread: Option<Thread>,
}

impl Writer {
    /// Hands a record over; `false` when the writer stopped. Wakes the writer only when it
    /// waits for records (the channel does that); while it sleeps between batches, no one does.
    pub(super) fn record(&self, entry: Entry) -> bool {
        self.sender.send(Msg::Record(Box::new(entry))).is_ok()
    }

    /// Waits (at most `limit`) until every record handed over so far is in its file.
    pub(super) fn flush(&self, limit: Duration) {
        let (done, finished) = mpsc::channel();
        if self.sender.send(Msg::Flush(done)).is_ok() {
            // Out of its sleep between batches, if that is where it is.
            if let Some(thread) = &self.thread {
                thread.unpark();
            }
            let _ = finished.recv_timeout(limit);
        }
    }
}

/// Starts a writer thread. A thread that cannot start is a writer that failed.
pub(super) fn start(setup: Arc<Setup>, on: Arc<AtomicBool>) -> Writer {
    let (sender, receiver) = mpsc::channel();
    let spawned = std::thread::Builder::new().name("enigma-recorder".into()).spawn({
        let (setup, on) = (setup.clone(), on.clone());
        move || run(&setup, &on, receiver)
    });
    let thread = match spawned {
        Ok(handle) => Some(handle.thread().clone()),
        Err(err) => {
            stop(&setup, &on, &err);
            None
        }
    };
    Writer { sender, thread }
}

/// Waits for a record, writes it with all that came meanwhile, then sleeps [`BATCH_INTERVAL`]
/// (a flush cuts the sleep short) so that the next batch gathers; ends when its client is gone.
fn run(setup: &Setup, on: &AtomicBool, receiver: Receiver<Msg>) {
    lower_priority();
    let mut files = Files { setup, open: HashMap::new(), line: Vec::new() };
    while let Ok(first) = receiver.recv() {
        let mut flushed = Vec::new();
        let mut written = Ok(());
        for msg in std::iter::once(first).chain(receiver.try_iter()) {
            match msg {
                Msg::Record(entry) if written.is_ok() => written = files.write(*entry),
                Msg::Record(_) => {}
                Msg::Flush(done) => flushed.push(done),
            }
        }
        let written = written.and_then(|()| files.flush());
        // Whoever waits for a flush is told, whatever happened (a failed writer wrote all it will).
        for done in flushed {
            let _ = done.send(());
        }
        if let Err(err) = written {
            stop(setup, on, &err);
            return;
        }
        std::thread::park_timeout(BATCH_INTERVAL);
    }
    let _ = files.flush();
}

/// Makes the writer thread give way to the program's own threads when the cores are busy (Linux:
/// a thread has a nice value of its own): the records wait, the calls do not.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: the gettid syscall and setpriority have no preconditions; a refusal leaves the
    // priority as is. The syscall, not glibc's `gettid()`, which glibc 2.17 (our wheels' floor)
    // does not have.
    unsafe {
        let _ = libc::setpriority(libc::PRIO_PROCESS, libc::syscall(libc::SYS_gettid) as libc::id_t, WRITER_NICE);
    }
}

/// The one warning of a recorder that cannot write.
fn stop(setup: &Setup, on: &AtomicBool, err: &dyn std::fmt::Display) {
    if on.swap(false, Ordering::Relaxed) {
        tracing::warn!(dir = %setup.dir.display(), "the flight recorder cannot write ({err}): recording is off, the run goes on");
    }
}

struct Files<'a> {
    setup: &'a Setup,
    open: HashMap<Option<String>, SessionFile>,
    /// The line being written, kept between records for its allocation.
    line: Vec<u8>,
}

struct SessionFile {
    out: BufWriter<File>,
    /// When its header was written: `t` counts from here.
    start: Instant,
    written: u64,
    truncated: bool,
}

impl Files<'_> {
    fn write(&mut self, entry: Entry) -> std::io::Result<()> {
        let setup = self.setup;
        if !self.open.contains_key(&entry.session) {
            let file = SessionFile::create(setup, entry.session.as_deref(), entry.at, entry.wall)?;
            self.open.insert(entry.session.clone(), file);
        }
        let Some(file) = self.open.get_mut(&entry.session) else { return Ok(()) };
        if file.truncated {
            return Ok(());
        }
        let t = entry.at.saturating_duration_since(file.start).as_secs_f64();
        self.line.clear();
        entry.seen.write_line(t, entry.wall, &mut self.line)?;
        // serde_json writes UTF-8 only.
        let line = redacted(setup, std::str::from_utf8(&self.line).map_err(std::io::Error::other)?);
        if file.written + line.len() as u64 + 1 + TRUNCATED_LINE_ROOM > setup.max_bytes {
            file.truncated = true;
            return file.line(&line::truncated(t, entry.wall, setup.max_bytes).to_string());
        }
        file.line(&line)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.open.values_mut().try_for_each(|f| f.out.flush())
    }
}

impl SessionFile {
    /// `<dir>/<sessionId>.jsonl`, or `<sessionId>-2.jsonl`... when a file of that session is
    /// there already (another run re-attached to it): a file is never appended to by two runs.
    fn create(setup: &Setup, session: Option<&str>, start: Instant, wall: SystemTime) -> std::io::Result<SessionFile> {
        std::fs::create_dir_all(&setup.dir)?;
        let stem = session.map_or(NO_SESSION.to_owned(), safe_file_name);
        let file = (1..=1000)
            .map(|n| match n {
                1 => setup.dir.join(format!("{stem}.jsonl")),
                n => setup.dir.join(format!("{stem}-{n}.jsonl")),
            })
            .find_map(|path| match create_new(&path) {
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
                other => Some(other),
            })
            .unwrap_or_else(|| Err(std::io::Error::other("too many recordings of one session")))?;
        let out = BufWriter::with_capacity(WRITE_BUFFER_BYTES, file);
        let mut file = SessionFile { out, start, written: 0, truncated: false };
        let header = line::header(&setup.sdk, &setup.user_agent, &setup.base_url, session, wall);
        file.line(&redacted(setup, &header.to_string()))?;
        Ok(file)
    }

    fn line(&mut self, line: &str) -> std::io::Result<()> {
        self.out.write_all(line.as_bytes())?;
        self.out.write_all(b"\n")?;
        self.written += line.len() as u64 + 1;
        Ok(())
    }
}

fn create_new(path: &Path) -> std::io::Result<File> {
    File::options().write(true).create_new(true).open(path)
}

/// A session id as a file name: ids are 12 lowercase letters and digits; anything else a
/// service might send becomes `_`.
fn safe_file_name(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

/// The forms the key takes in a line: raw, and as JSON escapes it (when that differs).
pub(super) fn key_forms(key: Option<&str>) -> Vec<String> {
    let Some(key) = key.filter(|k| !k.is_empty()) else { return Vec::new() };
    let escaped = serde_json::to_string(key).unwrap_or_default();
    let escaped = escaped.trim_matches('"');
    let mut forms = vec![key.to_owned()];
    if !escaped.is_empty() && escaped != key {
        forms.push(escaped.to_owned());
    }
    forms
}

/// The line with the key blanked wherever a user put it (raw, and as JSON escapes it); copied
/// only when it holds the key.
fn redacted<'l>(setup: &Setup, line: &'l str) -> Cow<'l, str> {
    let mut line = Cow::Borrowed(line);
    for form in &setup.key_forms {
        if line.contains(form.as_str()) {
            line = Cow::Owned(line.replace(form.as_str(), REDACTED));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_blanked_raw_and_escaped() {
        let setup = Setup {
            dir: PathBuf::new(),
            max_bytes: 1,
            key_forms: key_forms(Some("enig_k\"ey")),
            sdk: String::new(),
            user_agent: String::new(),
            base_url: String::new(),
        };
        let line = serde_json::json!({"a": "x enig_k\"ey y"}).to_string();
        assert!(!redacted(&setup, &line).contains("enig_k"));
        assert_eq!(redacted(&setup, "nothing to hide"), "nothing to hide");
        assert_eq!(safe_file_name("ab/../c"), "ab____c");
    }
}
