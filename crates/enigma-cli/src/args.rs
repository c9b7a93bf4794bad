//! The command line, as clap derives it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use enigma_sim::AnswerVariant;

/// What `enigma --help` adds after the commands: where the key comes from, the simulator
/// fallback, and commands to copy (tests/help.rs runs the first two).
const CLI_AFTER_HELP: &str = "\
Settings come from the environment: ENIGMA_API_KEY (your key), ENIGMA_BASE_URL (default
https://connect.enigma.click), ENIGMA_REQUEST_TIMEOUT, ENIGMA_MAX_RETRIES, ...
Without ENIGMA_API_KEY, `enigma run` uses the built-in simulator: a local stand-in for the
service with a scripted agent, so you can try everything offline, at no cost.

Examples:
  enigma run \"Find the opening hours of the Louvre\"
  enigma --json run \"Find the cheapest keyboard on amazon.com\" --starting-url https://amazon.com --max-cost 0.50
  enigma sim --time-scale 0.01 --rate-limit 0    # then: ENIGMA_BASE_URL=<its URL> ENIGMA_API_KEY=enig_... enigma ...";

/// Exit codes and simulator directives, after `enigma run --help`. The codes are those of
/// exit.rs (tests/help.rs checks the help against what the command does).
const RUN_AFTER_HELP: &str = "\
Exit codes:
  0    completed
  20   guardrail (the agent asked a question)
  21   stopped
  3    validation (bad input, nothing was sent)
  4    authentication, permission denied or insecure transport
  5    insufficient balance
  6    rate limit or session limit
  7    session or task not found
  8    task failed
  9    wait timeout
  10   cost limit (the task was stopped)
  11   session ended
  12   task already running
  13   connection, server or decode error
  14   outcome unknown (the request may have been done: check before sending it again)
  130  cancelled (Ctrl-C; the open session is terminated first)
  143  cancelled (SIGTERM, as from `timeout` or `docker stop`; the same cleanup)

On the simulator (no ENIGMA_API_KEY, or `enigma sim`), `#sim` directives in the task text script
the agent: duration=SECONDS steps=N cost=USD tokens=N message=\"...\" guardrail=\"question\"
fail=CODE instance=flaky|lost end=completed. For example:
  enigma run 'Buy shoes #sim duration=20 cost=0.2 guardrail=\"Which size?\"'";

/// Drive Enigma browser-agent sessions from the shell.
#[derive(Debug, Parser)]
#[command(name = "enigma", version, about, after_help = CLI_AFTER_HELP)]
pub struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Record every session to a JSONL file in DIR (the flight recorder, as ENIGMA_RECORD does;
    /// the key is never written). `enigma sim --replay DIR` serves it back.
    #[arg(long, global = true, value_name = "DIR")]
    pub record: Option<std::path::PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one task end to end and print its result.
    #[command(after_help = RUN_AFTER_HELP)]
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
    #[command(after_help = crate::exit::batch_help())]
    Batch(crate::batch_args::BatchArgs),
    /// Check the service's health.
    Health,
    /// Serve the local simulator (a stand-in for the service, with a scripted agent).
    Sim(SimArgs),
    /// Serve the SDK as a local MCP server (stdio, or Streamable HTTP with --http) for MCP
    /// hosts (Claude Desktop, Cursor, VS Code...).
    #[command(after_help = crate::mcp::args::MCP_AFTER_HELP)]
    Mcp(crate::mcp::args::McpArgs),
    /// Draw a session recording or a batch journal as one self-contained HTML page: tasks as
    /// bars over time, events as marks, commands as lines, the spend as a curve.
    Report(crate::report::ReportArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// What the agent should do, in plain language.
    pub task: String,
    /// The URL the browser opens first.
    #[arg(long)]
    pub starting_url: Option<String>,
    /// Session time limit in milliseconds (1..=300000).
    #[arg(long, allow_negative_numbers = true)]
    pub max_duration: Option<i64>,
    /// Stop the task when its cost passes this many USD.
    #[arg(long, allow_negative_numbers = true)]
    pub max_cost: Option<f64>,
    /// Give up waiting after this many seconds (the task is then stopped and its session terminated).
    #[arg(long, allow_negative_numbers = true)]
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
    /// List the sessions the local ledger saw opened and never saw end (a process that died
    /// left them), each checked against the service: open, ended, unknown, or opened with
    /// another key or host (not checked). ENIGMA_LEDGER names the ledger file.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Terminate those still open whose opening process no longer runs.
    #[arg(long)]
    pub terminate: bool,
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
    #[arg(long, allow_negative_numbers = true)]
    pub max_duration: Option<i64>,
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
    #[arg(long, allow_negative_numbers = true)]
    pub max_duration: Option<i64>,
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
    #[arg(long, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
    /// Stop the task when its cost passes this many USD.
    #[arg(long, allow_negative_numbers = true)]
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
    /// How fast the simulated clock runs: wall-clock seconds per simulated second. 1 is real
    /// time; 0.01 runs everything 100 times faster (a task of 3 simulated seconds takes 30 ms,
    /// the service's 50 s inline wait 0.5 s); 2 runs twice as slow. Every simulated timer
    /// scales (steps, inline wait, idle timeout, max duration) except the rate limit's minute.
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
    /// Documented-only mode: send exactly what the service's docs promise, none of the
    /// simulator's extras (no id for start-session's initial task, no ids on events but
    /// task_completed, no socket acks, no task_stopped event, no paused/queued in polls...; the
    /// list is in docs/api-contract.md). For testing that a client assumes no more than the docs.
    #[arg(long)]
    pub strict_docs: bool,
    /// Answer in one documented variant of the task answers (repeatable): inline_without_status,
    /// result_without_type, pending_flag_only, pending_status_only, usage_in_data,
    /// snake_case_usage (the list is in docs/api-contract.md). For testing that a client reads
    /// every shape the docs give.
    #[arg(long = "answer-variant", value_name = "NAME")]
    pub answer_variants: Vec<AnswerVariant>,
    /// Serve a recording (a file of the flight recorder, or a folder of them) instead of the
    /// scripted agent: the same answers and events, in order, the recorded timing scaled by
    /// --time-scale. A request the recording does not have gets a 400 REPLAY_MISMATCH naming the
    /// first difference (also in /_sim/stats, `replay`).
    #[arg(long, value_name = "FILE|DIR")]
    pub replay: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scope {
    Shared,
    PerEndpoint,
}
