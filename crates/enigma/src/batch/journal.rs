//! The batch journal: an append-only JSONL file of each task's states, fsynced per record, so a
//! run that dies (a crash, a SIGKILL, a power loss) can be resumed without paying twice.
//!
//! Records (one JSON object a line, after a header line):
//! - `{"i":3,"event":"sent","digest":".."}`: the create is about to go out;
//! - `{"i":3,"event":"submitted","sessionId":"..","taskId":".."}`: it was answered;
//! - `{"i":3,"event":"refused"}`: the service refused it (nothing was created; it may run again);
//! - `{"i":3,"event":"ended","item":{..}}`: its outcome (the [`BatchItem`]);
//! - `{"i":3,"event":"cancelled"}`: the batch was cancelled and its session terminated.
//!
//! On opening, the last record of each task decides: `ended` is skipped (an `unknown` one is
//! run again only with `retry_unknown`), `submitted` is re-attached by id, `sent` without an
//! answer is `unknown` (the answer was lost with the process), `refused`/`cancelled` run again.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::item::BatchItem;
use crate::model::error::{Error, Result};

const HEADER: &str = "enigma-batch-journal";

/// What the journal says of one task.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Prior {
    /// Its create went out and no answer was journaled.
    Sent,
    /// It runs (or ran) in this session, as this task.
    Submitted { session_id: String, task_id: String },
    /// It ended.
    Ended(Box<BatchItem>),
}

/// The journal as read on opening.
#[derive(Debug, Default)]
pub(crate) struct JournalState {
    /// By task index, with the digest of the task text it was journaled with.
    pub priors: HashMap<usize, (Prior, String)>,
    /// The 1-based line of a torn last record, dropped.
    pub torn_line: Option<usize>,
}

/// An open journal, shared by the runner's workers.
#[derive(Clone)]
pub(crate) struct Journal {
    file: Arc<Mutex<File>>,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates) the journal and reads what it holds. A torn last line (no newline,
    /// not JSON) is cut off and reported; a bad line elsewhere is an error naming it. A new
    /// journal's header names the budget, for `enigma report` to draw the spend against.
    pub(crate) fn open(path: &Path, budget: Option<f64>) -> Result<(Journal, JournalState)> {
        let io =
            |what: &str, e: std::io::Error| Error::validation("journal", format!("{what} {}: {e}", path.display()));
        let mut file =
            OpenOptions::new().read(true).append(true).create(true).open(path).map_err(|e| io("cannot open", e))?;
        let mut state = JournalState::default();
        let mut good_end = 0u64;
        let mut lines = Vec::new();
        {
            let mut reader = BufReader::new(&file);
            let mut offset = 0u64;
            let mut buf = Vec::new();
            loop {
                buf.clear();
                let n = reader.read_until(b'\n', &mut buf).map_err(|e| io("cannot read", e))?;
                if n == 0 {
                    break;
                }
                lines.push((offset, buf.clone()));
                offset += n as u64;
            }
        }
        let count = lines.len();
        for (number, (offset, raw)) in lines.into_iter().enumerate() {
            let complete = raw.ends_with(b"\n");
            let parsed: Option<Value> = serde_json::from_slice(&raw).ok();
            let Some(record) = parsed.filter(|_| complete) else {
                if number + 1 == count {
                    tracing::warn!(
                        line = number + 1,
                        "the journal's last line is torn (an interrupted write): dropped"
                    );
                    state.torn_line = Some(number + 1);
                    file.set_len(offset).map_err(|e| io("cannot repair", e))?;
                    break;
                }
                return Err(Error::validation(
                    "journal",
                    format!("{} line {} is not a journal record", path.display(), number + 1),
                ));
            };
            good_end = offset + raw.len() as u64;
            if number == 0 && record.get("journal").and_then(Value::as_str) == Some(HEADER) {
                continue;
            }
            apply(&mut state, &record).ok_or_else(|| {
                Error::validation("journal", format!("{} line {} is not a journal record", path.display(), number + 1))
            })?;
        }
        file.seek(SeekFrom::Start(good_end)).map_err(|e| io("cannot seek", e))?;
        let journal = Journal { file: Arc::new(Mutex::new(file)), path: path.to_owned() };
        if good_end == 0 {
            journal.write_now(&json!({ "journal": HEADER, "version": 1, "budget": budget }))?;
        }
        Ok((journal, state))
    }

    pub(crate) async fn sent(&self, index: usize, digest: &str) -> Result<()> {
        self.write(json!({ "i": index, "event": "sent", "digest": digest })).await
    }

    pub(crate) async fn submitted(&self, index: usize, digest: &str, session_id: &str, task_id: &str) -> Result<()> {
        self.write(
            json!({ "i": index, "event": "submitted", "digest": digest, "sessionId": session_id, "taskId": task_id }),
        )
        .await
    }

    pub(crate) async fn refused(&self, index: usize, digest: &str) -> Result<()> {
        self.write(json!({ "i": index, "event": "refused", "digest": digest })).await
    }

    pub(crate) async fn cancelled(&self, index: usize, digest: &str) -> Result<()> {
        self.write(json!({ "i": index, "event": "cancelled", "digest": digest })).await
    }

    pub(crate) async fn ended(&self, item: &BatchItem, digest: &str) -> Result<()> {
        self.write(json!({ "i": item.index, "event": "ended", "digest": digest, "item": item })).await
    }

    /// `ended`, written from synchronous code (before the runner starts).
    pub(crate) fn ended_now(&self, item: &BatchItem, digest: &str) -> Result<()> {
        self.write_now(&json!({ "i": item.index, "event": "ended", "digest": digest, "item": item }))
    }

    /// Appends one record and fsyncs it, off the async threads.
    async fn write(&self, record: Value) -> Result<()> {
        let journal = self.clone();
        tokio::task::spawn_blocking(move || journal.write_now(&record))
            .await
            .map_err(|e| Error::validation("journal", format!("the journal writer failed: {e}")))?
    }

    fn write_now(&self, record: &Value) -> Result<()> {
        let mut line = record.to_string();
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .map_err(|e| Error::validation("journal", format!("cannot write {}: {e}", self.path.display())))
    }
}

/// Folds one record into the state; `None` when it is not a record.
fn apply(state: &mut JournalState, record: &Value) -> Option<()> {
    let index = usize::try_from(record.get("i")?.as_u64()?).ok()?;
    let digest = record.get("digest").and_then(Value::as_str).unwrap_or_default().to_owned();
    let text = |k: &str| record.get(k).and_then(Value::as_str).map(str::to_owned);
    match record.get("event")?.as_str()? {
        "sent" => {
            state.priors.insert(index, (Prior::Sent, digest));
        }
        "submitted" => {
            let prior = Prior::Submitted { session_id: text("sessionId")?, task_id: text("taskId")? };
            state.priors.insert(index, (prior, digest));
        }
        "ended" => {
            let item: BatchItem = serde_json::from_value(record.get("item")?.clone()).ok()?;
            state.priors.insert(index, (Prior::Ended(Box::new(item)), digest));
        }
        "refused" | "cancelled" => {
            state.priors.remove(&index);
        }
        _ => return None,
    }
    Some(())
}

/// A short, stable fingerprint of a task's text (FNV-1a, 64 bits): a rerun whose input changed
/// under the journal is refused rather than matched by position to other tasks.
pub(crate) fn digest(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
