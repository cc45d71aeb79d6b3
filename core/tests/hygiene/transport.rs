//! Transport policy: TLS certificates are always verified, plain HTTP only to loopback, and
//! oversized input is refused before it costs memory.

use std::sync::Arc;

use euid_core::{Dii, Environment, Error, ErrorKind, GenerateRequest, Identity, PublisherClient};
use tokio::net::TcpListener;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{self, ServerConfig};
use tokio_rustls::TlsAcceptor;

const SECRET: &str = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=";

/// A TLS server on 127.0.0.1 with a self-signed certificate for `localhost`.
async fn self_signed_server() -> u16 {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.signing_key.serialize_der()));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(cert.cert.der().to_vec())], key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = acceptor.accept(stream).await;
            });
        }
    });
    port
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let port = self_signed_server().await;
    let client = PublisherClient::builder(
        Environment::Custom(format!("https://localhost:{port}")),
        "key",
        SECRET,
    )
    .max_retries(0)
    .build()
    .unwrap();
    let err = client
        .generate_token(&GenerateRequest::new(Dii::email("u@example.com").unwrap()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UntrustedCertificate);
    assert!(err.to_string().contains("does not trust"), "{err}");
}

#[test]
fn plain_http_is_refused_for_every_host_but_loopback() {
    for url in
        ["http://prod.euid.eu", "http://10.0.0.8:8080", "http://192.168.1.1", "http://[fe80::1]"]
    {
        let err = PublisherClient::builder(Environment::Custom(url.into()), "key", SECRET)
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
    }
    for url in ["http://127.0.0.1:1", "http://127.8.9.1:1", "http://[::1]:1", "http://localhost:1"]
    {
        assert!(PublisherClient::builder(Environment::Custom(url.into()), "key", SECRET)
            .build()
            .is_ok());
    }
}

#[test]
fn ten_megabyte_inputs_are_refused() {
    let huge = "a".repeat(10 * 1024 * 1024);
    assert_eq!(
        euid_core::hash_email(&format!("{huge}@example.com")).unwrap_err().to_string(),
        "invalid email address: longer than 1024 bytes"
    );
    assert!(euid_core::normalize_phone(&format!("+{huge}")).is_err());
    assert!(euid_core::normalize_email_hash(&huge).is_err());
    let json = format!(r#"{{"advertising_token":"{huge}"}}"#);
    assert!(matches!(Identity::from_json(&json), Err(Error::InvalidIdentity(_))));
    assert!(euid_core::cookie::parse_browser_value(&json).is_err());
    assert!(euid_core::wire::Answer::parse(json.as_bytes()).is_err());
}
