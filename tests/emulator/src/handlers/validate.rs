//! `POST /v2/token/validate` (`handleTokenValidateV2`).

use hyper::header::HeaderMap;
use serde_json::Value;

use crate::advertising;
use crate::counters::Outcome;
use crate::identity::json_string;
use crate::reply::{success_json, Answer};
use crate::state::{State, SITE_ID};

/// The operator's message for a token it cannot decode.
pub const INVALID_TOKEN: &str = "Invalid token";
/// The operator's message for a token of another site, or when the caller's site has no keyset.
pub const OTHER_SITE: &str = "Unauthorised to validate token";

/// Answers whether `token` was generated from the identity given.
pub fn validate(state: &State, headers: &HeaderMap, body: &[u8]) -> Answer {
    let (request, identity) = match super::open_with_identity(state, headers, body) {
        Ok(opened) => opened,
        Err(answer) => return answer,
    };
    let token = request.payload.as_ref().and_then(|payload| json_string(payload, "token"));
    let Some(claims) = token.and_then(|token| advertising::open(&state.keys.advertising, &token))
    else {
        return Answer::client_error(INVALID_TOKEN);
    };
    if state.no_keyset || claims.site_id != SITE_ID {
        return Answer::client_error(OTHER_SITE);
    }
    let matches = claims.raw_uid == state.keys.advertising.raw_uid(&identity);
    super::sealed(state, &request, success_json(Value::Bool(matches)), Outcome::Success)
}
