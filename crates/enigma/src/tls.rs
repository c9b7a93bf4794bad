//! The one TLS setup of the SDK, shared by HTTP (`rest/http`, reqwest) and the live socket
//! (`live/socketio/websocket`, tungstenite), so both trust the same roots the same way.
//!
//! The backend is chosen by features, the most specific winning when several are on (a program
//! that adds one without turning the defaults off still gets the one it asked for):
//! `native-tls` (the platform's library) over `rustls-aws-lc` over `rustls-ring` (the default).
//! rustls uses the platform verifier (the OS trust store), so corporate roots installed in the
//! OS just work; its crypto provider is passed explicitly, never installed process-wide.
//! Without any of them the SDK speaks plain http only (e.g. to a local simulator).

#![cfg_attr(not(any(feature = "_rustls", feature = "native-tls")), allow(dead_code))]

/// Why TLS could not be set up: a bad extra root bundle, or a platform failure.
#[derive(Debug, thiserror::Error)]
#[error("{context}: {source}")]
pub(crate) struct TlsSetupError {
    /// What was being done.
    context: &'static str,
    /// Whether the extra root certificates given were the problem (a setting of the caller's).
    pub(crate) bad_extra_roots: bool,
    /// The TLS library's error.
    #[source]
    pub(crate) source: Box<dyn std::error::Error + Send + Sync>,
}

impl TlsSetupError {
    fn new(context: &'static str, source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> TlsSetupError {
        TlsSetupError { context, bad_extra_roots: false, source: source.into() }
    }

    fn bad_pem(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> TlsSetupError {
        TlsSetupError { context: "invalid extra root CA PEM", bad_extra_roots: true, source: source.into() }
    }
}

/// A rustls client configuration with the platform verifier (plus `extra_root_ca_pem`, when
/// given) and the crypto provider the features chose, offering `alpn` (HTTP/2 and HTTP/1.1 for
/// reqwest; nothing for the WebSocket, which must stay HTTP/1.1).
#[cfg(all(feature = "_rustls", not(feature = "native-tls")))]
pub(crate) fn rustls_config(
    extra_root_ca_pem: Option<&[u8]>,
    alpn: &[&[u8]],
) -> Result<rustls::ClientConfig, TlsSetupError> {
    use std::sync::Arc;

    #[cfg(feature = "rustls-aws-lc")]
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    #[cfg(not(feature = "rustls-aws-lc"))]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = match extra_root_ca_pem {
        None => rustls_platform_verifier::Verifier::new(provider.clone())
            .map_err(|e| TlsSetupError::new("cannot load the platform's root certificates", e))?,
        Some(pem) => rustls_platform_verifier::Verifier::new_with_extra_roots(pem_certs(pem)?, provider.clone())
            .map_err(|e| TlsSetupError::new("cannot load the platform's root certificates", e))?,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError::new("no TLS protocol version in common with the crypto provider", e))?
        .dangerous() // Not dangerous here: the platform verifier does full validation.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}

/// All certificates of a PEM bundle; an empty or unreadable bundle is an error rather than
/// silently trusting nothing extra.
#[cfg(all(feature = "_rustls", not(feature = "native-tls")))]
fn pem_certs(pem: &[u8]) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, TlsSetupError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;

    let certs = CertificateDer::pem_slice_iter(pem).collect::<Result<Vec<_>, _>>().map_err(TlsSetupError::bad_pem)?;
    if certs.is_empty() {
        return Err(TlsSetupError::bad_pem("it contains no certificate"));
    }
    Ok(certs)
}

/// A native-tls connector trusting the platform's roots plus `extra_root_ca_pem`, offering
/// `alpn`.
#[cfg(feature = "native-tls")]
pub(crate) fn native_connector(
    extra_root_ca_pem: Option<&[u8]>,
    alpn: &[&str],
) -> Result<native_tls::TlsConnector, TlsSetupError> {
    let mut builder = native_tls::TlsConnector::builder();
    if let Some(pem) = extra_root_ca_pem {
        let certs = native_tls::Certificate::stack_from_pem(pem).map_err(TlsSetupError::bad_pem)?;
        if certs.is_empty() {
            return Err(TlsSetupError::bad_pem("it contains no certificate"));
        }
        for cert in certs {
            builder.add_root_certificate(cert);
        }
    }
    builder.request_alpns(alpn);
    builder.build().map_err(|e| TlsSetupError::new("cannot set up native TLS", e))
}
