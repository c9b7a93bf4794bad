//! Shared by the Rust examples (files starting with `_` are helpers, not examples); each example
//! includes it with `#[path = "_common.rs"] mod common;`.
//!
//! With ENIGMA_API_KEY set, the examples use the service (ENIGMA_BASE_URL and the other ENIGMA_*
//! settings apply). Without it they start the simulator in-process, fast (time scale 0.02: a
//! simulated second lasts 20 ms), so each one runs offline and exits 0.

// Each example uses only part of this file.
#![allow(dead_code)]

use std::time::Duration;

use enigma::Client;
use enigma_sim::{SimConfig, SimHandle, Simulator};

/// Any well-formed key works on the simulator; sessions belong to the key that made them.
pub const SIMULATOR_KEY: &str = "enig_examples000000000000000000000";

/// What an example's `main` returns.
pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A client, and the simulator it talks to when there is no key.
pub struct Example {
    pub client: Client,
    simulator: Option<SimHandle>,
}

/// Whether the examples run on the simulator (no ENIGMA_API_KEY).
pub fn on_simulator() -> bool {
    std::env::var("ENIGMA_API_KEY").map_or(true, |key| key.trim().is_empty())
}

/// A client on the service with a key, else on an in-process simulator started here.
pub async fn start() -> Result<Example> {
    if !on_simulator() {
        return Ok(Example { client: Client::new()?, simulator: None });
    }
    let simulator = Simulator::start(SimConfig { time_scale: 0.02, rate_limit: None, ..SimConfig::default() }).await?;
    eprintln!("(no ENIGMA_API_KEY: on the in-process simulator at {})", simulator.url());
    let client = Client::builder()
        .api_key(SIMULATOR_KEY)
        .base_url(simulator.url())
        .poll_interval(Duration::from_millis(20))
        .build()?;
    Ok(Example { client, simulator: Some(simulator) })
}

impl Example {
    /// The task text; on the simulator, with `#sim` directives that script its agent
    /// (crates/enigma-sim/README.md, "Directives"). The service never sees them.
    pub fn task(&self, text: &str, sim: &str) -> String {
        if self.simulator.is_some() && !sim.is_empty() { format!("{text} {sim}") } else { text.to_owned() }
    }

    /// Whether this example runs on the simulator.
    pub fn on_simulator(&self) -> bool {
        self.simulator.is_some()
    }

    /// The environment another process needs to reach the same service.
    pub fn child_env(&self) -> Vec<(String, String)> {
        match &self.simulator {
            Some(sim) => vec![("ENIGMA_API_KEY".into(), SIMULATOR_KEY.into()), ("ENIGMA_BASE_URL".into(), sim.url())],
            None => Vec::new(),
        }
    }

    /// Stops the simulator, if one was started.
    pub async fn done(self) {
        if let Some(sim) = self.simulator {
            sim.shutdown().await;
        }
    }
}
