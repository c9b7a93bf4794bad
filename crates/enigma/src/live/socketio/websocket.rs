//! WebSocket transport: URL building, TLS setup (the SDK's one TLS setup, `crate::tls`, the
//! same backend and roots as HTTP), and dialing.
//!
//! Only the WebSocket transport is implemented (the service is used like
//! `transports: ["websocket"]`), so there is no long-polling and no upgrade.

use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use url::Url;

use super::socket_error::SocketError;

/// A dialed WebSocket.
pub(crate) type WsStream = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How many sockets this process dials at once. A backend opening thousands of sessions starts
/// a socket per session as fast as its creates return; dialed all together they overflow the
/// server's queue of connections not yet accepted, and what overflows is dropped or reset, the
/// creates' own connections among them (a create whose answer is lost is `outcome_unknown`).
/// Dials past this many wait their turn; one session's dial never waits.
const DIALS_AT_ONCE: usize = 32;
static DIALS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(DIALS_AT_ONCE);

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

/// What dials `wss`: tungstenite's connector for the TLS backend the features chose.
#[cfg(any(feature = "_rustls", feature = "native-tls"))]
pub(crate) type Tls = tokio_tungstenite::Connector;
/// What dials `wss` in a build without a TLS backend: nothing can.
#[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
#[derive(Clone)]
pub(crate) enum Tls {}

/// The TLS connector for `wss`, shared by every socket of the process that trusts the same extra
/// roots: building one reads and parses the platform's root certificates, which per session would
/// weigh more than the rest of a live session together (docs/benchmarks.md, "one live session").
#[cfg(any(feature = "_rustls", feature = "native-tls"))]
pub(crate) fn shared_tls_connector(extra_root_ca_pem: Option<&[u8]>) -> Result<Tls, SocketError> {
    type Built = Vec<(Option<Vec<u8>>, Tls)>;
    static BUILT: std::sync::Mutex<Built> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, tls)) = built.iter().find(|(roots, _)| roots.as_deref() == extra_root_ca_pem) {
        return Ok(tls.clone());
    }
    let tls = tls_connector(extra_root_ca_pem)?;
    built.push((extra_root_ca_pem.map(<[u8]>::to_vec), tls.clone()));
    Ok(tls)
}

/// What dials `wss` in a build without a TLS backend: nothing, as [`tls_connector`] says.
#[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
pub(crate) fn shared_tls_connector(extra_root_ca_pem: Option<&[u8]>) -> Result<Tls, SocketError> {
    tls_connector(extra_root_ca_pem)
}

/// A new TLS connector for `wss`, reused on every reconnection:
/// the backend the features chose (`crate::tls`), the platform's roots plus the extra ones. No
/// ALPN: a WebSocket upgrade is HTTP/1.1.
pub(crate) fn tls_connector(extra_root_ca_pem: Option<&[u8]>) -> Result<Tls, SocketError> {
    #[cfg(feature = "native-tls")]
    return crate::tls::native_connector(extra_root_ca_pem, &[]).map(Tls::NativeTls).map_err(SocketError::Tls);
    #[cfg(all(feature = "_rustls", not(feature = "native-tls")))]
    return crate::tls::rustls_config(extra_root_ca_pem, &[])
        .map(|config| Tls::Rustls(std::sync::Arc::new(config)))
        .map_err(SocketError::Tls);
    #[cfg(not(any(feature = "_rustls", feature = "native-tls")))]
    {
        let _ = extra_root_ca_pem;
        Err(SocketError::NoTls)
    }
}

/// Opens the WebSocket (TCP connect, TLS for `wss`, HTTP upgrade). Messages and frames above
/// `max_message_bytes` are refused by tungstenite from their header (or, for a fragmented
/// message, from the fragment that crosses the bound): never read whole.
pub(crate) async fn dial(
    url: &Url,
    tls: Option<&Tls>,
    max_message_bytes: usize,
    read_buffer_bytes: usize,
) -> Result<WsStream, SocketError> {
    // Nagle off: frames are small, latency matters more than packing.
    // Read buffer: tungstenite's default (128 KiB, allocated up front) was most of a live
    // session's memory; events are a few KB, and a larger message still arrives whole (the buffer
    // grows for it). Write buffer 0: each frame is written at once (they are small and rare).
    let limits = WebSocketConfig::default()
        .max_message_size(Some(max_message_bytes))
        .max_frame_size(Some(max_message_bytes))
        .read_buffer_size(read_buffer_bytes)
        .write_buffer_size(0);
    // Held until the upgrade is answered: the server has accepted the connection by then.
    let _turn = DIALS.acquire().await;
    tracing::debug!(%url, "socket.io: dialing websocket");
    let (ws, _response) = match (url.scheme(), tls) {
        #[cfg(any(feature = "_rustls", feature = "native-tls"))]
        ("wss", Some(connector)) => {
            tokio_tungstenite::connect_async_tls_with_config(url.as_str(), Some(limits), true, Some(connector.clone()))
                .await?
        }
        ("wss", _) => return Err(SocketError::NoTls),
        _ => tokio_tungstenite::connect_async_with_config(url.as_str(), Some(limits), true).await?,
    };
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

    #[cfg(any(feature = "_rustls", feature = "native-tls"))]
    #[test]
    fn bad_extra_ca_is_error() {
        assert!(matches!(tls_connector(Some(b"not a pem")), Err(SocketError::Tls(_))));
        let broken = b"-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n";
        assert!(matches!(tls_connector(Some(broken)), Err(SocketError::Tls(_))));
    }

    #[test]
    fn default_tls_config_builds() {
        // Loads the OS roots; must not panic even without a global provider.
        let _ = tls_connector(None);
    }
}
