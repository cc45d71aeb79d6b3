//! The operator's publisher endpoints. Each takes the request's headers and body and returns
//! an [`Answer`]; HTTP, faults and counting live in the server.

mod generate;
mod refresh;
mod validate;

pub use generate::generate;
pub use refresh::refresh;
pub use validate::validate;

use hyper::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};

use crate::envelope::{parse_request, EnvelopeContext, ParsedRequest};
use crate::reply::{Answer, OCTET_STREAM};
use crate::state::State;

/// Authentication (401) then the envelope checks (400), as for every encrypted endpoint.
fn open_encrypted(
    state: &State,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<ParsedRequest, Answer> {
    if !state.is_authorized(headers.get(AUTHORIZATION)) {
        return Err(Answer::unauthorized());
    }
    let octet_stream = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case(OCTET_STREAM));
    let context = EnvelopeContext {
        key: &state.client_secret,
        now_ms: state.clock.now_ms(),
        drift_threshold_minutes: state.drift_threshold_minutes,
    };
    parse_request(body, octet_stream, &context).map_err(|message| Answer::client_error(&message))
}
