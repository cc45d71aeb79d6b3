//! Runs every case of the shared vectors in `tests/vectors/*.json` through the public API.
//!
//! The same files are run by the Python and Kotlin packages; see `tests/vectors/README.md` for
//! the format. A case with an unknown `op` or an unexpected field fails, so nothing is skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use euid_core::envelope::{self, Encoding, SealParams};
use euid_core::wire::{self, GenerateRequest};
use euid_core::{
    Dii, Error, ErrorKind, Event, GenerateOutcome, Identity, IdentityStatus, Lifecycle,
    RefreshOutcome, SecretKey,
};
use serde_json::{json, Map, Value};

/// What a case produced: a JSON value to compare with `expect`, or an error kind for `error`.
type Outcome = Result<Value, ErrorKind>;

/// A problem with the case itself (malformed vector), as opposed to a wrong answer.
type Harness<T> = Result<T, String>;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

/// Loads `file`, runs each case with `run`, and fails listing every case that did not match.
fn run_file(file: &str, run: fn(&str, &Map<String, Value>) -> Harness<Outcome>) {
    let path = vectors_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    let document: Value = serde_json::from_str(&text).expect("vector file is not JSON");
    assert!(document["description"].is_string(), "{file}: missing description");
    let cases = document["cases"].as_array().expect("`cases` must be an array");
    assert!(!cases.is_empty(), "{file}: no cases");

    let mut names = HashSet::new();
    let mut failures = Vec::new();
    let mut run_count = 0usize;
    for (index, case) in cases.iter().enumerate() {
        let case = case.as_object().expect("a case must be an object");
        let name = case.get("name").and_then(Value::as_str).unwrap_or("<unnamed>");
        run_count += 1;
        if !names.insert(name.to_owned()) {
            failures.push(format!("#{index} {name}: duplicate name"));
            continue;
        }
        if let Err(problem) = check_case(case, run) {
            failures.push(format!("#{index} {name}: {problem}"));
        }
    }
    assert_eq!(run_count, cases.len(), "{file}: not every case ran");
    assert!(
        failures.is_empty(),
        "{file}: {} of {} cases failed:\n  {}",
        failures.len(),
        cases.len(),
        failures.join("\n  ")
    );
    println!("{file}: {run_count} cases passed");
}

fn check_case(
    case: &Map<String, Value>,
    run: fn(&str, &Map<String, Value>) -> Harness<Outcome>,
) -> Harness<()> {
    let op = str_field(case, "op")?;
    let actual = run(op, case)?;
    match (case.get("expect"), case.get("error")) {
        (Some(expected), None) => match actual {
            Ok(value) if &value == expected => Ok(()),
            Ok(value) => Err(describe_difference(expected, &value)),
            Err(kind) => Err(format!("expected {expected}, got error `{kind}`")),
        },
        (None, Some(Value::String(expected))) => {
            if ErrorKind::from_name(expected).is_none() {
                return Err(format!("unknown error kind `{expected}`"));
            }
            match actual {
                Err(kind) if kind.as_str() == expected => Ok(()),
                Err(kind) => Err(format!("expected error `{expected}`, got error `{kind}`")),
                Ok(value) => Err(format!("expected error `{expected}`, got {value}")),
            }
        }
        _ => Err("a case needs exactly one of `expect` and a string `error`".into()),
    }
}

/// The keys that differ when both sides are objects, else both values.
fn describe_difference(expected: &Value, actual: &Value) -> String {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            let mut keys: Vec<&String> = expected.keys().chain(actual.keys()).collect();
            keys.dedup();
            let differing: Vec<String> = keys
                .into_iter()
                .filter(|key| expected.get(*key) != actual.get(*key))
                .map(|key| {
                    let show =
                        |value: Option<&Value>| value.map_or("<absent>".into(), Value::to_string);
                    format!(
                        "`{key}`: expected {}, got {}",
                        show(expected.get(key)),
                        show(actual.get(key))
                    )
                })
                .collect();
            differing.join("; ")
        }
        _ => format!("expected {expected}, got {actual}"),
    }
}

