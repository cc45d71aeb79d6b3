//! Injected faults: a list checked in order before normal processing, first match wins.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::counters::{Endpoint, Outcome};
use crate::error::EmulatorError;

/// Which endpoint a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultEndpoint {
    /// `/v2/token/generate`.
    Generate,
    /// `/v2/token/refresh`.
    Refresh,
    /// `/v2/token/validate`.
    Validate,
    /// All three.
    #[default]
    Any,
}

impl FaultEndpoint {
    fn matches(self, endpoint: Endpoint) -> bool {
        match self {
            FaultEndpoint::Any => true,
            FaultEndpoint::Generate => endpoint == Endpoint::Generate,
            FaultEndpoint::Refresh => endpoint == Endpoint::Refresh,
            FaultEndpoint::Validate => endpoint == Endpoint::Validate,
        }
    }
}

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer with `status` (default 500), an optional `Retry-After` of `retry_after`
    /// seconds, and `body`: a JSON value sent as `application/json`, or a string sent as
    /// `text/plain`. Default body: `{"status":"unknown","message":"Unknown error while
    /// <generating|refreshing|validating> token v2"}`, like the operator's 500.
    Status {
        /// HTTP status code.
        #[serde(default = "default_fault_status")]
        status: u16,
        /// `Retry-After` seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
        /// The body.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<Value>,
    },
    /// Wait `latency_ms`, then answer normally.
    Latency {
        /// The delay in ms.
        latency_ms: u64,
    },
    /// Close the connection without answering.
    Close,
    /// HTTP 200 with random bytes.
    Garbage,
    /// HTTP 200 with the first half of the real body.
    Truncate,
    /// HTTP 200 sealed with a random key instead of the right one.
    WrongKey,
    /// HTTP 200 whose nonce does not echo the request's (generate and validate; refresh
    /// answers carry no nonce and are answered normally).
    WrongNonce,
    /// HTTP 502 `text/html`, like a load balancer's error page.
    Html,
}

fn default_fault_status() -> u16 {
    500
}

impl FaultKind {
    /// The counters' name for this fault (`fault_<kind>`).
    pub fn outcome(&self) -> Outcome {
        match self {
            FaultKind::Status { .. } => Outcome::FaultStatus,
            FaultKind::Latency { .. } => Outcome::FaultLatency,
            FaultKind::Close => Outcome::FaultClose,
            FaultKind::Garbage => Outcome::FaultGarbage,
            FaultKind::Truncate => Outcome::FaultTruncate,
            FaultKind::WrongKey => Outcome::FaultWrongKey,
            FaultKind::WrongNonce => Outcome::FaultWrongNonce,
            FaultKind::Html => Outcome::FaultHtml,
        }
    }
}

/// One fault: where, what, how many times, how likely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fault {
    /// The endpoint it applies to. Default: `any`.
    #[serde(default)]
    pub endpoint: FaultEndpoint,
    /// What it does (the `kind` field and its parameters).
    #[serde(flatten)]
    pub kind: FaultKind,
    /// Apply to the next `count` matching requests, then expire. Default: every request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Chance (0 to 1) that a matching request gets it; a miss moves on to the next fault
    /// and does not use up `count`. Default: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

impl Fault {
    /// A fault of `kind` on `endpoint`, for every request.
    pub fn new(endpoint: FaultEndpoint, kind: FaultKind) -> Fault {
        Fault { endpoint, kind, count: None, probability: None }
    }

    /// Limits the fault to the next `count` matching requests.
    #[must_use]
    pub fn times(mut self, count: u64) -> Fault {
        self.count = Some(count);
        self
    }

    /// Applies the fault with probability `probability`.
    #[must_use]
    pub fn with_probability(mut self, probability: f64) -> Fault {
        self.probability = Some(probability);
        self
    }

    fn validate(&self) -> Result<(), EmulatorError> {
        if let Some(p) = self.probability {
            if !(0.0..=1.0).contains(&p) {
                return Err(EmulatorError::Control("probability must be between 0 and 1".into()));
            }
        }
        if let FaultKind::Status { status, .. } = self.kind {
            if !(100..=999).contains(&status) {
                return Err(EmulatorError::Control("status must be an HTTP status code".into()));
            }
        }
        Ok(())
    }
}

