//! Key material: the client secret, refresh response keys and the API key. Zeroed on drop, never
//! printed.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};

/// A 32-byte AES-256-GCM key: a client secret or a `refresh_response_key`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> SecretKey {
        SecretKey(bytes)
    }

    /// Decodes a standard base64 key.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] unless `encoded` is base64 of exactly 32 bytes; the message names
    /// `what` but never the value.
    pub fn from_base64(encoded: &str, what: &str) -> Result<SecretKey> {
        let decoded = Zeroizing::new(
            STANDARD
                .decode(encoded.trim())
                .map_err(|_| Error::Config(format!("{what} is not valid base64")))?,
        );
        let bytes: [u8; 32] = decoded.as_slice().try_into().map_err(|_| {
            Error::Config(format!("{what} must decode to 32 bytes, got {}", decoded.len()))
        })?;
        Ok(SecretKey(bytes))
    }

    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key in standard base64.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// The publisher's API key (sent as `Authorization: Bearer`) and client secret (the envelope
/// key). `Debug` shows neither.
#[derive(Clone)]
pub struct Credentials {
    api_key: Zeroizing<String>,
    client_secret: SecretKey,
}

impl Credentials {
    /// Parses credentials as the EUID portal issues them.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the API key is empty or has characters an HTTP header cannot carry,
    /// or if the client secret is not base64 of 32 bytes.
    pub fn new(api_key: &str, client_secret: &str) -> Result<Credentials> {
        let api_key = api_key.trim();
        if api_key.is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if !api_key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Config(
                "the API key may only contain visible ASCII characters".into(),
            ));
        }
        Ok(Credentials {
            api_key: Zeroizing::new(api_key.to_owned()),
            client_secret: SecretKey::from_base64(client_secret, "the client secret")?,
        })
    }

    /// The API key.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The client secret.
    pub fn client_secret(&self) -> &SecretKey {
        &self.client_secret
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &"<redacted>")
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=";

    #[test]
    fn debug_hides_both_secrets() {
        let credentials = Credentials::new("key-1234567890", SECRET).unwrap();
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("1234567890"));
        assert!(!shown.contains("ioG3"));
    }

    #[test]
    fn a_short_secret_is_a_config_error_without_the_value() {
        let err = Credentials::new("key", "c2hvcnQ=").unwrap_err();
        assert_eq!(err, Error::Config("the client secret must decode to 32 bytes, got 5".into()));
        let err = Credentials::new("key", "not base64!").unwrap_err();
        assert!(!err.to_string().contains("not base64!"));
    }
}
