//! What each command does.

use crate::exit::ExitCode;
use std::time::Duration;

use enigma::{Error, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::{RateLimitScope, SimConfig, Simulator};
use serde_json::json;

use crate::args::{Cli, Command, RunArgs, Scope, SessionCommand, SimArgs, StartArgs, TaskCommand};
use crate::progress::Progress;
use crate::{connect, interrupt, output};

pub async fn dispatch(cli: Cli) -> Result<ExitCode, Error> {
    let json = cli.json;
    // Ctrl-C and SIGTERM: `run` handles them itself (its built-in simulator must outlive the
    // terminate); `sim` stops serving; every other command stops and exits 130 / 143 (see
    // `interrupt`).
    match cli.command {
        Command::Run(args) => run(args, json).await,
        Command::Sim(args) => sim(args).await,
        Command::Session(command) => interrupt::or_signal(session(command, json)).await,
        Command::Task(command) => interrupt::or_signal(task(command, json)).await,
        Command::Watch(args) => interrupt::or_signal(watch(&args.session_id, json)).await,
        Command::Batch(args) => crate::batch::run(args, json).await,
        Command::Health => interrupt::or_signal(health(json)).await,
        // Its own signal handling: the end terminates every session it opened.
        Command::Mcp(args) => crate::mcp::serve(args).await,
        Command::Report(args) => crate::report::run(args, json),
    }
}

async fn health(json: bool) -> Result<ExitCode, Error> {
    let health = connect::from_env()?.health().await?;
    if json {
        output::print_json(&health.raw);
    } else {
        println!("{}", output::health_line(&health.status, health.instance_count));
    }
    Ok(ExitCode::SUCCESS)
}

/// `enigma run`: one session, one task, always terminated (also on Ctrl-C and SIGTERM).
///
/// It runs as the core's `run_task` does (`start_task`: one start-session that carries the task
/// and ends after it, the id at once, the task guarded from the moment it is sent), waiting
/// with a progress callback for the status line, and ends what is left afterwards: the session
/// of a guardrail question (nobody can answer it here), a timeout or a cost ceiling. A signal
/// drops the work and terminates the session (`interrupt::or_signal_ending`).
async fn run(args: RunArgs, json: bool) -> Result<ExitCode, Error> {
    let mut options = SessionOptions::new();
    options.task_details = Some(args.task);
    options.starting_url = args.starting_url;
    options.max_duration = max_duration(args.max_duration)?;
    let wait = WaitOptions { timeout: seconds(args.timeout)?, max_cost: args.max_cost };
    // Everything the input alone shows is checked (by the core's rules) before a session opens.
    options.validate(true)?;
    wait.validate()?;
    let connection = connect::or_simulator(json).await?;
    let client = connection.client.clone();
    let progress = Progress::new(json, wait.max_cost);
    let display = progress.clone();
    // A create held by the rate limit (a 429 and its Retry-After) says so rather than sit silent.
    let mut waits = client.rate_limit_notices();
    let waiting = display.clone();
    let notices = tokio::spawn(async move {
        while let Some(wait) = waits.next().await {
            waiting.note(&wait.message);
        }
    });
    let work = async move {
        let task = client.start_task(options).await?;
        let session = task.session();
        display.note(&format!("session {} started; the agent is working…", session.id()));
        // Show the agent's thoughts and actions as they arrive.
        let mut events = session.events();
        let shown = display.clone();
        let printer = tokio::spawn(async move {
            while let Some(event) = events.next().await {
                if let Some(line) = output::event_line(&event, false) {
                    shown.note(&line);
                }
            }
        });
        let result = task.result_with_progress(wait, |status| display.update(status)).await;
        printer.abort();
        // A final outcome ended the session with its task (it left `open_session_ids`); a
        // guardrail, a timeout or a ceiling leaves it open: end it, as promised.
        if client.open_session_ids().iter().any(|id| id == session.id())
            && let Err(err) = session.terminate().await
        {
            display.note(&format!("warning: could not terminate session {}: {err}", session.id()));
        }
        result
    };
    let outcome = interrupt::or_signal_ending(&connection.client, work).await;
    notices.abort();
    progress.finish();
    Ok(output::result(&outcome?, json))
}

/// `enigma watch`: print a session's live events until it ends.
async fn watch(session_id: &str, json: bool) -> Result<ExitCode, Error> {
    let session = connect::from_env()?.session(session_id)?;
    let mut events = session.events();
    while let Some(event) = events.next().await {
        if json {
            // One object per line, in the CLI's camelCase.
            println!("{}", output::camel(&event));
        } else if let Some(line) = output::event_line(&event, true) {
            println!("{line}");
        }
        if let enigma::Event::ConnectError { .. } = event {
            // The table's status for why: an unknown session 7, an unreachable host 13.
            let code = events.end_code().unwrap_or(enigma::ErrorCode::Connection);
            return Ok(ExitCode::from(crate::exit::status_for(code)));
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn session(command: SessionCommand, json: bool) -> Result<ExitCode, Error> {
    let client = connect::from_env()?;
    let ack = |action: &str, id: &str| {
        if json {
            output::print_json(&json!({"success": true, "sessionId": id, "action": action}));
        } else {
            println!("{action}: {id}");
        }
        Ok(ExitCode::SUCCESS)
    };
    match command {
        SessionCommand::Start(args) => start(&client, args, json).await,
        SessionCommand::List(args) => crate::session_list::run(&client, args.terminate, json).await,
        SessionCommand::Pause(s) => {
            client.session(&s.session_id)?.pause().await?;
            ack("paused", &s.session_id)
        }
        SessionCommand::Resume(s) => {
            client.session(&s.session_id)?.resume().await?;
            ack("resumed", &s.session_id)
        }
        SessionCommand::Stop(s) => {
            client.session(&s.session_id)?.stop().await?;
            ack("stopped", &s.session_id)
        }
        SessionCommand::Terminate(s) => {
            client.session(&s.session_id)?.terminate().await?;
            ack("terminated", &s.session_id)
        }
        SessionCommand::Task(args) => {
            let mut options = TaskOptions::new(args.task);
            options.max_duration = max_duration(args.max_duration)?;
            options.terminate_on_completion = args.terminate_on_completion.then_some(true);
            let task = client.session(&args.session_id)?.new_task(options).await?;
            if args.wait {
                let result = task.result(WaitOptions::new()).await?;
                return Ok(output::result(&result, json));
            }
            // The id once the service names the task: at once on most services, at the end of
            // the inline wait (50 s at most) on one that names tasks only in the answer.
            let task_id = task.wait_for_id().await?;
            if json {
                output::print_json(&json!({"sessionId": task.session_id(), "taskId": task_id}));
            } else {
                println!("{task_id}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn start(client: &enigma::Client, args: StartArgs, json: bool) -> Result<ExitCode, Error> {
    let mut options = SessionOptions::new();
    options.task_details = args.task_details;
    options.starting_url = args.starting_url;
    options.max_duration = max_duration(args.max_duration)?;
    options.terminate_on_completion = args.terminate_on_completion.then_some(true);
    let session = client.start_session(options).await?;
    // Named by the start answer on some services; on others only by the task's events later.
    let task_id = session.initial_task().and_then(|t| t.id()).map(str::to_owned);
    if json {
        output::print_json(&json!({
            "sessionId": session.id(),
            "taskId": task_id,
            "liveViewUrl": session.live_view_url(),
        }));
    } else {
        println!("{}", session.id());
        if let Some(task_id) = task_id {
            eprintln!("initial task: {task_id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn task(command: TaskCommand, json: bool) -> Result<ExitCode, Error> {
    let client = connect::from_env()?;
    match command {
        TaskCommand::Poll(ids) => {
            let status = client.task(&ids.session_id, &ids.task_id)?.poll().await?;
            output::status(&status, json);
            Ok(ExitCode::SUCCESS)
        }
        TaskCommand::Wait(args) => {
            let task = client.task(&args.ids.session_id, &args.ids.task_id)?;
            let wait = WaitOptions { timeout: seconds(args.timeout)?, max_cost: args.max_cost };
            wait.validate()?; // before anything is sent, as `run` does
            let progress = Progress::new(json, wait.max_cost);
            let result = task.result_with_progress(wait, |s| progress.update(s)).await;
            progress.finish();
            Ok(output::result(&result?, json))
        }
    }
}

/// `enigma sim`: serve until Ctrl-C or SIGTERM.
async fn sim(args: SimArgs) -> Result<ExitCode, Error> {
    let config = SimConfig {
        bind: std::net::SocketAddr::new(args.host, args.port),
        time_scale: args.time_scale,
        inline_wait: Duration::from_secs_f64(args.inline_wait),
        idle_timeout: Duration::from_secs_f64(args.idle_timeout),
        rate_limit: (args.rate_limit > 0).then_some(args.rate_limit),
        rate_limit_window: Duration::try_from_secs_f64(args.rate_limit_window).unwrap_or_default(),
        rate_limit_scope: match args.rate_limit_scope {
            Scope::Shared => RateLimitScope::Shared,
            Scope::PerEndpoint => RateLimitScope::PerEndpoint,
        },
        max_sessions: args.max_sessions,
        initial_balance: args.balance,
        seed: args.seed,
        strict_docs: args.strict_docs,
        answer_variants: args.answer_variants,
        replay: args.replay,
        ..SimConfig::default()
    };
    // Each of the checks' texts begins with the setting's name (e.g. `answer_variants: ...`).
    config.validate().map_err(|reason| Error::Validation {
        field: reason.split([' ', ':']).next().unwrap_or_default().to_owned(),
        reason: reason.clone(),
    })?;
    let handle = Simulator::start(config).await.map_err(|e| Error::Connection {
        message: format!("cannot start the simulator: {e}"),
        never_sent: true,
        source: Some(enigma::ErrorSource::new(e)),
    })?;
    // Listening before the line that tells a caller the simulator is up, so a signal sent on
    // reading it is not lost (nor ignored, when the process started with it ignored).
    let mut signals = interrupt::Signals::listen();
    println!("Enigma simulator listening on {}", handle.url());
    signals.next().await;
    handle.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// `--max-duration` as the core reads it: clap takes any whole number (a negative one too, so
/// that it is not mistaken for a flag), and the core's option reading refuses what is out of
/// range, naming `max_duration`, as it does for Python and Node.
fn max_duration(ms: Option<i64>) -> Result<Option<Duration>, Error> {
    let Some(ms) = ms else { return Ok(None) };
    let read = enigma::binding::session_options(json!({ "max_duration": ms }), enigma::binding::Spelling::Snake)?;
    Ok(read.max_duration)
}

fn seconds(value: Option<f64>) -> Result<Option<Duration>, Error> {
    match value {
        None => Ok(None),
        Some(s) if s.is_finite() && s > 0.0 => Ok(Some(Duration::from_secs_f64(s))),
        Some(s) => Err(Error::Validation {
            field: "timeout".into(),
            reason: format!("must be a positive number of seconds, got {s}"),
        }),
    }
}
