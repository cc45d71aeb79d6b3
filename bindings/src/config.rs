//! `ClientConfig`: every client setting, crossing the FFI once as a record.

use std::sync::Arc;
use std::time::Duration;

use crate::clock::OffsetClock;
use crate::error::{invalid_argument, EuidError};

/// Client settings. Durations are milliseconds; defaults match the core's. `Debug` hides the
/// credentials.
#[derive(uniffi::Record)]
pub struct ClientConfig {
    /// `https://integ.euid.eu`, `https://prod.euid.eu`, a proxy (path prefix kept) or a
    /// loopback `http://` URL.
    pub base_url: String,
    pub api_key: String,
    pub client_secret: String,
    /// Time for one attempt.
    #[uniffi(default = 5000)]
    pub timeout_ms: i64,
    #[uniffi(default = 2000)]
    pub connect_timeout_ms: i64,
    /// Time for a whole call, retries included.
    #[uniffi(default = 15000)]
    pub deadline_ms: i64,
    /// Retries of transient failures after the first attempt.
    #[uniffi(default = 2)]
    pub max_retries: i32,
    #[uniffi(default = 100)]
    pub retry_base_delay_ms: i64,
    #[uniffi(default = 2000)]
    pub retry_max_delay_ms: i64,
    /// Send envelopes as raw `application/octet-stream` instead of base64.
    #[uniffi(default = false)]
    pub binary_envelopes: bool,
    #[uniffi(default = 1048576)]
    pub max_response_bytes: i64,
    /// `X-UID2-Client-Version`; the core's default when absent.
    #[uniffi(default = None)]
    pub client_version: Option<String>,
    /// The clock for request timestamps; the system clock when absent.
    #[uniffi(default = None)]
    pub clock: Option<Arc<OffsetClock>>,
    /// The forward proxy; from the environment (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`) when
    /// absent.
    #[uniffi(default = None)]
    pub proxy: Option<ProxyChoice>,
    /// CA certificates (PEM) trusted besides the platform's store.
    #[uniffi(default = None)]
    pub ca_certificates_pem: Option<String>,
    /// Roots the host platform trusts (the JVM's trust store), DER; unusable ones are skipped.
    #[uniffi(default = [])]
    pub host_root_certificates: Vec<Vec<u8>>,
}

/// A proxy chosen by the application, instead of the environment's.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ProxyChoice {
    /// No proxy, whatever the environment says.
    Direct,
    /// `http://[user:password@]host[:port]`, for every request.
    Url { url: String },
}

impl std::fmt::Debug for ProxyChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", euid_core::Proxy::from(self.clone()))
    }
}

impl From<ProxyChoice> for euid_core::Proxy {
    fn from(choice: ProxyChoice) -> Self {
        match choice {
            ProxyChoice::Direct => euid_core::Proxy::Direct,
            ProxyChoice::Url { url } => euid_core::Proxy::Url(url),
        }
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("deadline_ms", &self.deadline_ms)
            .field("max_retries", &self.max_retries)
            .field("proxy", &self.proxy)
            .finish_non_exhaustive()
    }
}

fn millis(value: i64, field: &'static str) -> Result<Duration, EuidError> {
    u64::try_from(value)
        .map(Duration::from_millis)
        .map_err(|_| invalid_argument(field, "must not be negative"))
}

impl ClientConfig {
    pub(crate) fn into_builder(self) -> Result<euid_core::ClientBuilder, EuidError> {
        let retry = euid_core::RetryPolicy {
            max_retries: u32::try_from(self.max_retries)
                .map_err(|_| invalid_argument("max_retries", "must not be negative"))?,
            base_delay: millis(self.retry_base_delay_ms, "retry_base_delay_ms")?,
            max_delay: millis(self.retry_max_delay_ms, "retry_max_delay_ms")?,
        };
        let environment = euid_core::Environment::Custom(self.base_url);
        let mut builder =
            euid_core::PublisherClient::builder(environment, &self.api_key, &self.client_secret)
                .timeout(millis(self.timeout_ms, "timeout_ms")?)
                .connect_timeout(millis(self.connect_timeout_ms, "connect_timeout_ms")?)
                .deadline(millis(self.deadline_ms, "deadline_ms")?)
                .retry_policy(retry)
                .max_response_bytes(
                    usize::try_from(self.max_response_bytes).map_err(|_| {
                        invalid_argument("max_response_bytes", "must not be negative")
                    })?,
                )
                .encoding(if self.binary_envelopes {
                    euid_core::Encoding::Binary
                } else {
                    euid_core::Encoding::Base64
                });
        if let Some(version) = self.client_version {
            builder = builder.client_version(version);
        }
        if let Some(clock) = self.clock {
            builder = builder.clock(clock.inner.clone());
        }
        if let Some(proxy) = self.proxy {
            builder = builder.proxy(proxy.into());
        }
        if let Some(pem) = self.ca_certificates_pem {
            builder = builder.ca_certificates_pem(pem);
        }
        Ok(builder.host_root_certificates(self.host_root_certificates))
    }
}

/// The EUID integration environment's base URL.
#[uniffi::export]
pub fn integration_url() -> String {
    euid_core::INTEGRATION_URL.to_owned()
}

/// The EUID production environment's base URL.
#[uniffi::export]
pub fn production_url() -> String {
    euid_core::PRODUCTION_URL.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(proxy: Option<ProxyChoice>, pem: Option<&str>) -> ClientConfig {
        ClientConfig {
            base_url: "https://operator.example".into(),
            api_key: "key".into(),
            client_secret: "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=".into(),
            timeout_ms: 5000,
            connect_timeout_ms: 2000,
            deadline_ms: 15000,
            max_retries: 2,
            retry_base_delay_ms: 100,
            retry_max_delay_ms: 2000,
            binary_envelopes: false,
            max_response_bytes: 1 << 20,
            client_version: None,
            clock: None,
            proxy,
            ca_certificates_pem: pem.map(str::to_owned),
            host_root_certificates: vec![b"skipped".to_vec()],
        }
    }

    #[test]
    fn the_proxy_and_the_pem_reach_the_core_and_hide_the_password() {
        let url = "http://user:secret@proxy.example:3128".to_owned();
        let explicit = config(Some(ProxyChoice::Url { url }), None);
        let debug = format!("{explicit:?}");
        assert!(debug.contains("proxy.example:3128") && !debug.contains("secret"), "{debug}");
        assert!(explicit.into_builder().unwrap().build().is_ok());

        let bad = config_with_proxy("socks5://proxy.example:1080");
        let err = EuidError::from(bad.into_builder().unwrap().build().unwrap_err());
        assert!(matches!(&err, EuidError::Config { .. }), "{err:?}");
        let err = config(Some(ProxyChoice::Direct), Some("no certificate"))
            .into_builder()
            .unwrap()
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("CERTIFICATE"), "{err}");
    }

    fn config_with_proxy(url: &str) -> ClientConfig {
        config(Some(ProxyChoice::Url { url: url.into() }), None)
    }
}
