//! Per-endpoint request and outcome counters: atomics, no locks.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

/// A counted endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `POST /v2/token/generate`.
    Generate,
    /// `POST /v2/token/refresh`.
    Refresh,
    /// `POST /v2/token/validate`.
    Validate,
}

impl Endpoint {
    /// The name used in the control API (`generate`, `refresh`, `validate`).
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Generate => "generate",
            Endpoint::Refresh => "refresh",
            Endpoint::Validate => "validate",
        }
    }

    fn index(self) -> usize {
        match self {
            Endpoint::Generate => 0,
            Endpoint::Refresh => 1,
            Endpoint::Validate => 2,
        }
    }
}

/// How a request ended: the answer's `status`, or the fault injected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// `success`.
    Success,
    /// `optout`.
    OptOut,
    /// `insufficient_user_consent`.
    InsufficientUserConsent,
    /// `client_error`.
    ClientError,
    /// `unauthorized`.
    Unauthorized,
    /// `expired_token`.
    ExpiredToken,
    /// `invalid_token`.
    InvalidToken,
    /// `error`.
    Error,
    /// `unknown` (HTTP 500).
    Unknown,
    /// `payload_too_large`: the body exceeded 1 MiB (HTTP 413).
    PayloadTooLarge,
    /// `fault_status`.
    FaultStatus,
    /// `fault_latency` (the request is then answered, and counted, normally too).
    FaultLatency,
    /// `fault_close`.
    FaultClose,
    /// `fault_garbage`.
    FaultGarbage,
    /// `fault_truncate`.
    FaultTruncate,
    /// `fault_wrong_key`.
    FaultWrongKey,
    /// `fault_wrong_nonce`.
    FaultWrongNonce,
    /// `fault_html`.
    FaultHtml,
}

const OUTCOMES: [Outcome; 18] = [
    Outcome::Success,
    Outcome::OptOut,
    Outcome::InsufficientUserConsent,
    Outcome::ClientError,
    Outcome::Unauthorized,
    Outcome::ExpiredToken,
    Outcome::InvalidToken,
    Outcome::Error,
    Outcome::Unknown,
    Outcome::PayloadTooLarge,
    Outcome::FaultStatus,
    Outcome::FaultLatency,
    Outcome::FaultClose,
    Outcome::FaultGarbage,
    Outcome::FaultTruncate,
    Outcome::FaultWrongKey,
    Outcome::FaultWrongNonce,
    Outcome::FaultHtml,
];

impl Outcome {
    /// The name in the counters map.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::OptOut => "optout",
            Outcome::InsufficientUserConsent => "insufficient_user_consent",
            Outcome::ClientError => "client_error",
            Outcome::Unauthorized => "unauthorized",
            Outcome::ExpiredToken => "expired_token",
            Outcome::InvalidToken => "invalid_token",
            Outcome::Error => "error",
            Outcome::Unknown => "unknown",
            Outcome::PayloadTooLarge => "payload_too_large",
            Outcome::FaultStatus => "fault_status",
            Outcome::FaultLatency => "fault_latency",
            Outcome::FaultClose => "fault_close",
            Outcome::FaultGarbage => "fault_garbage",
            Outcome::FaultTruncate => "fault_truncate",
            Outcome::FaultWrongKey => "fault_wrong_key",
            Outcome::FaultWrongNonce => "fault_wrong_nonce",
            Outcome::FaultHtml => "fault_html",
        }
    }

    /// The position in [`OUTCOMES`] (declaration order).
    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Default)]
struct EndpointCounters {
    requests: AtomicU64,
    outcomes: [AtomicU64; OUTCOMES.len()],
}

/// The live counters.
#[derive(Debug, Default)]
pub struct Counters {
    endpoints: [EndpointCounters; 3],
}

impl Counters {
    /// Counts a request to `endpoint`.
    pub fn request(&self, endpoint: Endpoint) {
        self.endpoints[endpoint.index()].requests.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts how a request to `endpoint` ended.
    pub fn outcome(&self, endpoint: Endpoint, outcome: Outcome) {
        self.endpoints[endpoint.index()].outcomes[outcome.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// Zeroes everything.
    pub fn reset(&self) {
        for endpoint in &self.endpoints {
            endpoint.requests.store(0, Ordering::Relaxed);
            for outcome in &endpoint.outcomes {
                outcome.store(0, Ordering::Relaxed);
            }
        }
    }

    /// A copy of the current values.
    pub fn snapshot(&self) -> CountersSnapshot {
        let read = |endpoint: Endpoint| {
            let counters = &self.endpoints[endpoint.index()];
            EndpointCounts {
                requests: counters.requests.load(Ordering::Relaxed),
                outcomes: OUTCOMES
                    .iter()
                    .map(|&o| {
                        (o.name().to_owned(), counters.outcomes[o.index()].load(Ordering::Relaxed))
                    })
                    .filter(|&(_, count)| count > 0)
                    .collect(),
            }
        };
        CountersSnapshot {
            generate: read(Endpoint::Generate),
            refresh: read(Endpoint::Refresh),
            validate: read(Endpoint::Validate),
        }
    }
}

/// The counters of one endpoint, as `GET /emulator/counters` shows them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct EndpointCounts {
    /// Requests received.
    pub requests: u64,
    /// Outcome name to count; outcomes never seen are left out.
    pub outcomes: BTreeMap<String, u64>,
}

impl EndpointCounts {
    /// The count of `outcome` (0 if never seen).
    pub fn outcome(&self, outcome: &str) -> u64 {
        self.outcomes.get(outcome).copied().unwrap_or(0)
    }
}

/// All counters, as `GET /emulator/counters` shows them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
pub struct CountersSnapshot {
    /// `/v2/token/generate`.
    pub generate: EndpointCounts,
    /// `/v2/token/refresh`.
    pub refresh: EndpointCounts,
    /// `/v2/token/validate`.
    pub validate: EndpointCounts,
}

impl CountersSnapshot {
    /// The counters of `endpoint`.
    pub fn endpoint(&self, endpoint: Endpoint) -> &EndpointCounts {
        match endpoint {
            Endpoint::Generate => &self.generate,
            Endpoint::Refresh => &self.refresh,
            Endpoint::Validate => &self.validate,
        }
    }
}
