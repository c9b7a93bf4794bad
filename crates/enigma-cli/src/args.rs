//! The command line, as clap derives it.

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Drive Enigma browser-agent sessions from the shell. Without ENIGMA_API_KEY, `enigma run` uses
/// the built-in simulator.
#[derive(Debug, Parser)]
#[command(name = "enigma", version, about)]
pub struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one task end to end and print its result.
    Run(RunArgs),
    /// Start and control sessions (for scripts).
    #[command(subcommand)]
    Session(SessionCommand),
    /// Look at or wait for tasks (for scripts).
    #[command(subcommand)]
    Task(TaskCommand),
    /// Print a session's live events (agent thoughts, actions, outcomes) as they arrive.
    Watch(SessionId),
    /// Run many tasks from a file (JSONL, CSV with a `task` column, or one task per line) within
    /// the key's limits, with a budget and a journal to resume from.
    Batch(crate::batch_args::BatchArgs),
    /// Check the service's health.
    Health,
    /// Serve the local simulator.
    Sim(SimArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// What the agent should do, in plain language.
    pub task: String,
    /// The URL the browser opens first.
    #[arg(long)]
    pub starting_url: Option<String>,
    /// Session time limit in milliseconds (1..=300000).
    #[arg(long)]
    pub max_duration: Option<u64>,
    /// Stop the task when its cost passes this many USD.
    #[arg(long)]
    pub max_cost: Option<f64>,
    /// Give up waiting after this many seconds (the task is then stopped and its session terminated).
    #[arg(long)]
    pub timeout: Option<f64>,
}

#[derive(Debug, Subcommand)]
pub enum SessionCommand {
    /// Start a session; prints its id (and the initial task's id).
    Start(StartArgs),
    /// Pause the current task.
    Pause(SessionId),
    /// Resume the paused task.
    Resume(SessionId),
    /// Stop the current task.
    Stop(SessionId),
    /// End the session.
    Terminate(SessionId),
    /// Start a task in a session; prints its id (or its result with --wait).
    Task(NewTaskArgs),
}

#[derive(Debug, Args)]
pub struct SessionId {
    /// The session id.
    pub session_id: String,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// An initial task.
    #[arg(long = "task")]
    pub task_details: Option<String>,
    /// The URL the browser opens first.
    #[arg(long)]
    pub starting_url: Option<String>,
    /// Session time limit in milliseconds (1..=300000).
    #[arg(long)]
    pub max_duration: Option<u64>,
    /// End the session after its first task.
    #[arg(long)]
    pub terminate_on_completion: bool,
}

#[derive(Debug, Args)]
pub struct NewTaskArgs {
    /// The session id.
    pub session_id: String,
    /// What the agent should do.
    pub task: String,
    /// Task time limit in milliseconds.
    #[arg(long)]
    pub max_duration: Option<u64>,
    /// End the session after this task.
    #[arg(long)]
    pub terminate_on_completion: bool,
    /// Wait for the result.
    #[arg(long)]
    pub wait: bool,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// One look at a task.
    Poll(TaskIds),
    /// Wait for a task's result.
    Wait(WaitArgs),
}

#[derive(Debug, Args)]
pub struct TaskIds {
    /// The session id.
    pub session_id: String,
    /// The task id.
    pub task_id: String,
}

#[derive(Debug, Args)]
pub struct WaitArgs {
    #[command(flatten)]
    pub ids: TaskIds,
    /// Give up after this many seconds (the task goes on).
    #[arg(long)]
    pub timeout: Option<f64>,
    /// Stop the task when its cost passes this many USD.
    #[arg(long)]
    pub max_cost: Option<f64>,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to bind (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Simulated seconds per wall second inverse: 0.01 makes a 3 s task take 30 ms.
    #[arg(long, default_value_t = 1.0)]
    pub time_scale: f64,
    /// The inline wait of newTask/run-task, simulated seconds.
    #[arg(long, default_value_t = 50.0)]
    pub inline_wait: f64,
    /// Idle timeout of sessions without a task, simulated seconds.
    #[arg(long, default_value_t = 300.0)]
    pub idle_timeout: f64,
    /// POST requests per key per 60 s; 0 turns the rate limiter off.
    #[arg(long, default_value_t = 10)]
    pub rate_limit: u32,
    /// Length of the rate-limit window, wall seconds (the service's is 60).
    #[arg(long, default_value_t = 60.0)]
    pub rate_limit_window: f64,
    /// Whether the rate limit is one budget for all POST endpoints or one per endpoint.
    #[arg(long, value_enum, default_value_t = Scope::Shared)]
    pub rate_limit_scope: Scope,
    /// Concurrent sessions per key.
    #[arg(long, default_value_t = 5)]
    pub max_sessions: u32,
    /// Starting balance per key, USD.
    #[arg(long, default_value_t = 100.0)]
    pub balance: f64,
    /// Seed for ids and behaviour.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    Shared,
    PerEndpoint,
}
