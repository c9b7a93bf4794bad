//! A recorder that cannot write (a folder it may not create, a read-only one): one warning, the
//! run completes. A binary of its own: it installs the process's subscriber to count warnings
//! (the recorder writes from a thread of its own).

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use enigma::{Outcome, SessionOptions, TaskOptions, WaitOptions};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A folder no write can go to: read-only for a user; as root (who may write anywhere), a
/// folder inside sysfs, where nothing may be created.
fn unwritable() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("enigma-readonly-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut permissions = std::fs::metadata(&dir).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&dir, permissions).unwrap();
    if std::fs::write(dir.join("probe"), b"").is_ok() {
        return std::path::PathBuf::from("/sys/enigma-record-test");
    }
    dir
}

#[tokio::test]
async fn a_recorder_that_cannot_write_warns_once_and_the_run_goes_on() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
    tracing::subscriber::set_global_default(subscriber).unwrap();

    let sim = sim().await;
    let client = builder(&sim).record(unwritable()).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    for text in ["First", "Second"] {
        let result = session.new_task(TaskOptions::new(text)).await.unwrap().result(WaitOptions::new()).await.unwrap();
        assert_eq!(result.outcome, Outcome::Completed);
    }
    session.terminate().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert_eq!(log.matches("the flight recorder cannot write").count(), 1, "{log}");
    assert!(log.contains("WARN"), "{log}");
}
