//! WebSocket transport: URL building, TLS setup (rustls, shared with reqwest's
//! crypto provider), and dialing.
//!
//! Only the WebSocket transport is implemented (the service is used like
//! `transports: ["websocket"]`), so there is no long-polling and no upgrade.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use url::Url;

use super::socket_error::SocketError;

/// A dialed WebSocket.
pub(crate) type WsStream = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Builds `ws(s)://host[:port]<path>?<original query>&EIO=4&transport=websocket`.
pub(crate) fn websocket_url(base: &Url, path: &str) -> Result<Url, SocketError> {
    let invalid = |reason: &str| SocketError::InvalidUrl { url: base.to_string(), reason: reason.to_owned() };
    let scheme = match base.scheme() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => return Err(invalid("scheme must be http, https, ws or wss")),
    };
    if base.host_str().is_none_or(str::is_empty) {
        return Err(invalid("missing host"));
    }
    let mut url = base.clone();
    url.set_scheme(scheme).map_err(|()| invalid("cannot switch to a WebSocket scheme"))?;
    url.set_fragment(None);
    if path.starts_with('/') {
        url.set_path(path);
    } else {
        url.set_path(&format!("/{path}"));
    }
    // Keep caller query parameters, but ours must win (and appear once).
    let kept: Vec<(String, String)> = base
        .query_pairs()
        .filter(|(k, _)| k != "EIO" && k != "transport")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(kept).append_pair("EIO", "4").append_pair("transport", "websocket");
    Ok(url)
}

/// TLS client config built once per client and reused on every reconnection.
///
/// Uses the same stack as reqwest's default `rustls` feature: aws-lc-rs crypto
/// and the platform verifier (OS trust store), so the SDK has one TLS
/// implementation and corporate roots installed in the OS just work. Built with
/// an explicit provider so it works whether or not a process-wide default
/// provider was installed.
pub(crate) fn tls_config(extra_root_ca_pem: Option<&[u8]>) -> Result<Arc<rustls::ClientConfig>, SocketError> {
    let tls_err = |e: &dyn std::fmt::Display| SocketError::Tls(e.to_string());
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = match extra_root_ca_pem {
        None => rustls_platform_verifier::Verifier::new(provider.clone()).map_err(|e| tls_err(&e))?,
        Some(pem) => {
            let roots = parse_pem_certs(pem)?;
            rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
                .map_err(|e| tls_err(&e))?
        }
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_err(&e))?
        .dangerous() // Not dangerous here: the platform verifier does full validation.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// All certificates in a PEM bundle; an empty or unreadable bundle is an error
/// rather than silently trusting nothing extra.
fn parse_pem_certs(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, SocketError> {
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SocketError::Tls(format!("invalid extra root CA PEM: {e}")))?;
    if certs.is_empty() {
        return Err(SocketError::Tls("extra root CA PEM contains no certificate".to_owned()));
    }
    Ok(certs)
}

/// Opens the WebSocket (TCP connect, TLS for `wss`, HTTP upgrade). Messages and frames above
/// `max_message_bytes` are refused by tungstenite from their header (or, for a fragmented
/// message, from the fragment that crosses the bound): never read whole.
pub(crate) async fn dial(
    url: &Url,
    tls: Option<&Arc<rustls::ClientConfig>>,
    max_message_bytes: usize,
) -> Result<WsStream, SocketError> {
    let connector = match (url.scheme(), tls) {
        ("wss", Some(config)) => Connector::Rustls(config.clone()),
        ("wss", None) => return Err(SocketError::Tls("no TLS configuration for wss".into())),
        _ => Connector::Plain,
    };
    tracing::debug!(%url, "socket.io: dialing websocket");
    // Nagle off: frames are small, latency matters more than packing.
    let limits =
        WebSocketConfig::default().max_message_size(Some(max_message_bytes)).max_frame_size(Some(max_message_bytes));
    let (ws, _response) =
        tokio_tungstenite::connect_async_tls_with_config(url.as_str(), Some(limits), true, Some(connector)).await?;
    Ok(ws)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(base: &str, path: &str) -> Result<String, SocketError> {
        websocket_url(&Url::parse(base).unwrap(), path).map(String::from)
    }

    #[test]
    fn builds_websocket_urls() {
        assert_eq!(
            ws("http://127.0.0.1:3000", "/socket.io/").unwrap(),
            "ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"
        );
        assert_eq!(
            ws("https://connect.enigma.click/some/path?x=1&EIO=3#frag", "socket.io/").unwrap(),
            "wss://connect.enigma.click/socket.io/?x=1&EIO=4&transport=websocket"
        );
        assert_eq!(ws("wss://h", "/p").unwrap(), "wss://h/p?EIO=4&transport=websocket");
    }

    #[test]
    fn rejects_bad_urls() {
        assert!(matches!(ws("ftp://h", "/"), Err(SocketError::InvalidUrl { .. })));
        assert!(matches!(ws("file:///tmp", "/"), Err(SocketError::InvalidUrl { .. })));
    }

    #[test]
    fn bad_extra_ca_is_error() {
        assert!(matches!(tls_config(Some(b"not a pem")), Err(SocketError::Tls(_))));
        let broken = b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n";
        assert!(matches!(tls_config(Some(broken)), Err(SocketError::Tls(_))));
    }

    #[test]
    fn default_tls_config_builds() {
        // Loads the OS roots; must not panic even without a global provider.
        let _ = tls_config(None);
    }
}
