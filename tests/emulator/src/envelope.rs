//! Reading a v2 request body exactly as the operator's `V2RequestUtil.parseRequest` does:
//! the same checks, in the same order, with the same messages.

use euid_core::envelope::{open_request, RequestNonce, ENVELOPE_VERSION, MIN_REQUEST_LEN};
use euid_core::SecretKey;
use serde_json::{Map, Value};

use crate::codec::java_base64_decode;

/// The documentation hint the operator appends to envelope errors (EUID host).
const HINT: &str = " See https://euid.eu/docs/getting-started/gs-encryption-decryption for \
                    details on the request envelope format.";

/// `Invalid body: Body is missing.`
pub const BODY_MISSING: &str = "Invalid body: Body is missing.";
/// `Invalid timestamp: Request too old or client time drift.`
pub const BAD_TIMESTAMP: &str = "Invalid timestamp: Request too old or client time drift.";
/// `Invalid payload in body: Data is not valid json string.`
pub const BAD_PAYLOAD: &str = "Invalid payload in body: Data is not valid json string.";
/// The answer to a body that is plain (or base64 of plain) JSON.
pub const UNENCRYPTED_JSON: &str = "Invalid body: The request body is unencrypted JSON. It must \
     be an encrypted request envelope. See https://euid.eu/docs/getting-started/\
     gs-encryption-decryption#encryption-and-decryption-code-examples for encryption and \
     decryption code examples.";

/// `Invalid body: Body is not valid base64.` and the hint.
pub fn not_base64_message() -> String {
    format!("Invalid body: Body is not valid base64.{HINT}")
}

/// `Invalid body: Body too short. Check encryption method.` and the hint.
pub fn too_short_message() -> String {
    format!("Invalid body: Body too short. Check encryption method.{HINT}")
}

/// The wrong-version message; `received` is printed unsigned, as the operator does (0xFF is
/// `received 255`).
pub fn bad_version_message(received: u8) -> String {
    format!("Invalid body: Invalid request envelope format version: received {received}, must be 1.{HINT}")
}

/// `Invalid body: Check encryption key (ClientSecret).` and the hint.
pub fn bad_key_message() -> String {
    format!("Invalid body: Check encryption key (ClientSecret).{HINT}")
}

/// A request the envelope checks let through.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRequest {
    /// The nonce to echo.
    pub nonce: RequestNonce,
    /// The JSON object; `None` when the plaintext was exactly 16 bytes.
    pub payload: Option<Map<String, Value>>,
    /// Answer with raw bytes (`application/octet-stream`) rather than base64 text.
    pub binary: bool,
}

/// What the envelope checks need to know besides the body.
#[derive(Debug, Clone, Copy)]
pub struct EnvelopeContext<'a> {
    /// The client secret.
    pub key: &'a SecretKey,
    /// The emulator's now, epoch ms.
    pub now_ms: i64,
    /// `V2_REQUEST_TIMESTAMP_DRIFT_THRESHOLD_IN_MINUTES`.
    pub drift_threshold_minutes: i64,
}

/// Parses a request body. `octet_stream` is true when `Content-Type` is exactly
/// `application/octet-stream` (case-insensitive): the body is then raw envelope bytes, with a
/// fallback to base64 text (whose verdict wins when the body is valid base64).
///
/// # Errors
///
/// The operator's `message` for HTTP 400 `client_error`.
pub fn parse_request(
    body: &[u8],
    octet_stream: bool,
    context: &EnvelopeContext<'_>,
) -> Result<ParsedRequest, String> {
    if body.is_empty() {
        return Err(BODY_MISSING.to_owned());
    }
    if octet_stream {
        let binary =
            parse_envelope(body, context).map(|request| ParsedRequest { binary: true, ..request });
        return match binary {
            Ok(request) => Ok(request),
            Err(binary_error) => match java_base64_decode(body) {
                Some(decoded) => parse_envelope(&decoded, context),
                None => Err(binary_error),
            },
        };
    }
    match java_base64_decode(body) {
        Some(decoded) => parse_envelope(&decoded, context),
        None if looks_like_json(body) => Err(UNENCRYPTED_JSON.to_owned()),
        None => Err(not_base64_message()),
    }
}

/// The checks after decoding: plain JSON, length, version, key, timestamp, payload.
fn parse_envelope(bytes: &[u8], context: &EnvelopeContext<'_>) -> Result<ParsedRequest, String> {
    if looks_like_json(bytes) {
        return Err(UNENCRYPTED_JSON.to_owned());
    }
    if bytes.len() < MIN_REQUEST_LEN {
        return Err(too_short_message());
    }
    if bytes[0] != ENVELOPE_VERSION {
        return Err(bad_version_message(bytes[0]));
    }
    let opened = open_request(context.key, bytes).map_err(|_| bad_key_message())?;
    if drift_exceeded(opened.timestamp_ms, context.now_ms, context.drift_threshold_minutes) {
        return Err(BAD_TIMESTAMP.to_owned());
    }
    let payload = if opened.payload.is_empty() {
        None
    } else {
        match serde_json::from_slice::<Value>(&opened.payload) {
            Ok(Value::Object(map)) => Some(map),
            _ => return Err(BAD_PAYLOAD.to_owned()),
        }
    };
    Ok(ParsedRequest { nonce: opened.nonce, payload, binary: false })
}

/// `abs(Duration.between(Instant.ofEpochMilli(request_ms), now).toMinutes()) > threshold`,
/// computed as Java does: `Duration` floors to whole seconds (its nanos are never negative),
/// then `toMinutes()` divides the seconds by 60 truncating toward zero. So with threshold 1
/// a request is accepted from 119 999 ms in the past to 119 000 ms in the future.
pub fn drift_exceeded(request_ms: i64, now_ms: i64, threshold_minutes: i64) -> bool {
    let elapsed_ms = i128::from(now_ms) - i128::from(request_ms);
    let seconds = elapsed_ms.div_euclid(1000);
    let minutes = seconds / 60;
    minutes.abs() > i128::from(threshold_minutes)
}

/// Whether the bytes are a JSON object or array (what a caller who skipped encryption sends).
fn looks_like_json(bytes: &[u8]) -> bool {
    matches!(bytes.trim_ascii_start().first(), Some(b'{' | b'['))
        && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drift_window_follows_javas_duration_arithmetic() {
        let now = 1_700_000_000_000;
        assert!(!drift_exceeded(now - 119_999, now, 1));
        assert!(drift_exceeded(now - 120_000, now, 1));
        assert!(!drift_exceeded(now + 119_000, now, 1));
        assert!(drift_exceeded(now + 119_001, now, 1));
        assert!(drift_exceeded(now + 119_999, now, 1));
        assert!(drift_exceeded(now + 120_000, now, 1));
        assert!(!drift_exceeded(now, now, 0) && !drift_exceeded(now - 59_999, now, 0));
        assert!(drift_exceeded(now - 60_000, now, 0));
        assert!(drift_exceeded(i64::MIN, i64::MAX, 1));
    }

    #[test]
    fn versions_print_unsigned() {
        assert!(bad_version_message(0xFF).contains("received 255, must be 1."));
        assert!(bad_version_message(2).contains("received 2, must be 1."));
    }
}