/// Fails on a field the op does not know, so a typo cannot silently change a case.
fn allow_fields(case: &Map<String, Value>, fields: &[&str]) -> Harness<()> {
    const COMMON: [&str; 5] = ["name", "op", "expect", "error", "note"];
    match case.keys().find(|key| !COMMON.contains(&key.as_str()) && !fields.contains(&key.as_str()))
    {
        Some(key) => Err(format!("unexpected field `{key}`")),
        None => Ok(()),
    }
}

fn field<'a>(case: &'a Map<String, Value>, name: &str) -> Harness<&'a Value> {
    case.get(name).ok_or_else(|| format!("missing field `{name}`"))
}

fn str_field<'a>(case: &'a Map<String, Value>, name: &str) -> Harness<&'a str> {
    field(case, name)?.as_str().ok_or_else(|| format!("`{name}` must be a string"))
}

fn i64_field(case: &Map<String, Value>, name: &str) -> Harness<i64> {
    field(case, name)?.as_i64().ok_or_else(|| format!("`{name}` must be an integer"))
}

fn hex(text: &str) -> Harness<Vec<u8>> {
    if text.len() % 2 != 0 {
        return Err(format!("odd-length hex `{text}`"));
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| format!("bad hex `{text}`")))
        .collect()
}

fn hex_array<const N: usize>(case: &Map<String, Value>, name: &str) -> Harness<[u8; N]> {
    hex(str_field(case, name)?)?
        .try_into()
        .map_err(|_| format!("`{name}` must be {N} bytes of hex"))
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key_field(case: &Map<String, Value>, name: &str) -> Harness<SecretKey> {
    SecretKey::from_base64(str_field(case, name)?, name).map_err(|err| format!("bad key: {err}"))
}

fn kind(err: impl Into<Error>) -> ErrorKind {
    err.into().kind()
}

// ---------------------------------------------------------------------------------------------
// normalization.json

#[test]
fn normalization_vectors() {
    run_file("normalization.json", run_normalization);
}

fn run_normalization(op: &str, case: &Map<String, Value>) -> Harness<Outcome> {
    if op == "hash_emails" {
        allow_fields(case, &["inputs"])?;
        let inputs = field(case, "inputs")?
            .as_array()
            .ok_or("`inputs` must be an array")?
            .iter()
            .map(|input| input.as_str().ok_or("`inputs` must hold strings"))
            .collect::<Result<Vec<_>, _>>()?;
        let hashes = euid_core::hash_emails(&inputs)
            .into_iter()
            .map(|result| result.map_or(Value::Null, Value::String))
            .collect();
        return Ok(Ok(Value::Array(hashes)));
    }
    allow_fields(case, &["input"])?;
    let input = str_field(case, "input")?;
    let result = match op {
        "normalize_email" => euid_core::normalize_email(input),
        "hash_email" => euid_core::hash_email(input),
        "normalize_phone" => euid_core::normalize_phone(input).map(str::to_owned),
        "hash_phone" => euid_core::hash_phone(input),
        "normalize_email_hash" => euid_core::normalize_email_hash(input),
        "normalize_phone_hash" => euid_core::normalize_phone_hash(input),
        _ => return Err(format!("unknown op `{op}`")),
    };
    Ok(result.map(Value::String).map_err(kind))
}

// ---------------------------------------------------------------------------------------------
// envelope.json

#[test]
fn envelope_vectors() {
    run_file("envelope.json", run_envelope);
}

fn run_envelope(op: &str, case: &Map<String, Value>) -> Harness<Outcome> {
    match op {
        "seal_request" | "seal_response" => {
            allow_fields(case, &["key", "iv", "nonce", "timestamp_ms", "payload"])?;
            let key = key_field(case, "key")?;
            let params = SealParams {
                timestamp_ms: i64_field(case, "timestamp_ms")?,
                nonce: hex_array(case, "nonce")?,
                iv: hex_array(case, "iv")?,
            };
            let payload = str_field(case, "payload")?.as_bytes();
            let sealed = if op == "seal_request" {
                envelope::seal_request(&key, payload, &params)
            } else {
                envelope::seal_response(&key, payload, &params)
            };
            Ok(Ok(Value::String(STANDARD.encode(sealed))))
        }
        "open_request" => {
            allow_fields(case, &["key", "envelope"])?;
            let key = key_field(case, "key")?;
            let opened = envelope::decode_base64(str_field(case, "envelope")?.as_bytes())
                .and_then(|bytes| envelope::open_request(&key, &bytes));
            Ok(match opened {
                Ok(opened) => Ok(json!({
                    "timestamp_ms": opened.timestamp_ms,
                    "nonce": to_hex(&opened.nonce),
                    "payload": String::from_utf8(opened.payload)
                        .map_err(|_| "payload is not UTF-8".to_owned())?,
                })),
                Err(err) => Err(kind(err)),
            })
        }
        "decrypt_generate_response" => {
            allow_fields(case, &["key", "nonce", "encoding", "body", "body_hex"])?;
            let key = key_field(case, "key")?;
            let nonce = hex_array(case, "nonce")?;
            let (encoding, body) = match str_field(case, "encoding")? {
                "base64" => (Encoding::Base64, str_field(case, "body")?.as_bytes().to_vec()),
                "binary" => (Encoding::Binary, hex(str_field(case, "body_hex")?)?),
                other => return Err(format!("unknown encoding `{other}`")),
            };
            let outcome = wire::open_answer(&key, &body, encoding, &nonce)
                .and_then(|(_, answer)| answer.into_generate_outcome());
            Ok(outcome.map(|outcome| generate_outcome_json(&outcome)).map_err(kind))
        }
        "decrypt_refresh_response" => {
            allow_fields(case, &["key", "body"])?;
            let key = match field(case, "key")? {
                Value::Null => None,
                _ => Some(key_field(case, "key")?),
            };
            let body = str_field(case, "body")?;
            let outcome = wire::open_refresh_answer(key.as_ref(), body.as_bytes());
            Ok(outcome.map(|outcome| refresh_outcome_json(&outcome)).map_err(kind))
        }
        "generate_request_json" => {
            allow_fields(case, &["dii", "tcf_consent_string"])?;
            let dii = field(case, "dii")?.as_object().ok_or("`dii` must be an object")?;
            let value = str_field(dii, "value")?;
            let dii = match str_field(dii, "type")? {
                "email" => Dii::email(value),
                "phone" => Dii::phone(value),
                "email_hash" => Dii::email_hash(value),
                "phone_hash" => Dii::phone_hash(value),
                "raw_email" => Dii::raw_email(value),
                "raw_phone" => Dii::raw_phone(value),
                other => return Err(format!("unknown dii type `{other}`")),
            };
            let consent = match case.get("tcf_consent_string") {
                None => None,
                Some(consent) => Some(consent.as_str().ok_or("consent must be a string")?),
            };
            let request = dii.map_err(Error::from).and_then(|dii| match consent {
                Some(consent) => GenerateRequest::new(dii).with_tcf_consent_string(consent),
                None => Ok(GenerateRequest::new(dii)),
            });
            Ok(match request {
                Ok(request) => Ok(Value::String(
                    String::from_utf8(request.to_json()).map_err(|_| "JSON is not UTF-8")?,
                )),
                Err(err) => Err(err.kind()),
            })
        }
        _ => Err(format!("unknown op `{op}`")),
    }
}

fn generate_outcome_json(outcome: &GenerateOutcome) -> Value {
    match outcome {
        GenerateOutcome::Success(identity) => {
            json!({"outcome": outcome.name(), "identity": Value::Object(identity.to_map())})
        }
        _ => json!({"outcome": outcome.name()}),
    }
}

fn refresh_outcome_json(outcome: &RefreshOutcome) -> Value {
    match outcome {
        RefreshOutcome::Refreshed(identity) => {
            json!({"outcome": outcome.name(), "identity": Value::Object(identity.to_map())})
        }
        _ => json!({"outcome": outcome.name()}),
    }
}

// ---------------------------------------------------------------------------------------------
// identity.json

#[test]
fn identity_vectors() {
    run_file("identity.json", run_identity);
}

fn run_identity(op: &str, case: &Map<String, Value>) -> Harness<Outcome> {
    if op != "parse_identity" {
        return Err(format!("unknown op `{op}`"));
    }
    allow_fields(case, &["json"])?;
    Ok(Identity::from_json(str_field(case, "json")?)
        .map(|identity| {
            json!({
                "advertising_token": identity.advertising_token,
                "refresh_token": identity.refresh_token,
                "identity_expires": identity.identity_expires,
                "refresh_from": identity.refresh_from,
                "refresh_expires": identity.refresh_expires,
                "refresh_response_key": identity.refresh_response_key,
                "extra_fields": identity.extra.keys().collect::<Vec<_>>(),
                "to_json": identity.to_json(),
            })
        })
        .map_err(|err| err.kind()))
}

// ---------------------------------------------------------------------------------------------
// lifecycle.json

#[test]
fn lifecycle_vectors() {
    run_file("lifecycle.json", run_lifecycle);
}

fn identity_value(value: &Value) -> Harness<Option<Identity>> {
    match value {
        Value::Null => Ok(None),
        Value::Object(map) => Identity::from_map(map.clone())
            .map(Some)
            .map_err(|err| format!("identity in the case does not parse: {err}")),
        _ => Err("an identity must be an object or null".into()),
    }
}

fn run_lifecycle(op: &str, case: &Map<String, Value>) -> Harness<Outcome> {
    let state = str_field(case, "state")?;
    let state =
        IdentityStatus::from_name(state).ok_or_else(|| format!("unknown state `{state}`"))?;
    let identity = identity_value(field(case, "identity")?)?;
    let now_ms = i64_field(case, "now_ms")?;
    let since_ms = match case.get("since_ms") {
        Some(_) => i64_field(case, "since_ms")?,
        None => now_ms,
    };
    let lifecycle = Lifecycle::restore(state, identity.clone(), since_ms);
    match op {
        "status" => {
            allow_fields(case, &["state", "identity", "since_ms", "now_ms"])?;
            let status = lifecycle.status_at(now_ms);
            Ok(Ok(json!({
                "status": status.name(),
                "code": status.code(),
                "advice": lifecycle.advice(now_ms).name(),
            })))
        }
        "transition" => {
            allow_fields(case, &["state", "identity", "since_ms", "now_ms", "event"])?;
            let event = field(case, "event")?.as_object().ok_or("`event` must be an object")?;
            let event_identity = match event.get("identity") {
                Some(value) => identity_value(value)?,
                None => None,
            };
            let outcome = || event.get("outcome").and_then(Value::as_str).unwrap_or("<none>");
            let with_identity = |what: &str| {
                event_identity.clone().ok_or_else(|| format!("`{what}` needs an identity"))
            };
            let event = match (str_field(event, "type")?, outcome()) {
                ("generated", "success") => {
                    Event::Generated(GenerateOutcome::Success(with_identity("success")?))
                }
                ("generated", "optout") => Event::Generated(GenerateOutcome::OptOut),
                ("generated", "insufficient_consent") => {
                    Event::Generated(GenerateOutcome::InsufficientConsent)
                }
                ("refreshed", "refreshed") => {
                    Event::Refreshed(RefreshOutcome::Refreshed(with_identity("refreshed")?))
                }
                ("refreshed", "optout") => Event::Refreshed(RefreshOutcome::OptOut),
                ("refreshed", "expired_token") => Event::Refreshed(RefreshOutcome::ExpiredToken),
                ("refreshed", "invalid_token") => Event::Refreshed(RefreshOutcome::InvalidToken),
                ("refresh_failed", _) => Event::RefreshFailed,
                ("time_passed", _) => Event::TimePassed,
                ("logout", _) => Event::Logout,
                (kind, outcome) => return Err(format!("unknown event `{kind}`/`{outcome}`")),
            };
            let after = lifecycle.apply(event, now_ms);
            let held = match after.identity() {
                None => "none",
                Some(held) if Some(held) == event_identity.as_ref() => "new",
                Some(held) if Some(held) == identity.as_ref() => "kept",
                Some(_) => return Ok(Ok(json!("holds an identity that is neither"))),
            };
            let status = after.status();
            if status != after.status_at(now_ms) {
                return Ok(Ok(json!(format!(
                    "status() {} differs from status_at(now_ms) {}",
                    status.name(),
                    after.status_at(now_ms).name()
                ))));
            }
            Ok(Ok(json!({
                "status": status.name(),
                "code": status.code(),
                "advice": after.advice(now_ms).name(),
                "identity": held,
            })))
        }
        _ => Err(format!("unknown op `{op}`")),
    }
}
