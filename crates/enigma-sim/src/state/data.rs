//! The simulator's data behind the lock: accounts, sessions, tasks, sockets, counters.

use std::collections::{HashMap, VecDeque};
use std::time::SystemTime;

use serde_json::{Value, json};
use tokio::sync::watch;

use super::fanout::Fanout;
use super::pacing::TickPacing;
use super::sockets::SocketRegistry;
use crate::config::SimConfig;
use crate::directives::TaskScript;
use crate::extras::Extras;
use crate::faults::Faults;
use crate::ids::IdGen;
use crate::rate_limit::RateLimiter;
use crate::stats::Stats;
use crate::variants::Variants;

/// How many events a session keeps for its live page.
const RECENT_EVENTS: usize = 100;

/// Mutable state behind the lock.
#[derive(Debug)]
pub(crate) struct Inner {
    pub ids: IdGen,
    pub sessions: HashMap<String, Session>,
    pub tasks: HashMap<String, Task>,
    pub accounts: HashMap<String, Account>,
    pub rate: RateLimiter,
    pub faults: Faults,
    pub stats: Stats,
    /// The connected Socket.IO sockets.
    pub sockets: SocketRegistry,
    /// What the simulator sends beyond the docs (none with `strict_docs`).
    pub extras: Extras,
    /// The documented variants the answers take (none by default).
    pub variants: Variants,
    /// When the agent last ticked every session, and whether it is due again.
    pub pacing: TickPacing,
}

impl Inner {
    /// Empty data for a simulator with these settings.
    pub(crate) fn new(config: &SimConfig) -> Self {
        Inner {
            ids: IdGen::new(config.seed),
            sessions: HashMap::new(),
            tasks: HashMap::new(),
            accounts: HashMap::new(),
            rate: RateLimiter::new(config.rate_limit, config.rate_limit_scope, config.rate_limit_window),
            faults: Faults::default(),
            stats: Stats::default(),
            sockets: SocketRegistry::default(),
            extras: Extras::new(config.strict_docs),
            variants: Variants::new(&config.answer_variants),
            pacing: TickPacing::default(),
        }
    }

    /// The account of a key, created with the initial balance on first use.
    pub(crate) fn account(&mut self, key: &str, initial_balance: f64) -> &mut Account {
        self.accounts.entry(key.to_string()).or_insert_with(|| Account {
            // Keys starting `enig_broke` start with nothing, to test 402 without settings.
            balance: if key.starts_with("enig_broke") { 0.0 } else { initial_balance },
        })
    }

    /// Open sessions of a key.
    pub(crate) fn open_sessions_of(&self, key: &str) -> u32 {
        self.sessions.values().filter(|s| s.key == key && s.is_open()).count() as u32
    }
}

/// One API key's account.
#[derive(Debug)]
pub(crate) struct Account {
    pub balance: f64,
}

/// Session-level options that later tasks inherit.
#[derive(Clone, Debug, Default)]
pub(crate) struct BrowserOptions {
    pub starting_url: Option<String>,
    pub avoid_domains: Vec<String>,
    pub max_input_tokens: Option<u64>,
    pub max_output_tokens: Option<u64>,
}

/// Where a session is in its lifecycle.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SessionStatus {
    Active,
    /// Final; the reason is the `end_session` reason.
    Terminated {
        reason: String,
    },
}

/// One browser session.
#[derive(Debug)]
pub(crate) struct Session {
    pub id: String,
    pub key: String,
    pub status: SessionStatus,
    /// Simulated time of creation.
    pub created: f64,
    /// Simulated seconds the session may live.
    pub max_duration: f64,
    pub current: Option<String>,
    pub queued: Option<String>,
    /// Simulated time since which the session has had no task.
    pub idle_since: f64,
    /// End the session after its next task ends (start-session's / run-task's flag).
    pub terminate_after_task: bool,
    /// A human has taken over the browser; the agent is paused.
    pub manual_control: bool,
    pub options: BrowserOptions,
    /// Every task of the session, in creation order.
    pub task_ids: Vec<String>,
    pub events: Fanout,
    pub recent: VecDeque<Value>,
}

impl Session {
    pub(crate) fn new(id: String, key: String, now: f64, max_duration: f64) -> Self {
        Session {
            id,
            key,
            status: SessionStatus::Active,
            created: now,
            max_duration,
            current: None,
            queued: None,
            idle_since: now,
            terminate_after_task: false,
            manual_control: false,
            options: BrowserOptions::default(),
            task_ids: Vec::new(),
            events: Fanout::default(),
            recent: VecDeque::new(),
        }
    }

    pub(crate) fn is_open(&self) -> bool {
        self.status == SessionStatus::Active
    }

