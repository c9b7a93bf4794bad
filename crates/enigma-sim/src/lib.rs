//! A faithful local simulator of the Enigma browser-agent service.
//!
//! It serves the documented REST API (`/start/start-session`, `/start/send-message`,
//! `/start/run-task`, `/task/:sessionId/:taskId`, `/start/health`, `/start/active-sockets`) and
//! the Socket.IO v4 server (path `/socket.io/`, `auth: {sessionId}`, live events and commands) on
//! one loopback port, with the service's shapes, status codes, error texts, timers and limits. Its
//! agent is
//! scripted: by default a task takes about 3 simulated seconds in 3 steps; `#sim` directives in
//! `taskDetails` change that (see the crate README). Time can be scaled so tests run fast.
//!
//! Inside, the layers run one way, down: the transports (`routes/`, `socket/`), the commands,
//! the agent (`agent/`), the state (`state/`: the application root and its data) and leaf
//! helpers; docs/architecture.md has the picture.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use enigma_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig { time_scale: 0.01, ..SimConfig::default() }).await?;
//! println!("simulator at {}", sim.url());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

mod agent;
mod auth;
mod clock;
mod commands;
mod config;
mod cuttable;
mod directives;
mod errors;
mod extras;
mod faults;
mod ids;
mod live_page;
mod mcp_stats;
mod owned;
mod rate_limit;
mod replay;
mod responses;
mod routes;
mod server;
mod shared;
mod sim_stats;
mod socket;
mod state;
mod stats;
mod time_fmt;
mod validate;
mod variants;

pub use config::{RateLimitScope, SimConfig, SimSettings};
pub use directives::InstanceBehaviour;
pub use faults::{Fault, FaultAction};
pub use replay::{REPLAY_MISMATCH, ReplayStats};
pub use server::{SimHandle, Simulator};
pub use shared::SharedSim;
pub use sim_stats::{
    McpConnectionStats, McpStats, MessageStats, RequestStats, SessionStats, SimStats, SocketStats, TaskStats,
};
pub use stats::ENDPOINTS;
pub use variants::AnswerVariant;
