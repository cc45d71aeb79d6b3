//! `POST /v2/token/generate` (`handleTokenGenerateV2`).

use hyper::header::HeaderMap;
use serde_json::Value;

use crate::counters::Outcome;
use crate::identity::{json_string, TestIdentity};
use crate::reply::{status_json, success_json, Answer};
use crate::state::{State, SITE_ID};
use crate::tcf::{evaluate, Consent};
use crate::tokens::issue_identity;

/// The operator's message for an unparseable TCF string.
pub const USER_CONSENT_INVALID: &str = "User consent is invalid";

/// Answers a generate request: identity, consent, opt-out, then a new identity.
pub fn generate(state: &State, headers: &HeaderMap, body: &[u8]) -> Answer {
    let (request, identity) = match super::open_with_identity(state, headers, body) {
        Ok(opened) => opened,
        Err(answer) => return answer,
    };
    let sealed = |json: Vec<u8>, outcome: Outcome| super::sealed(state, &request, json, outcome);
    if let Some(payload) = &request.payload {
        if payload.contains_key("tcf_consent_string") {
            let consent = json_string(payload, "tcf_consent_string");
            match evaluate(consent.as_deref(), state.tcf_vendor_id) {
                Consent::Invalid => return Answer::client_error(USER_CONSENT_INVALID),
                Consent::Insufficient => {
                    return sealed(
                        status_json("insufficient_user_consent"),
                        Outcome::InsufficientUserConsent,
                    )
                }
                Consent::Sufficient => {}
            }
        }
    }
    if state.is_opted_out(&identity, false) {
        return sealed(status_json("optout"), Outcome::OptOut);
    }
    let now_ms = state.clock.now_ms();
    let refresh_optout =
        state.test_identities.classify(&identity) == Some(TestIdentity::RefreshOptOut);
    let body = issue_identity(
        &state.keys,
        state.lifetimes,
        &identity,
        SITE_ID,
        now_ms,
        now_ms,
        refresh_optout,
    );
    sealed(success_json(Value::Object(body)), Outcome::Success)
}
