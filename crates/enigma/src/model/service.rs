//! What the service says about itself: health and active instance connections.

use serde::Serialize;
use serde_json::Value;

/// `GET /start/health`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    /// `healthy` when all is well.
    pub status: String,
    /// Whether browser instances are available.
    pub instances_available: Option<bool>,
    /// How many instances there are.
    pub instance_count: Option<u64>,
    /// The service's timestamp.
    pub timestamp: Option<String>,
    /// The whole answer.
    pub raw: Value,
}

/// `GET /start/active-sockets`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActiveSockets {
    /// Connection ids.
    pub sockets: Vec<String>,
    /// How many.
    pub count: u64,
    /// The whole answer.
    pub raw: Value,
}
