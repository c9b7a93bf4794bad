//! HTTP errors mapped to typed errors, and retries that never duplicate billable work.

mod common;

use std::time::{Duration, Instant};

use common::*;
use enigma::{Client, SessionOptions, TaskOptions, WaitOptions};
use enigma_sim::SimConfig;
use serde_json::json;

#[tokio::test]
async fn auth_errors_map_to_authentication_and_permission_denied() {
    let sim = sim().await;
    let revoked = builder(&sim).api_key("enig_revoked0000000000000000000000").build().unwrap();
    let err = revoked.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!((err.code(), err.status(), err.server_code()), ("authentication", Some(401), Some("INVALID_API_KEY")));
    assert_eq!(err.server_message(), Some("Invalid or revoked API key"));
    assert!(!err.is_retryable());

    let inactive = builder(&sim).api_key("enig_inactive000000000000000000000").build().unwrap();
    let err = inactive.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!((err.code(), err.status()), ("permission_denied", Some(403)));
    assert_eq!(stat(&sim, "requests.byEndpoint.POST /start/start-session"), 2, "4xx are never retried");
}

#[tokio::test]
async fn a_missing_key_is_a_clear_error_before_any_request() {
    let sim = sim().await;
    let config = enigma::ClientConfig {
        api_key: None,
        base_url: enigma::parse_base_url(&sim.url()).unwrap(),
        ..Default::default()
    };
    let client = Client::from_config(config).unwrap();
    let err = client.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!(err.code(), "authentication");
    assert!(err.to_string().contains("ENIGMA_API_KEY"));
    assert_eq!(stat(&sim, "requests.total"), 0);
}

#[tokio::test]
async fn an_exhausted_balance_is_insufficient_balance_with_the_balance() {
    let sim = sim_with(SimConfig { initial_balance: 0.0, ..sim_config() }).await;
    let err = client(&sim).start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!((err.code(), err.status()), ("insufficient_balance", Some(402)));
    assert_eq!(err.balance(), Some(0.0));
}

