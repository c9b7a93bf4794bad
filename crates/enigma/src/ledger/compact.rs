//! Keeping the ledger bounded. When a write leaves the file past
//! [`LEDGER_COMPACT_BYTES`](super::LEDGER_COMPACT_BYTES), the writer compacts it under the
//! exclusive lock of `<ledger>.lock`: the sessions seen ending (an `opened` line and its
//! `ended` line) and lines that are not records are dropped, the rest is written to a new file
//! that replaces the ledger in one rename (a crash leaves the old file or the new, never half).
//! When the sessions never seen ending still take more than half the bound, the oldest go.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::LEDGER_COMPACT_BYTES;
use super::record::Record;

/// The side file whose lock orders writers (shared) and compactions (exclusive).
pub(super) fn open_lock(ledger: &Path) -> io::Result<File> {
    open_rw(&with_suffix(ledger, ".lock"))
}

/// Compacts the ledger if no other process is doing it now (then that one does).
pub(super) fn compact(path: &Path, lock: &mut fd_lock::RwLock<File>) -> io::Result<()> {
    let Ok(_exclusive) = lock.try_write() else { return Ok(()) };
    let text = String::from_utf8_lossy(&std::fs::read(path)?).into_owned();
    let kept = unended_lines(&text, LEDGER_COMPACT_BYTES / 2);
    let temp = with_suffix(path, &format!(".{}.tmp", std::process::id()));
    let mut file = File::create(&temp)?;
    file.write_all(kept.concat().as_bytes())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })?;
    tracing::debug!(path = %path.display(), bytes = text.len(), kept = kept.len(), "session ledger compacted");
    Ok(())
}

/// The `opened` lines of sessions never seen ending, in order, the newest that fit in `budget`
/// bytes.
pub(super) fn unended_lines(text: &str, budget: u64) -> Vec<String> {
    let records: Vec<(Record, &str)> =
        text.lines().filter_map(|line| Record::from_line(line).map(|r| (r, line))).collect();
    let ended: HashSet<&str> =
        records.iter().filter(|(r, _)| matches!(r, Record::Ended { .. })).map(|(r, _)| r.session_id()).collect();
    let mut kept: Vec<String> = records
        .iter()
        .filter(|(r, _)| matches!(r, Record::Opened { .. }) && !ended.contains(r.session_id()))
        .map(|(_, line)| format!("{line}\n"))
        .collect();
    let mut size: u64 = kept.iter().map(|l| l.len() as u64).sum();
    let mut dropped = 0;
    while size > budget && !kept.is_empty() {
        size -= kept.remove(0).len() as u64;
        dropped += 1;
    }
    if dropped > 0 {
        tracing::warn!(
            dropped,
            "the session ledger holds too many sessions never seen ending: the oldest were dropped"
        );
    }
    kept
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Opens the file to read or create it (used by the lock side file).
fn open_rw(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::append::append_line;

    fn opened(id: &str) -> String {
        Record::Opened {
            session_id: id.into(),
            at: 1,
            key_last4: None,
            pid: 1,
            command: "x".into(),
            base_url: "http://h".into(),
        }
        .to_line()
    }

    #[test]
    fn drops_pairs_and_junk_keeps_the_unended() {
        let ended = Record::Ended { session_id: "b".into(), at: 2 }.to_line();
        let text = [opened("a"), opened("b"), "{torn\n".into(), ended, opened("c")].concat();
        assert_eq!(unended_lines(&text, u64::MAX), vec![opened("a"), opened("c")]);
        // Over the budget, the oldest go first.
        assert_eq!(unended_lines(&text, opened("c").len() as u64), vec![opened("c")]);
    }

    #[test]
    fn a_file_past_the_bound_is_compacted_by_the_next_write() {
        let dir = std::env::temp_dir().join(format!("enigma-ledger-compact-{}", std::process::id()));
        let path = dir.join("sessions.jsonl");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let pair = [opened("gone"), Record::Ended { session_id: "gone".into(), at: 2 }.to_line()].concat();
        let mut text = opened("kept");
        while (text.len() as u64) <= LEDGER_COMPACT_BYTES {
            text.push_str(&pair);
        }
        std::fs::write(&path, text).unwrap();
        append_line(&path, &opened("new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), [opened("kept"), opened("new")].concat());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
