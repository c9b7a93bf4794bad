//! Corporate networks: requests follow HTTP_PROXY / NO_PROXY. (Its own test binary with one
//! test: it changes the process environment.)

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use enigma::Client;

/// A stand-in proxy on loopback: answers every request itself and reports the request line.
fn fake_proxy() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (seen, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buffer = [0u8; 4096];
            let n = stream.read(&mut buffer).unwrap_or(0);
            let request = String::from_utf8_lossy(&buffer[..n]).into_owned();
            let _ = seen.send(request.lines().next().unwrap_or_default().to_owned());
            let body = r#"{"success":true,"status":"proxied"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, lines)
}

#[tokio::test]
async fn requests_follow_http_proxy_and_no_proxy() {
    let (proxy, lines) = fake_proxy();
    // SAFETY: this test binary has this one test; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("HTTP_PROXY", &proxy);
        std::env::remove_var("NO_PROXY");
    }
    let client = Client::builder().base_url("http://enigma.test").build().unwrap();
    let health = client.health().await.expect("answered by the proxy");
    assert_eq!(health.status, "proxied");
    assert_eq!(lines.recv().unwrap(), "GET http://enigma.test/start/health HTTP/1.1");

    unsafe { std::env::set_var("NO_PROXY", "enigma.test") };
    let direct = Client::builder().base_url("http://enigma.test").max_retries(0).build().unwrap();
    let err = direct.health().await.expect_err("enigma.test does not resolve without the proxy");
    assert_eq!(err.code(), "connection");
    unsafe {
        std::env::remove_var("HTTP_PROXY");
        std::env::remove_var("NO_PROXY");
    }
}
