//! Serving HTTPS: the certificate chain and key the emulator presents, from PEM.

use std::fmt;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::EmulatorError;

/// The certificate chain (leaf first) and private key an HTTPS emulator presents, as PEM text.
/// `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsIdentity {
    /// One or more `CERTIFICATE` blocks, the leaf first.
    pub cert_chain_pem: String,
    /// The leaf's private key: a `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` or `EC PRIVATE KEY`.
    pub key_pem: String,
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsIdentity").field("key_pem", &"<redacted>").finish_non_exhaustive()
    }
}

impl TlsIdentity {
    /// The acceptor presenting this identity (TLS 1.2 and 1.3, HTTP/1.1).
    pub(crate) fn acceptor(&self) -> Result<TlsAcceptor, EmulatorError> {
        let chain = CertificateDer::pem_slice_iter(self.cert_chain_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|err| EmulatorError::Config(format!("the TLS certificate PEM: {err}")))?;
        if chain.is_empty() {
            return Err(EmulatorError::Config("the TLS certificate PEM has no certificate".into()));
        }
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes())
            .map_err(|err| EmulatorError::Config(format!("the TLS key PEM: {err}")))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| builder.with_no_client_auth().with_single_cert(chain, key))
            .map_err(|err| EmulatorError::Config(format!("the TLS certificate or key: {err}")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}
