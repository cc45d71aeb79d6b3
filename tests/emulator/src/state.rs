//! Everything the endpoints share: credentials, keys, clock, opt-outs, counters, faults.

use std::sync::atomic::{AtomicBool, Ordering};

use euid_core::SecretKey;
use hyper::header::HeaderValue;

use crate::clock::EmulatorClock;
use crate::config::EmulatorConfig;
use crate::counters::Counters;
use crate::error::EmulatorError;
use crate::faults::Faults;
use crate::identity::{HashedIdentity, TestIdentities, TestIdentity};
use crate::optout::OptOuts;
use crate::tokens::{random_key, Lifetimes, TokenKeys};

/// The site id of the emulator's one API key (written into advertising tokens).
pub const SITE_ID: i32 = 999;

/// The shared state of a running emulator.
#[derive(Debug)]
pub struct State {
    /// The accepted API key.
    pub api_key: String,
    /// The client secret.
    pub client_secret: SecretKey,
    /// Token lifetimes.
    pub lifetimes: Lifetimes,
    /// The drift threshold in minutes.
    pub drift_threshold_minutes: i64,
    /// The TCF vendor checked.
    pub tcf_vendor_id: u16,
    /// Server-only token keys.
    pub keys: TokenKeys,
    /// The clock.
    pub clock: EmulatorClock,
    /// Control-API opt-outs.
    pub optouts: OptOuts,
    /// Counters.
    pub counters: Counters,
    /// Injected faults.
    pub faults: Faults,
    /// The operator's test identities.
    pub test_identities: TestIdentities,
    /// Whether answers carry a `Date` header now.
    date_header: AtomicBool,
    /// The configured `date_header`, restored by reset.
    date_header_default: bool,
    /// The site has no keyset (validate answers "Unauthorised to validate token").
    pub no_keyset: bool,
}

impl State {
    /// Resolves a configuration: random credentials where none are given.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Config`] for invalid lifetimes, API key or client secret.
    pub fn new(config: &EmulatorConfig) -> Result<State, EmulatorError> {
        config.validate()?;
        let client_secret = match &config.client_secret {
            Some(secret) => SecretKey::from_base64(secret, "the client secret")
                .map_err(|err| EmulatorError::Config(err.to_string()))?,
            None => random_key(),
        };
        let api_key = match &config.api_key {
            Some(key) => key.clone(),
            None => format!("EUID-emulator-{}", hex(&rand::random::<[u8; 12]>())),
        };
        Ok(State {
            api_key,
            client_secret,
            lifetimes: Lifetimes {
                identity_ms: config.identity_lifetime_ms,
                refresh_ms: config.refresh_lifetime_ms,
                refresh_from_ms: config.refresh_from_ms,
            },
            drift_threshold_minutes: config.drift_threshold_minutes,
            tcf_vendor_id: config.tcf_vendor_id,
            keys: TokenKeys::random(),
            clock: EmulatorClock::default(),
            optouts: OptOuts::default(),
            counters: Counters::default(),
            faults: Faults::default(),
            test_identities: TestIdentities::new(),
            date_header: AtomicBool::new(config.date_header),
            date_header_default: config.date_header,
            no_keyset: config.no_keyset,
        })
    }

    /// The operator's `extractBearerToken` and key lookup: trim, a case-insensitive
    /// `bearer ` prefix, then the rest must be the API key.
    pub fn is_authorized(&self, authorization: Option<&HeaderValue>) -> bool {
        let Some(value) = authorization.and_then(|value| value.to_str().ok()) else {
            return false;
        };
        let value = value.trim();
        match (value.get(..7), value.get(7..)) {
            (Some(prefix), Some(key)) => {
                prefix.eq_ignore_ascii_case("bearer ") && key == self.api_key
            }
            _ => false,
        }
    }

    /// The operator's `getGlobalOptOutResult`: refresh-optout test users are out on refresh
    /// only; validate and refresh-optout test users are otherwise never out; optout test users
    /// always are; anyone else is out when opted out through the control API.
    pub fn is_opted_out(&self, identity: &HashedIdentity, for_refresh: bool) -> bool {
        match self.test_identities.classify(identity) {
            Some(TestIdentity::RefreshOptOut) => for_refresh,
            Some(TestIdentity::Validate) => false,
            Some(TestIdentity::OptOut) => true,
            None => self.optouts.contains(identity),
        }
    }

    /// Whether answers carry a `Date` header.
    pub fn date_header(&self) -> bool {
        self.date_header.load(Ordering::Relaxed)
    }

    /// Adds or drops the `Date` header on later answers.
    pub fn set_date_header(&self, on: bool) {
        self.date_header.store(on, Ordering::Relaxed);
    }

    /// Clears counters, faults, opt-outs, the clock offset and a `Date` header switched at
    /// run time.
    pub fn reset(&self) {
        self.counters.reset();
        self.faults.clear();
        self.optouts.clear();
        self.clock.reset();
        self.set_date_header(self.date_header_default);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
