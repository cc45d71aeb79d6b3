//! `POST /v2/token/validate` (`handleTokenValidateV2`).

use hyper::header::HeaderMap;
use serde_json::Value;

use crate::counters::Outcome;
use crate::identity::{identity_from_request, json_string};
use crate::reply::{success_json, Answer, Reply};
use crate::state::{State, SITE_ID};
use crate::tokens::open_advertising_token;

/// The operator's message for a token it cannot decode.
pub const INVALID_TOKEN: &str = "Invalid token";
/// The operator's message for a token of another site.
pub const OTHER_SITE: &str = "Unauthorised to validate token";

/// Answers whether `token` was generated from the identity given.
pub fn validate(state: &State, headers: &HeaderMap, body: &[u8]) -> Answer {
    let request = match super::open_encrypted(state, headers, body) {
        Ok(request) => request,
        Err(answer) => return answer,
    };
    let identity = match identity_from_request(request.payload.as_ref()) {
        Ok(identity) => identity,
        Err(err) => return Answer::client_error(err.message()),
    };
    let token = request.payload.as_ref().and_then(|payload| json_string(payload, "token"));
    let Some(claims) = token.and_then(|token| open_advertising_token(&state.keys, &token)) else {
        return Answer::client_error(INVALID_TOKEN);
    };
    if claims.site_id != SITE_ID {
        return Answer::client_error(OTHER_SITE);
    }
    let matches = claims.identity().as_ref() == Some(&identity);
    Answer {
        reply: Reply::Sealed {
            json: success_json(Value::Bool(matches)),
            key: state.client_secret.clone(),
            nonce: request.nonce,
            binary: request.binary,
        },
        outcome: Outcome::Success,
    }
}