    /// Emits a named event (`message`, `end_session`, ...) to the session's channel:
    /// `{"event": name, "data": payload}`.
    pub(crate) fn emit(&mut self, event: &str, data: Value) {
        let envelope = json!({ "event": event, "data": data });
        if self.recent.len() == RECENT_EVENTS {
            self.recent.pop_front();
        }
        self.recent.push_back(envelope.clone());
        self.events.send(&envelope);
    }

    /// Emits a `message` event.
    pub(crate) fn emit_message(&mut self, data: Value) {
        self.emit("message", data);
    }
}

/// Where a task is in its lifecycle.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TaskPhase {
    Queued,
    Running,
    /// Waiting for a human's answer to this question.
    Guardrail(String),
    Completed,
    Failed {
        code: String,
        error: String,
    },
    Stopped,
    Terminated,
}

impl TaskPhase {
    pub(crate) fn is_final(&self) -> bool {
        matches!(self, TaskPhase::Completed | TaskPhase::Failed { .. } | TaskPhase::Stopped | TaskPhase::Terminated)
    }
}

/// Token and cost figures of a task at one moment.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub compute_time: f64,
    pub cost: f64,
}

/// A task's view of its instance's connection.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) enum InstanceLink {
    /// Connected, and the scripted disconnect has not happened yet.
    #[default]
    Up,
    /// Disconnected since this simulated time; progress is frozen.
    Down { since: f64 },
    /// Came back after its outage (it will not disconnect again).
    Restored,
}

/// One task.
#[derive(Debug)]
pub(crate) struct Task {
    pub id: String,
    pub session_id: String,
    pub script: TaskScript,
    pub phase: TaskPhase,
    /// Simulated time the task started running.
    pub started: Option<f64>,
    /// Simulated time the task ended.
    pub ended: Option<f64>,
    pub completed_at: Option<SystemTime>,
    /// Simulated time of the last tick that looked at this task.
    pub last_tick: f64,
    /// Simulated seconds of agent work done (frozen while paused or waiting).
    pub elapsed: f64,
    /// Next progress point (see `agent`).
    pub point: u32,
    pub guardrail_asked: bool,
    pub pause_requested: bool,
    pub paused: bool,
    /// Cost already charged to the key's balance.
    pub charged: f64,
    /// Simulated seconds this task may run (newTask's `maxDuration`).
    pub max_duration: Option<f64>,
    pub terminate_on_completion: bool,
    /// The instance's connection (`#sim instance=`).
    pub link: InstanceLink,
    /// Bumped on every phase change; inline waits watch it.
    pub changes: watch::Sender<u64>,
}

impl Task {
    pub(crate) fn new(id: String, session_id: String, script: TaskScript) -> Self {
        Task {
            id,
            session_id,
            script,
            phase: TaskPhase::Queued,
            started: None,
            ended: None,
            completed_at: None,
            last_tick: 0.0,
            elapsed: 0.0,
            point: 0,
            guardrail_asked: false,
            pause_requested: false,
            paused: false,
            charged: 0.0,
            max_duration: None,
            terminate_on_completion: false,
            link: InstanceLink::default(),
            changes: watch::channel(0).0,
        }
    }

    /// Running, paused or waiting for a guardrail answer.
    pub(crate) fn is_running(&self) -> bool {
        matches!(self.phase, TaskPhase::Running | TaskPhase::Guardrail(_))
    }

    /// Wakes inline waits.
    pub(crate) fn notify(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    /// Usage so far: grows linearly with the work done.
    pub(crate) fn usage(&self) -> Usage {
        self.usage_at(self.elapsed)
    }

    /// Usage with `elapsed` simulated seconds of work done (the tick's fast path asks before it
    /// moves the task's clock).
    pub(crate) fn usage_at(&self, elapsed: f64) -> Usage {
        let fraction =
            if self.phase == TaskPhase::Completed { 1.0 } else { (elapsed / self.script.duration).clamp(0.0, 1.0) };
        let total = (self.script.tokens as f64 * fraction).round() as u64;
        let input = (self.script.tokens as f64 * 0.8 * fraction).round() as u64;
        Usage {
            input_tokens: input.min(total),
            output_tokens: total - input.min(total),
            compute_time: round(elapsed, 3),
            cost: round(self.script.cost * fraction, 6),
        }
    }

    /// Simulated seconds from start to end (or now).
    pub(crate) fn completion_time(&self, now: f64) -> f64 {
        let start = self.started.unwrap_or(now);
        round(self.ended.unwrap_or(now) - start, 3)
    }
}

/// Rounds to `digits` decimals.
pub(crate) fn round(value: f64, digits: i32) -> f64 {
    let factor = 10f64.powi(digits);
    (value * factor).round() / factor
}
