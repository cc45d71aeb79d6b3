//! The control API under `/emulator/`: JSON in and out, no authentication. Every route is
//! documented, with curl examples, in the crate's README.

use hyper::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::faults::Fault;
use crate::identity::{identity_from_request, IdentityInputError, IdentityType};
use crate::state::State;

/// A control answer: status and JSON body.
#[derive(Debug)]
pub struct ControlReply {
    /// HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub json: Value,
    /// For 405: the methods the route allows.
    pub allow: Option<&'static str>,
}

impl ControlReply {
    fn ok(json: Value) -> ControlReply {
        ControlReply { status: StatusCode::OK, json, allow: None }
    }

    fn bad_request(message: &str) -> ControlReply {
        ControlReply {
            status: StatusCode::BAD_REQUEST,
            json: json!({ "error": message }),
            allow: None,
        }
    }

    fn not_found() -> ControlReply {
        ControlReply {
            status: StatusCode::NOT_FOUND,
            json: json!({"error": "no such control route"}),
            allow: None,
        }
    }

    fn method_not_allowed(allow: &'static str) -> ControlReply {
        ControlReply {
            status: StatusCode::METHOD_NOT_ALLOWED,
            json: json!({"error": "method not allowed"}),
            allow: Some(allow),
        }
    }
}

/// `POST /emulator/clock` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockRequest {
    now_ms: Option<i64>,
    advance_ms: Option<i64>,
    frozen: Option<bool>,
    date_header: Option<bool>,
}

/// `POST /emulator/faults` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaultsRequest {
    faults: Vec<Fault>,
}

/// Routes a control request (`path` starts with `/emulator`).
pub fn handle(state: &State, method: &Method, path: &str, body: &[u8]) -> ControlReply {
    match path.trim_end_matches('/') {
        "/emulator/clock" => match *method {
            Method::GET => ControlReply::ok(clock_json(state)),
            Method::POST => set_clock(state, body),
            _ => ControlReply::method_not_allowed("GET, POST"),
        },
        "/emulator/optout" => match *method {
            Method::POST => opt_out(state, body),
            _ => ControlReply::method_not_allowed("POST"),
        },
        "/emulator/faults" => match *method {
            Method::GET => ControlReply::ok(faults_json(state)),
            Method::POST => set_faults(state, body),
            Method::DELETE => {
                state.faults.clear();
                ControlReply::ok(faults_json(state))
            }
            _ => ControlReply::method_not_allowed("GET, POST, DELETE"),
        },
        "/emulator/counters" => match *method {
            Method::GET => ControlReply::ok(json!(state.counters.snapshot())),
            _ => ControlReply::method_not_allowed("GET"),
        },
        "/emulator/reset" => match *method {
            Method::POST => {
                state.reset();
                ControlReply::ok(json!({"reset": true}))
            }
            _ => ControlReply::method_not_allowed("POST"),
        },
        _ => ControlReply::not_found(),
    }
}

fn clock_json(state: &State) -> Value {
    json!({
        "now_ms": state.clock.now_ms(),
        "offset_ms": state.clock.offset_ms(),
        "frozen": state.clock.is_frozen(),
        "date_header": state.date_header(),
    })
}

/// `{"now_ms": N}` or `{"advance_ms": N}`, either optionally with `"frozen"`, or
/// `{"frozen": bool}` alone; any of them optionally with `"date_header": bool`.
fn set_clock(state: &State, body: &[u8]) -> ControlReply {
    let Ok(request) = serde_json::from_slice::<ClockRequest>(body) else {
        return ControlReply::bad_request(CLOCK_USAGE);
    };
    let clock = &state.clock;
    match (request.now_ms, request.advance_ms, request.frozen) {
        (Some(now_ms), None, Some(true)) => clock.freeze_at(now_ms),
        (Some(now_ms), None, frozen) => {
            if frozen == Some(false) {
                clock.unfreeze();
            }
            clock.set_now_ms(now_ms);
        }
        (None, Some(delta), frozen) => {
            match frozen {
                Some(true) => clock.freeze_at(clock.now_ms()),
                Some(false) => clock.unfreeze(),
                None => {}
            }
            clock.advance_ms(delta);
        }
        (None, None, Some(true)) => clock.freeze_at(clock.now_ms()),
        (None, None, Some(false)) => clock.unfreeze(),
        (None, None, None) if request.date_header.is_some() => {}
        _ => return ControlReply::bad_request(CLOCK_USAGE),
    }
    if let Some(on) = request.date_header {
        state.set_date_header(on);
    }
    ControlReply::ok(clock_json(state))
}

const CLOCK_USAGE: &str =
    "expected {\"now_ms\": N} or {\"advance_ms\": N}, optionally with \"frozen\": true|false, \
     or {\"frozen\": true|false} or {\"date_header\": true|false}";

fn opt_out(state: &State, body: &[u8]) -> ControlReply {
    let Ok(payload) = serde_json::from_slice::<Map<String, Value>>(body) else {
        return ControlReply::bad_request("expected a JSON object");
    };
    match identity_from_request(Some(&payload)) {
        Ok(identity) => {
            let kind = match identity.kind {
                IdentityType::Email => "email",
                IdentityType::Phone => "phone",
            };
            let answer = json!({"opted_out": {"type": kind, "hash": identity.hash}});
            state.optouts.add(identity);
            ControlReply::ok(answer)
        }
        Err(IdentityInputError::Missing) => ControlReply::bad_request(
            "exactly one of email, email_hash, phone, phone_hash must be given",
        ),
        Err(IdentityInputError::Invalid) => {
            ControlReply::bad_request("the identity does not normalize")
        }
    }
}

fn faults_json(state: &State) -> Value {
    json!({ "faults": state.faults.list() })
}

fn set_faults(state: &State, body: &[u8]) -> ControlReply {
    let request = match serde_json::from_slice::<FaultsRequest>(body) {
        Ok(request) => request,
        Err(err) => return ControlReply::bad_request(&format!("invalid faults: {err}")),
    };
    match state.faults.set(request.faults) {
        Ok(()) => ControlReply::ok(faults_json(state)),
        Err(err) => ControlReply::bad_request(&err.to_string()),
    }
}
