//! The default ledger (no `ENIGMA_LEDGER`) lives in the user's state directory and records
//! sessions on a real host only: a simulator on loopback bills nothing, and the whole test
//! suite runs on one, so it never writes to a developer's ledger. Its own test binary: it
//! moves `XDG_STATE_HOME` for the process.

mod common;

use common::{builder, sim};
use enigma::{LedgerSetting, RunTaskOptions};

#[tokio::test]
async fn sessions_on_a_loopback_simulator_are_not_written_to_the_default_ledger() {
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
    client.start_session(Default::default()).await.unwrap().terminate().await.unwrap();
    assert!(!state.exists(), "nothing written under {state:?}");
}
