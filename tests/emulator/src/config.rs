//! The emulator's settings, with the EUID production values as defaults.

use std::fmt;

use serde::Deserialize;

use crate::error::EmulatorError;

/// Identity (advertising token) lifetime of the EUID production operator: 3 days, in ms.
pub const DEFAULT_IDENTITY_LIFETIME_MS: i64 = 3 * 24 * 60 * 60 * 1000;
/// Refresh token lifetime of the EUID production operator: 30 days, in ms.
pub const DEFAULT_REFRESH_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Delay after issue from which a refresh is due (`refresh_from`): 1 hour, in ms.
pub const DEFAULT_REFRESH_FROM_MS: i64 = 60 * 60 * 1000;
/// The operator's `V2_REQUEST_TIMESTAMP_DRIFT_THRESHOLD_IN_MINUTES`.
pub const DEFAULT_DRIFT_THRESHOLD_MINUTES: i64 = 1;
/// The operator's default `tcf_vendor_id` (The Trade Desk).
pub const DEFAULT_TCF_VENDOR_ID: u16 = 21;

/// How to start an [`Emulator`](crate::Emulator). `Default` gives an ephemeral port, random
/// credentials and the EUID production lifetimes. `Debug` never shows the credentials.
///
/// It also reads from a JSON object of these fields (the test kit's start argument), each
/// optional and defaulting as `Default` does; an unknown field is an error.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmulatorConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one. Default: 0.
    pub port: u16,
    /// The one API key the emulator accepts. Default: `None` (a random key).
    pub api_key: Option<String>,
    /// The client secret, standard base64 of 32 bytes. Default: `None` (a random secret).
    pub client_secret: Option<String>,
    /// Advertising token lifetime (`identity_expires - issue time`), ms. Default: 3 days.
    pub identity_lifetime_ms: i64,
    /// Refresh token lifetime (`refresh_expires - issue time`), ms. Default: 30 days.
    pub refresh_lifetime_ms: i64,
    /// `refresh_from - issue time`, ms. Default: 1 hour.
    pub refresh_from_ms: i64,
    /// Requests are rejected when `abs(Duration.between(request time, now).toMinutes())`
    /// exceeds this, computed exactly as Java does. Default: 1 (the operator's value: a
    /// request is accepted up to 119 999 ms in the past and 119 000 ms in the future).
    pub drift_threshold_minutes: i64,
    /// The vendor whose TCF consent is checked. Default: 21.
    pub tcf_vendor_id: u16,
    /// Add a `Date` header (from the emulator's clock) to every answer, as a load balancer in
    /// front of the operator might. Default: false (the operator sends none). The control API
    /// can switch it at run time (`POST /emulator/clock {"date_header": true}`).
    pub date_header: bool,
    /// The API key's site has no keyset: `/v2/token/validate` answers 400 `Unauthorised to
    /// validate token` for every token it can read, as the operator does for such a site.
    /// Default: false.
    pub no_keyset: bool,
}

impl Default for EmulatorConfig {
    fn default() -> EmulatorConfig {
        EmulatorConfig {
            port: 0,
            api_key: None,
            client_secret: None,
            identity_lifetime_ms: DEFAULT_IDENTITY_LIFETIME_MS,
            refresh_lifetime_ms: DEFAULT_REFRESH_LIFETIME_MS,
            refresh_from_ms: DEFAULT_REFRESH_FROM_MS,
            drift_threshold_minutes: DEFAULT_DRIFT_THRESHOLD_MINUTES,
            tcf_vendor_id: DEFAULT_TCF_VENDOR_ID,
            date_header: false,
            no_keyset: false,
        }
    }
}

impl EmulatorConfig {
    /// Checks the lifetimes as the operator does (`validateTokenDurations`):
    /// `0 <= refresh_from <= identity lifetime <= refresh lifetime`, and a non-negative drift
    /// threshold.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Config`] naming the rule broken.
    pub fn validate(&self) -> Result<(), EmulatorError> {
        if self.refresh_from_ms < 0 {
            return Err(EmulatorError::Config("refresh_from_ms must not be negative".into()));
        }
        if self.refresh_from_ms > self.identity_lifetime_ms {
            return Err(EmulatorError::Config(
                "refresh_from_ms must not exceed identity_lifetime_ms".into(),
            ));
        }
        if self.identity_lifetime_ms > self.refresh_lifetime_ms {
            return Err(EmulatorError::Config(
                "identity_lifetime_ms must not exceed refresh_lifetime_ms".into(),
            ));
        }
        if self.drift_threshold_minutes < 0 {
            return Err(EmulatorError::Config(
                "drift_threshold_minutes must not be negative".into(),
            ));
        }
        if let Some(key) = &self.api_key {
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(EmulatorError::Config(
                    "the API key must be non-empty visible ASCII".into(),
                ));
            }
        }
        Ok(())
    }
}

impl fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("port", &self.port)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("client_secret", &self.client_secret.as_ref().map(|_| "<redacted>"))
            .field("identity_lifetime_ms", &self.identity_lifetime_ms)
            .field("refresh_lifetime_ms", &self.refresh_lifetime_ms)
            .field("refresh_from_ms", &self.refresh_from_ms)
            .field("drift_threshold_minutes", &self.drift_threshold_minutes)
            .field("tcf_vendor_id", &self.tcf_vendor_id)
            .field("date_header", &self.date_header)
            .field("no_keyset", &self.no_keyset)
            .finish()
    }
}