#[tokio::test]
async fn the_rate_limit_is_rate_limited_with_retry_after_and_headers() {
    let sim = sim_with(SimConfig { rate_limit: Some(2), ..sim_config() }).await;
    let client = builder(&sim).max_retries(0).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    session.pause().await.unwrap();
    let err = session.resume().await.unwrap_err();
    assert_eq!((err.code(), err.status(), err.server_code()), ("rate_limited", Some(429), Some("RATE_LIMIT_EXCEEDED")));
    assert!(err.retry_after().is_some_and(|d| d > Duration::ZERO && d <= Duration::from_secs(60)));
    assert_eq!(err.rate_limit().and_then(|r| r.remaining), Some(0));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn the_session_limit_is_its_own_error_and_not_retried() {
    let sim = sim_with(SimConfig { max_sessions: 1, ..sim_config() }).await;
    let client = client(&sim);
    let first = client.start_session(SessionOptions::new()).await.unwrap();
    let err = client.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!(
        (err.code(), err.status(), err.server_code()),
        ("session_limit", Some(429), Some("SESSION_LIMIT_REACHED"))
    );
    assert_eq!(err.api_details().unwrap().details.as_ref().unwrap()["limit"], 1);
    assert_eq!(stat(&sim, "requests.byEndpoint.POST /start/start-session"), 2);
    first.terminate().await.unwrap();
}

#[tokio::test]
async fn unknown_sessions_and_tasks_are_not_found() {
    let sim = sim().await;
    let client = client(&sim);
    let err = client.session("zzzzzzzzzzzz").unwrap().pause().await.unwrap_err();
    assert_eq!((err.code(), err.status()), ("session_not_found", Some(404)));
    assert_eq!(err.server_message(), Some("Session zzzzzzzzzzzz does not exist or has expired"));
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    let err = session.task("yyyyyyyyyyyy").unwrap().poll().await.unwrap_err();
    assert_eq!((err.code(), err.status()), ("task_not_found", Some(404)));
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    fault(&sim, json!({"endpoint": "POST /start/send-message", "status": 429, "code": "RATE_LIMIT_EXCEEDED", "count": 1, "retryAfter": 1})).await;
    let started = Instant::now();
    let task = session.new_task(TaskOptions::new("Find laptops")).await.unwrap();
    assert_eq!(task.result(WaitOptions::new()).await.unwrap().outcome, enigma::Outcome::Completed);
    assert!(started.elapsed() >= Duration::from_millis(950), "waited Retry-After: {:?}", started.elapsed());
    assert_eq!(stat(&sim, "requests.byMessage.newTask"), 2);
    assert_eq!(stat(&sim, "tasks.started"), 1);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_503_is_retried_and_persisting_503s_surface_as_server_errors() {
    let sim = sim().await;
    let client = client(&sim);
    fault(
        &sim,
        json!({"endpoint": "POST /start/start-session", "status": 503, "code": "NO_INSTANCES_AVAILABLE", "count": 1}),
    )
    .await;
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    assert_eq!(stat(&sim, "requests.byEndpoint.POST /start/start-session"), 2);
    session.terminate().await.unwrap();

    fault(
        &sim,
        json!({"endpoint": "POST /start/start-session", "status": 503, "code": "NO_INSTANCES_AVAILABLE", "count": 10}),
    )
    .await;
    let err = client.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!((err.code(), err.status(), err.server_code()), ("server", Some(503), Some("NO_INSTANCES_AVAILABLE")));
    assert!(err.is_retryable());
    assert_eq!(stat(&sim, "requests.byEndpoint.POST /start/start-session"), 2 + 3, "first try and two retries");
}

#[tokio::test]
async fn a_new_task_is_not_resent_after_a_500_and_its_outcome_is_unknown() {
    let sim = sim().await;
    // REST only: the answer is all that can name the task (live events would name it earlier,
    // see `faults_live.rs`).
    let client = builder(&sim).live_events(false).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    fault(&sim, json!({"endpoint": "POST /start/send-message", "status": 500, "code": "INTERNAL_ERROR", "count": 1, "afterProcessing": true})).await;
    let err = session.new_task(TaskOptions::new("Book a flight")).await.unwrap_err();
    // A 500 does not prove that no task was created (here one was): never a definite error.
    assert_eq!((err.code(), err.session_id()), ("outcome_unknown", Some(session.id())), "{err}");
    assert_eq!(stat(&sim, "requests.byMessage.newTask"), 1, "never sent twice");
    assert_eq!(stat(&sim, "tasks.started"), 1);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn polls_and_state_commands_are_retried_after_a_500() {
    let sim = sim().await;
    // REST only: with the socket up, a command goes over it and never meets the REST fault.
    let client = builder(&sim).live_events(false).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    fault(&sim, json!({"endpoint": "POST /start/send-message", "status": 500, "code": "INTERNAL_ERROR", "count": 1}))
        .await;
    session.pause().await.unwrap();
    assert_eq!(stat(&sim, "requests.byMessage.state:pause"), 2);
    let task = session.new_task(TaskOptions::new("t")).await.unwrap();
    fault(&sim, json!({"endpoint": "GET /task", "status": 502, "count": 2})).await;
    assert!(task.poll().await.is_ok());
    assert_eq!(stat(&sim, "requests.byEndpoint.GET /task"), 3);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn a_new_task_whose_answer_is_lost_is_outcome_unknown_and_not_resent() {
    let sim = sim().await;
    let client = builder(&sim).request_timeout(Duration::from_millis(300)).live_events(false).build().unwrap();
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    fault(&sim, json!({"endpoint": "POST /start/send-message", "action": "hang", "count": 1, "afterProcessing": true}))
        .await;
    let err = session.new_task(TaskOptions::new("Book a flight")).await.unwrap_err();
    assert_eq!(err.code(), "outcome_unknown", "{err}");
    assert_eq!(err.session_id(), Some(session.id()));
    assert!(err.to_string().contains("may have started"));
    assert_eq!(stat(&sim, "requests.byMessage.newTask"), 1);
    session.terminate().await.unwrap();
}

#[tokio::test]
async fn terminate_gets_through_a_transient_failure() {
    let sim = sim().await;
    let client = client(&sim);
    let session = client.start_session(SessionOptions::new()).await.unwrap();
    fault(&sim, json!({"endpoint": "POST /start/send-message", "status": 503, "count": 2})).await;
    session.terminate().await.unwrap();
    assert_eq!(stat(&sim, "sessions.open"), 0);
}

#[tokio::test]
async fn a_refused_connection_is_a_connection_error_after_retries() {
    let sim = sim().await;
    let url = sim.url();
    sim.shutdown().await;
    let client = Client::builder()
        .api_key(key())
        .base_url(url)
        .retry_backoff(Duration::from_millis(5))
        .retry_backoff_max(Duration::from_millis(20))
        .build()
        .unwrap();
    let err = client.start_session(SessionOptions::new()).await.unwrap_err();
    assert_eq!(err.code(), "connection", "{err}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn the_key_never_appears_in_debug_or_errors() {
    let sim = sim().await;
    let secret = "enig_revokedSECRETSECRETSECRET0000";
    let client = builder(&sim).api_key(secret).build().unwrap();
    let err = client.start_session(SessionOptions::new()).await.unwrap_err();
    for shown in [format!("{client:?}"), format!("{err}"), format!("{err:?}"), format!("{:?}", client.config())] {
        assert!(!shown.contains("SECRET"), "{shown}");
    }
}
