//! The default ledger (no `ENIGMA_LEDGER`) lives in the user's state directory and records
//! every session, a simulator's on this machine too (a user tries `enigma session list` there
//! first). Its own test binary: it moves `XDG_STATE_HOME` for the process.

mod common;

use common::{builder, sim};
use enigma::{LedgerSetting, RunTaskOptions};

#[tokio::test]
async fn the_default_ledger_records_sessions_on_a_loopback_simulator_too() {
    let state = std::env::temp_dir().join(format!("enigma-ledger-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&state);
    // SAFETY: the only test of this binary, before any thread reads the environment.
    unsafe {
        std::env::set_var("XDG_STATE_HOME", &state);
        std::env::remove_var(enigma::LEDGER_ENV);
    }
    let expected = if cfg!(target_os = "linux") { Some(state.join("enigma/sessions.jsonl")) } else { None };
    if let Some(expected) = &expected {
        assert_eq!(enigma::default_ledger_path().as_ref(), Some(expected));
    }
    let sim = sim().await;
    let client = builder(&sim).build().unwrap();
    assert_eq!(client.config().ledger, LedgerSetting::Default);
    client.run_task(RunTaskOptions::new("x #sim duration=1")).await.unwrap();
    client.start_session(enigma::SessionOptions::new()).await.unwrap().terminate().await.unwrap();
    if let Some(expected) = &expected {
        let text = std::fs::read_to_string(expected).expect("the default ledger was written");
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let count = |event: &str| lines.iter().filter(|l| l["event"] == event).count();
        assert_eq!((count("opened"), count("ended")), (2, 2), "{text}");
        assert!(client.unended_sessions().unwrap().is_empty());
    }
    let _ = std::fs::remove_dir_all(&state);
}
