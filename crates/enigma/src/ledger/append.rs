//! Writing the ledger: one whole line per `write` on a file opened in append mode, so lines
//! from several processes never mix (each line is far under `PIPE_BUF`); a shared lock on a
//! side file `<ledger>.lock` keeps a line from going to a file that a compaction is replacing.
//!
//! A ledger never fails or holds up a user's call: a state directory that cannot be written
//! (read-only, full, missing) logs one warning and turns the ledger off for that file in this
//! process; a lock held too long by a compaction is waited for at most [`LOCK_WAIT`].

use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use super::record::{Record, now};
use super::{LEDGER_COMPACT_BYTES, compact, process};

/// Longest wait for the lock before a line is written without it (a compaction takes
/// milliseconds; a process stopped while compacting must not hold every writer up).
const LOCK_WAIT: Duration = Duration::from_millis(200);

/// The ledger files that failed in this process: nothing is written to them again.
static FAILED: LazyLock<Mutex<HashSet<PathBuf>>> = LazyLock::new(Mutex::default);

/// The ledger as a client writes it: the file, and what an `opened` line says of the client.
#[derive(Debug)]
pub(crate) struct Ledger {
    path: PathBuf,
    key_last4: Option<String>,
    base_url: String,
    command: String,
    /// The sessions this client recorded ended: one line each, however often it sees the end.
    ended: Mutex<HashSet<String>>,
}

impl Ledger {
    /// `api_key` is used for its last 4 characters and to mask it in the command line; the
    /// ledger keeps nothing more of it.
    pub(crate) fn new(path: PathBuf, api_key: Option<&str>, base_url: &str) -> Ledger {
        Ledger {
            path,
            key_last4: api_key.map(key_last4),
            base_url: normal_base_url(base_url),
            command: process::command_line(api_key),
            ended: Mutex::default(),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn key_last4(&self) -> Option<&str> {
        self.key_last4.as_deref()
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Records a session the SDK opened.
    pub(crate) fn opened(&self, session_id: &str) {
        self.append(&Record::Opened {
            session_id: session_id.to_owned(),
            at: now(),
            key_last4: self.key_last4.clone(),
            pid: std::process::id(),
            command: self.command.clone(),
            base_url: self.base_url.clone(),
        });
    }

    /// Records a session the SDK saw end.
    pub(crate) fn ended(&self, session_id: &str) {
        if !self.ended.lock().unwrap_or_else(|e| e.into_inner()).insert(session_id.to_owned()) {
            return;
        }
        self.append(&Record::Ended { session_id: session_id.to_owned(), at: now() });
    }

    fn append(&self, record: &Record) {
        if failed().contains(&self.path) {
            return;
        }
        if let Err(err) = append_line(&self.path, &record.to_line()) {
            // One warning per file and process: the first failure turns it off.
            if failed().insert(self.path.clone()) {
                tracing::warn!(
                    path = %self.path.display(),
                    error = %err,
                    "the session ledger cannot be written: it is off for this process (ENIGMA_LEDGER moves it or turns it off)"
                );
            }
        }
    }
}

fn failed() -> std::sync::MutexGuard<'static, HashSet<PathBuf>> {
    FAILED.lock().unwrap_or_else(|e| e.into_inner())
}

/// The last 4 characters of a key (all of it when shorter: a key that short is no secret).
pub(crate) fn key_last4(key: &str) -> String {
    let start = key.char_indices().rev().nth(3).map_or(0, |(at, _)| at);
    key[start..].to_owned()
}

/// A base URL as the ledger compares them: without a trailing slash.
pub(crate) fn normal_base_url(url: &str) -> String {
    url.trim_end_matches('/').to_owned()
}

/// Appends one line (and compacts the file when it grew past [`LEDGER_COMPACT_BYTES`]).
pub(crate) fn append_line(path: &Path, line: &str) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut lock = fd_lock::RwLock::new(compact::open_lock(path)?);
    let size = {
        let _shared = wait_for(|| lock.try_read());
        let mut file = OpenOptions::new().append(true).create(true).open(path)?;
        // One write of the whole line: appends from other processes land before or after it.
        file.write_all(line.as_bytes())?;
        file.metadata()?.len()
    };
    if size > LEDGER_COMPACT_BYTES {
        compact::compact(path, &mut lock)?;
    }
    Ok(())
}

/// Retries `try_lock` until it succeeds or [`LOCK_WAIT`] passed (`None`: go on without it).
fn wait_for<G>(mut try_lock: impl FnMut() -> io::Result<G>) -> Option<G> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match try_lock() {
            Ok(guard) => return Some(guard),
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(2)),
            Err(err) => {
                tracing::debug!(error = %err, "the session ledger's lock stayed busy: writing without it");
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Set in the child processes of `two_processes_writing_at_once_lose_no_line`: the file
    /// they append to.
    const WRITER_ENV: &str = "ENIGMA_LEDGER_TEST_WRITER";
    const LINES_PER_WRITER: usize = 2000;

    fn line(writer: &str, n: usize) -> String {
        Record::Ended { session_id: format!("{writer}-{n:05}"), at: 1 }.to_line()
    }

    /// In a child process: appends its lines, each through a handle of its own, as the SDK does.
    #[test]
    fn ledger_writer_child() {
        let (Ok(path), Ok(name)) = (std::env::var(WRITER_ENV), std::env::var("WRITER_NAME")) else { return };
        for n in 0..LINES_PER_WRITER {
            append_line(Path::new(&path), &line(&name, n)).unwrap();
        }
    }

    #[test]
    fn two_processes_and_threads_writing_at_once_lose_no_line() {
        let dir = std::env::temp_dir().join(format!("enigma-ledger-race-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("sessions.jsonl");
        let exe = std::env::current_exe().unwrap();
        let children: Vec<_> = ["p1", "p2"]
            .iter()
            .map(|name| {
                std::process::Command::new(&exe)
                    .args(["--exact", "ledger::append::tests::ledger_writer_child", "--test-threads", "1"])
                    .env(WRITER_ENV, &path)
                    .env("WRITER_NAME", name)
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        std::thread::scope(|scope| {
            for name in ["t1", "t2"] {
                let path = &path;
                scope.spawn(move || {
                    for n in 0..LINES_PER_WRITER {
                        append_line(path, &line(name, n)).unwrap();
                    }
                });
            }
        });
        for mut child in children {
            assert!(child.wait().unwrap().success());
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4 * LINES_PER_WRITER, "no line lost, none torn");
        lines.sort_unstable();
        let mut expected: Vec<String> = ["p1", "p2", "t1", "t2"]
            .iter()
            .flat_map(|w| (0..LINES_PER_WRITER).map(move |n| line(w, n).trim_end().to_owned()))
            .collect();
        expected.sort_unstable();
        assert_eq!(lines, expected);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn last4() {
        assert_eq!(key_last4("enig_abcdefghijklmnopqrstuvwxyz12"), "yz12");
        assert_eq!(key_last4("abc"), "abc");
        assert_eq!(normal_base_url("http://127.0.0.1:9/"), "http://127.0.0.1:9");
    }
}
