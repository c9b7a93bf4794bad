//! Building the client: from the environment, or on the built-in simulator when no key is set.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use enigma::{Client, Error};
use enigma_sim::{SimConfig, SimHandle, Simulator};

/// A client, and the in-process simulator it talks to when there was no API key.
pub struct Connection {
    pub client: Client,
    /// Held so the in-process simulator lives as long as the client that talks to it.
    pub _simulator: Option<SimHandle>,
}

/// The key the CLI uses on its own simulator (any well-formed key works there).
const SIMULATOR_KEY: &str = "enig_localsimulatorlocalsimulator";

pub fn has_api_key() -> bool {
    std::env::var("ENIGMA_API_KEY").is_ok_and(|k| !k.trim().is_empty())
}

/// `--record DIR`, for the clients this command line builds (set once per command line: the
/// Python package runs several in one process).
static RECORD: Mutex<Option<PathBuf>> = Mutex::new(None);

/// Sets (or clears) the folder `--record` names.
pub fn set_record(dir: Option<PathBuf>) {
    *RECORD.lock().unwrap_or_else(|e| e.into_inner()) = dir;
}

/// A builder with `--record` applied; the other settings come from ENIGMA_* variables.
fn builder() -> enigma::ClientBuilder {
    let builder = Client::builder();
    match RECORD.lock().unwrap_or_else(|e| e.into_inner()).clone() {
        Some(dir) => builder.record(dir),
        None => builder,
    }
}

/// The client from ENIGMA_* settings.
pub fn from_env() -> Result<Client, Error> {
    builder().build()
}

/// The client from ENIGMA_* settings, or, without a key, one on a simulator started here.
pub async fn or_simulator(quiet: bool) -> Result<Connection, Error> {
    if has_api_key() {
        return Ok(Connection { client: from_env()?, _simulator: None });
    }
    let simulator = Simulator::start(SimConfig::default()).await.map_err(|e| Error::Connection {
        message: format!("cannot start the simulator: {e}"),
        never_sent: true,
        source: Some(enigma::ErrorSource::new(e)),
    })?;
    if !quiet {
        eprintln!("No ENIGMA_API_KEY set: running on the built-in simulator at {}", simulator.url());
    }
    let client =
        builder().api_key(SIMULATOR_KEY).base_url(simulator.url()).poll_interval(Duration::from_millis(500)).build()?;
    Ok(Connection { client, _simulator: Some(simulator) })
}
