//! The operator's publisher endpoints. Each takes the request's headers and body and returns
//! an [`Answer`]; HTTP, faults and counting live in the server.

mod generate;
mod refresh;
mod validate;

pub use generate::generate;
pub use refresh::refresh;
pub use validate::validate;

use hyper::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};

use crate::charset::body_text;
use crate::counters::Outcome;
use crate::envelope::{parse_request, EnvelopeContext, ParsedRequest};
use crate::identity::{identity_from_request, HashedIdentity};
use crate::reply::{Answer, Reply, OCTET_STREAM};
use crate::state::State;

/// Authentication (401), the body's charset (500), then the envelope checks (400), as for
/// every encrypted endpoint.
fn open_encrypted(
    state: &State,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<ParsedRequest, Answer> {
    if !state.is_authorized(headers.get(AUTHORIZATION)) {
        return Err(Answer::unauthorized());
    }
    let body = body_text(headers, body).ok_or_else(Answer::internal_error)?;
    let context = EnvelopeContext {
        key: &state.client_secret,
        now_ms: state.clock.now_ms(),
        drift_threshold_minutes: state.drift_threshold_minutes,
    };
    parse_request(&body, is_octet_stream(headers), &context)
        .map_err(|message| Answer::client_error(&message))
}

/// `Content-Type` is exactly `application/octet-stream` (case-insensitive): raw bytes in and out.
fn is_octet_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case(OCTET_STREAM))
}

/// [`open_encrypted`], then the one identity field generate and validate both require.
fn open_with_identity(
    state: &State,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(ParsedRequest, HashedIdentity), Answer> {
    let request = open_encrypted(state, headers, body)?;
    let identity = identity_from_request(request.payload.as_ref())
        .map_err(|err| Answer::client_error(err.message()))?;
    Ok((request, identity))
}

/// A 200 answer sealed with the client secret, echoing the request's nonce and encoding.
fn sealed(state: &State, request: &ParsedRequest, json: Vec<u8>, outcome: Outcome) -> Answer {
    Answer {
        reply: Reply::Sealed {
            json,
            key: state.client_secret.clone(),
            nonce: request.nonce,
            binary: request.binary,
        },
        outcome,
    }
}
