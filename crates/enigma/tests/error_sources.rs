//! `Error::source()` leads to the error underneath, as Rust users expect: a refused connection
//! to the `std::io::Error`, an answer that is not JSON to the `serde_json::Error`. The message
//! stays what it was (the three languages' tests may match it).

mod common;

use std::error::Error as _;

use common::{builder, fault, sim};
use serde_json::json;

/// Every error under `err`, nearest first.
fn chain(err: &enigma::Error) -> Vec<&(dyn std::error::Error + 'static)> {
    std::iter::successors(err.source(), |e| (*e).source()).collect()
}

#[tokio::test]
async fn a_refused_connection_leads_to_the_io_error() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let client = enigma::Client::builder()
        .api_key("enig_test_sources")
        .base_url(format!("http://127.0.0.1:{port}"))
        .max_retries(0)
        .build()
        .expect("client");
    let err = client.health().await.expect_err("nothing listens there");
    assert_eq!(err.code(), "connection", "{err}");
    assert!(err.to_string().starts_with("connection error: "), "the message is as before: {err}");
    let chain = chain(&err);
    assert!(chain.first().is_some_and(|e| e.is::<reqwest::Error>()), "first the HTTP error: {chain:?}");
    let io = chain.iter().find_map(|e| e.downcast_ref::<std::io::Error>()).expect("an io::Error in the chain");
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn an_answer_that_is_not_json_leads_to_the_serde_json_error() {
    let sim = sim().await;
    let client = builder(&sim).max_retries(0).build().expect("client");
    let session = client.start_session(enigma::SessionOptions::new()).await.expect("session");
    let task = session.new_task(enigma::TaskOptions::new("Look around #sim duration=2")).await.expect("task");
    fault(&sim, json!({"endpoint": "GET /task", "status": 200, "body": "<html>not json</html>"})).await;
    let err = task.poll().await.expect_err("the poll's answer is not JSON");
    assert_eq!(err.code(), "decode", "{err}");
    let json_err = err.source().and_then(|e| e.downcast_ref::<serde_json::Error>());
    assert!(json_err.is_some_and(|e| e.is_syntax()), "the source is the serde_json error: {:?}", err.source());
    session.terminate().await.expect("terminate");
}
