//! `POST /v2/token/refresh` (`V2PayloadHandler.handleTokenRefresh`, `handleTokenRefreshV2`,
//! `UIDOperatorService.refreshIdentity`).

use hyper::header::{HeaderMap, AUTHORIZATION};
use hyper::StatusCode;
use serde_json::Value;

use crate::charset::body_text;
use crate::counters::Outcome;
use crate::reply::{status_json, success_json, Answer, Reply};
use crate::state::{State, SITE_ID};
use crate::tokens::{
    issue_identity, open_refresh_token, RefreshClaims, REFRESH_CUTOFF_MS, REFRESH_TOKEN_LENGTH,
};

/// What the operator decided about a token it could read.
enum Verdict {
    Refreshed(RefreshClaims),
    OptOut,
    Expired,
    Invalid,
}

/// Answers a refresh. Authentication is optional: a missing or unknown key only means the
/// expired and invalid answers are the generic `error`. The token is text (in the body's
/// charset); an `application/octet-stream` request gets its 200 answer as raw bytes.
pub fn refresh(state: &State, headers: &HeaderMap, body: &[u8]) -> Answer {
    let authenticated = state.is_authorized(headers.get(AUTHORIZATION));
    let Some(body) = body_text(headers, body) else { return Answer::internal_error() };
    let body = body.as_ref();
    let binary = super::is_octet_stream(headers);
    // Java measures the body as a string: UTF-16 code units.
    let length = String::from_utf8_lossy(body).encode_utf16().count();
    let (verdict, response_key) = if length == REFRESH_TOKEN_LENGTH {
        match open_refresh_token(&state.keys, body) {
            Err(err) => return Answer::client_error(&err.message()),
            Ok(opened) => (judge(state, opened.claims), Some(opened.response_key)),
        }
    } else {
        // A legacy (v1) token: the emulator never issues those.
        (Verdict::Invalid, None)
    };
    let sealed = |json: Vec<u8>, outcome: Outcome| match &response_key {
        Some(key) => {
            Answer { reply: Reply::RefreshSealed { json, key: key.clone(), binary }, outcome }
        }
        None => Answer { reply: Reply::Plain { status: StatusCode::OK, json }, outcome },
    };
    match verdict {
        Verdict::OptOut => sealed(status_json("optout"), Outcome::OptOut),
        Verdict::Refreshed(claims) => {
            let body = issue_identity(
                &state.keys,
                state.lifetimes,
                &claims.identity,
                SITE_ID,
                state.clock.now_ms(),
                claims.established_ms,
                claims.refresh_optout,
            );
            sealed(success_json(Value::Object(body)), Outcome::Success)
        }
        Verdict::Expired | Verdict::Invalid if !authenticated => Answer::plain(
            StatusCode::BAD_REQUEST,
            "error",
            Some("Error refreshing token"),
            Outcome::Error,
        ),
        Verdict::Invalid => Answer::plain(
            StatusCode::BAD_REQUEST,
            "invalid_token",
            Some("Invalid Token presented"),
            Outcome::InvalidToken,
        ),
        Verdict::Expired => Answer::plain(
            StatusCode::BAD_REQUEST,
            "expired_token",
            Some("Expired Token presented"),
            Outcome::ExpiredToken,
        ),
    }
}

/// `refreshIdentity`: deprecated (established before the cut-off) → optout; expired
/// (`refresh_expires` before now) → expired; opted out → optout; else refreshed.
fn judge(state: &State, claims: Option<RefreshClaims>) -> Verdict {
    let Some(claims) = claims else { return Verdict::Invalid };
    if claims.established_ms < REFRESH_CUTOFF_MS {
        return Verdict::OptOut;
    }
    if claims.expires_ms < state.clock.now_ms() {
        return Verdict::Expired;
    }
    if claims.refresh_optout || state.is_opted_out(&claims.identity, true) {
        return Verdict::OptOut;
    }
    Verdict::Refreshed(claims)
}
