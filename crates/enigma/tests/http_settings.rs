//! Bring-your-own HTTP settings: a proxy and extra default headers given to the builder reach
//! the wire, and the SDK's own headers cannot be replaced.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use enigma::header::{HeaderMap, HeaderValue};
use enigma::{Client, Error, Proxy};

/// A stand-in proxy on loopback: answers every request itself and reports the request's head.
fn fake_proxy() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (seen, heads) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buffer = [0u8; 8192];
            let n = stream.read(&mut buffer).unwrap_or(0);
            let _ = seen.send(String::from_utf8_lossy(&buffer[..n]).to_lowercase());
            let body = r#"{"success":true,"status":"proxied"}"#;
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, heads)
}

#[tokio::test]
async fn a_proxy_and_default_headers_given_to_the_builder_reach_the_wire() {
    let (proxy, heads) = fake_proxy();
    let mut headers = HeaderMap::new();
    headers.insert("x-team", HeaderValue::from_static("checkout"));
    let client = Client::builder()
        .base_url("http://enigma.test")
        .proxy(Proxy::http(&proxy).unwrap())
        .default_headers(headers)
        .build()
        .unwrap();
    let health = client.health().await.expect("answered by the proxy");
    assert_eq!(health.status, "proxied");
    let head = heads.recv().unwrap();
    assert!(head.starts_with("get http://enigma.test/"), "{head}");
    assert!(head.contains("\r\nx-team: checkout\r\n"), "{head}");
    assert!(head.contains("\r\nuser-agent: enigma-rust/"), "the SDK's User-Agent stays: {head}");
    assert!(!format!("{client:?}").contains("checkout"), "header values are never printed");
}

#[test]
fn a_default_header_of_the_sdks_own_is_refused_when_the_client_is_built() {
    for name in ["authorization", "user-agent", "content-type"] {
        let mut headers = HeaderMap::new();
        headers.insert(name, HeaderValue::from_static("mine"));
        let err = Client::builder().api_key("enig_x").default_headers(headers).build().unwrap_err();
        assert!(
            matches!(&err, Error::Validation { field, reason } if field == "default_headers" && reason.contains(name)),
            "{err:?}"
        );
    }
}
