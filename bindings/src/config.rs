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
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("timeout_ms", &self.timeout_ms)
            .field("deadline_ms", &self.deadline_ms)
            .field("max_retries", &self.max_retries)
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
        Ok(builder)
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
