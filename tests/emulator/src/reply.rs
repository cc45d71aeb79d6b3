//! What an endpoint answers, before it becomes HTTP: sealed (200) or plain JSON (errors). The
//! faults that damage a real answer (`truncate`, `wrong_key`, `wrong_nonce`) work on this.

use bytes::Bytes;
use euid_core::envelope::{seal_refresh_response, seal_response, RequestNonce, SealParams};
use euid_core::SecretKey;
use hyper::StatusCode;
use serde_json::{json, Value};

use crate::codec::base64_encode;
use crate::counters::Outcome;
use crate::tokens::{random_iv, random_key};

/// `Content-Type` of a JSON error.
pub const APPLICATION_JSON: &str = "application/json";
/// `Content-Type` of a base64 answer.
pub const TEXT_PLAIN: &str = "text/plain";
/// `Content-Type` of a raw-bytes answer.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// An endpoint's answer.
#[derive(Debug)]
pub enum Reply {
    /// HTTP 200, generate or validate: `IV | seal(now | nonce | json) | tag` under the client
    /// secret, base64 text or raw bytes.
    Sealed {
        /// The answer JSON.
        json: Vec<u8>,
        /// The client secret.
        key: SecretKey,
        /// The request's nonce.
        nonce: RequestNonce,
        /// Raw bytes rather than base64.
        binary: bool,
    },
    /// HTTP 200, refresh: `IV | seal(json) | tag` under a `refresh_response_key`, base64 text
    /// or raw bytes.
    RefreshSealed {
        /// The answer JSON.
        json: Vec<u8>,
        /// The token's `refresh_response_key`.
        key: SecretKey,
        /// Raw bytes rather than base64.
        binary: bool,
    },
    /// A plain JSON answer (every non-200 of the endpoints' own).
    Plain {
        /// HTTP status.
        status: StatusCode,
        /// The body.
        json: Vec<u8>,
    },
    /// The operator's failure answer (`GenericFailureHandler`): Apache's reason phrase as the
    /// body, no content type.
    Failure {
        /// HTTP status.
        status: StatusCode,
        /// The reason phrase.
        body: &'static str,
    },
}

/// An answer and how the counters file it.
#[derive(Debug)]
pub struct Answer {
    /// The answer.
    pub reply: Reply,
    /// Its counters name.
    pub outcome: Outcome,
}

impl Answer {
    /// HTTP 400 `{"status":"client_error","message":…}`.
    pub fn client_error(message: &str) -> Answer {
        Answer::plain(StatusCode::BAD_REQUEST, "client_error", Some(message), Outcome::ClientError)
    }

    /// A plain JSON answer `{"status":…[,"message":…]}`.
    pub fn plain(
        status: StatusCode,
        wire: &str,
        message: Option<&str>,
        outcome: Outcome,
    ) -> Answer {
        let body = match message {
            Some(message) => json!({"status": wire, "message": message}),
            None => json!({"status": wire}),
        };
        Answer { reply: Reply::Plain { status, json: body.to_string().into_bytes() }, outcome }
    }

    /// HTTP 500 `Internal Server Error` with no content type: an exception in the operator.
    pub fn internal_error() -> Answer {
        Answer {
            reply: Reply::Failure {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                body: "Internal Server Error",
            },
            outcome: Outcome::Unknown,
        }
    }

    /// HTTP 401 `{"status":"unauthorized"}`.
    pub fn unauthorized() -> Answer {
        Answer::plain(StatusCode::UNAUTHORIZED, "unauthorized", None, Outcome::Unauthorized)
    }
}

/// `{"body":…,"status":"success"}` (the operator's key order).
pub fn success_json(body: Value) -> Vec<u8> {
    json!({"body": body, "status": "success"}).to_string().into_bytes()
}

/// `{"status":…}` with no body (`optout`, `insufficient_user_consent`).
pub fn status_json(status: &str) -> Vec<u8> {
    json!({ "status": status }).to_string().into_bytes()
}

/// A rendered HTTP answer.
#[derive(Debug)]
pub struct Rendered {
    /// HTTP status.
    pub status: StatusCode,
    /// `Content-Type`, if any.
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Bytes,
}

/// How a fault damages a real answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// None: render as is.
    None,
    /// Seal with a random key.
    WrongKey,
    /// Echo a different nonce.
    WrongNonce,
    /// Keep the first half of the body.
    Truncate,
}

impl Reply {
    /// Renders the answer at `now_ms`, damaged as asked. `wrong_key` and `wrong_nonce` on
    /// a plain (error) answer give a 200 `{"status":"success","body":{}}` sealed with a
    /// random key and nonce instead, since there is no real sealed answer to damage.
    pub fn render(self, now_ms: i64, damage: Damage) -> Rendered {
        let reply = match (self, damage) {
            (
                Reply::Plain { .. } | Reply::Failure { .. },
                Damage::WrongKey | Damage::WrongNonce,
            ) => Reply::Sealed {
                json: success_json(json!({})),
                key: random_key(),
                nonce: rand::random(),
                binary: false,
            },
            (Reply::Sealed { json, nonce, binary, .. }, Damage::WrongKey) => {
                Reply::Sealed { json, key: random_key(), nonce, binary }
            }
            (Reply::Sealed { json, key, nonce, binary }, Damage::WrongNonce) => {
                let other = loop {
                    let candidate: RequestNonce = rand::random();
                    if candidate != nonce {
                        break candidate;
                    }
                };
                Reply::Sealed { json, key, nonce: other, binary }
            }
            (Reply::RefreshSealed { json, binary, .. }, Damage::WrongKey) => {
                Reply::RefreshSealed { json, key: random_key(), binary }
            }
            (reply, _) => reply,
        };
        let mut rendered = reply.render_plainly(now_ms);
        if damage == Damage::Truncate {
            rendered.body = rendered.body.slice(..rendered.body.len() / 2);
        }
        rendered
    }

    fn render_plainly(self, now_ms: i64) -> Rendered {
        match self {
            Reply::Sealed { json, key, nonce, binary } => {
                let params = SealParams { timestamp_ms: now_ms, nonce, iv: random_iv() };
                encoded(seal_response(&key, &json, &params), binary)
            }
            Reply::RefreshSealed { json, key, binary } => {
                encoded(seal_refresh_response(&key, &json, &random_iv()), binary)
            }
            Reply::Plain { status, json } => {
                Rendered { status, content_type: Some(APPLICATION_JSON), body: json.into() }
            }
            Reply::Failure { status, body } => {
                Rendered { status, content_type: None, body: Bytes::from_static(body.as_bytes()) }
            }
        }
    }
}

/// A 200 sealed answer: raw bytes (`application/octet-stream`) or base64 (`text/plain`).
fn encoded(sealed: Vec<u8>, binary: bool) -> Rendered {
    if binary {
        Rendered { status: StatusCode::OK, content_type: Some(OCTET_STREAM), body: sealed.into() }
    } else {
        Rendered {
            status: StatusCode::OK,
            content_type: Some(TEXT_PLAIN),
            body: base64_encode(&sealed).into(),
        }
    }
}