/// The fault list. Matching is lock-free while the list is empty.
#[derive(Debug, Default)]
pub struct Faults {
    active: AtomicBool,
    list: Mutex<Vec<Fault>>,
}

impl Faults {
    /// Replaces the list.
    ///
    /// # Errors
    ///
    /// [`EmulatorError::Control`] for a probability outside 0..=1 or an impossible status;
    /// the list is then unchanged.
    pub fn set(&self, faults: Vec<Fault>) -> Result<(), EmulatorError> {
        faults.iter().try_for_each(Fault::validate)?;
        let faults: Vec<Fault> = faults.into_iter().filter(|f| f.count != Some(0)).collect();
        let mut list = self.list.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.active.store(!faults.is_empty(), Ordering::Release);
        *list = faults;
        Ok(())
    }

    /// Empties the list.
    pub fn clear(&self) {
        let mut list = self.list.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        list.clear();
        self.active.store(false, Ordering::Release);
    }

    /// The current list (with remaining counts).
    pub fn list(&self) -> Vec<Fault> {
        self.list.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// The fault for a request to `endpoint`, if any: the first matching fault whose die roll
    /// succeeds; its count goes down and it expires at zero.
    pub fn take(&self, endpoint: Endpoint) -> Option<FaultKind> {
        if !self.active.load(Ordering::Acquire) {
            return None;
        }
        let mut list = self.list.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let position = list.iter().position(|fault| {
            fault.endpoint.matches(endpoint)
                && fault.probability.is_none_or(|p| p >= 1.0 || rand::random::<f64>() < p)
        })?;
        let kind = list[position].kind.clone();
        if let Some(count) = &mut list[position].count {
            *count = count.saturating_sub(1);
            if *count == 0 {
                list.remove(position);
            }
        }
        self.active.store(!list.is_empty(), Ordering::Release);
        Some(kind)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn faults_parse_from_the_control_json() {
        let fault: Fault = serde_json::from_str(
            r#"{"endpoint":"refresh","kind":"status","status":503,"retry_after":2,"count":1}"#,
        )
        .unwrap();
        assert_eq!(fault.endpoint, FaultEndpoint::Refresh);
        assert_eq!(fault.kind, FaultKind::Status { status: 503, retry_after: Some(2), body: None });
        let fault: Fault = serde_json::from_str(r#"{"kind":"wrong_nonce"}"#).unwrap();
        assert_eq!(fault.endpoint, FaultEndpoint::Any);
        assert!(serde_json::from_str::<Fault>(r#"{"kind":"nope"}"#).is_err());
    }

    #[test]
    fn first_match_wins_and_counts_expire() {
        let faults = Faults::default();
        faults
            .set(vec![
                Fault::new(FaultEndpoint::Generate, FaultKind::Close).times(2),
                Fault::new(FaultEndpoint::Any, FaultKind::Garbage),
            ])
            .unwrap();
        assert_eq!(faults.take(Endpoint::Refresh), Some(FaultKind::Garbage));
        assert_eq!(faults.take(Endpoint::Generate), Some(FaultKind::Close));
        assert_eq!(faults.take(Endpoint::Generate), Some(FaultKind::Close));
        assert_eq!(faults.take(Endpoint::Generate), Some(FaultKind::Garbage));
        faults.clear();
        assert_eq!(faults.take(Endpoint::Generate), None);
    }

    #[test]
    fn a_zero_probability_never_fires_and_bad_ones_are_refused() {
        let faults = Faults::default();
        faults
            .set(vec![Fault::new(FaultEndpoint::Any, FaultKind::Html).with_probability(0.0)])
            .unwrap();
        assert_eq!(faults.take(Endpoint::Generate), None);
        assert!(faults
            .set(vec![Fault::new(FaultEndpoint::Any, FaultKind::Html).with_probability(1.5)])
            .is_err());
    }
}
