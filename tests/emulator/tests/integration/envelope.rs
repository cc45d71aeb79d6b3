//! Authentication and the envelope checks of generate and validate, in the operator's order.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use euid_core::envelope::{open_response, seal_request, SealParams};
use euid_core::SecretKey;
use serde_json::json;

use crate::support::*;

const GENERATE: &str = "/v2/token/generate";
const VALIDATE: &str = "/v2/token/validate";
const HINT: &str = " See https://euid.eu/docs/getting-started/gs-encryption-decryption for details on the request envelope format.";
const UNENCRYPTED: &str = "Invalid body: The request body is unencrypted JSON. It must be an encrypted request envelope. See https://euid.eu/docs/getting-started/gs-encryption-decryption#encryption-and-decryption-code-examples for encryption and decryption code examples.";
const MISSING_IDENTITY: &str = "Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified";

fn not_base64() -> String {
    format!("Invalid body: Body is not valid base64.{HINT}")
}

fn too_short() -> String {
    format!("Invalid body: Body too short. Check encryption method.{HINT}")
}

fn bad_version(received: u8) -> String {
    format!("Invalid body: Invalid request envelope format version: received {received}, must be 1.{HINT}")
}

fn bad_key() -> String {
    format!("Invalid body: Check encryption key (ClientSecret).{HINT}")
}

fn assert_unauthorized(reply: &Reply) {
    assert_eq!(reply.status.as_u16(), 401);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(&reply.body[..], br#"{"status":"unauthorized"}"#);
}

#[tokio::test]
async fn a_missing_or_unknown_api_key_is_401_before_any_body_check() {
    let emulator = emulator();
    for path in [GENERATE, VALIDATE] {
        assert_unauthorized(&post(&emulator, path, None, None, "").await);
        assert_unauthorized(&post(&emulator, path, Some("wrong-key"), None, "garbage").await);
        for header in ["Basic key", "Bearer", "Bearer ", "bearer  x"] {
            let reply =
                send(emulator.url(), hyper::Method::POST, path, &[("authorization", header)], "")
                    .await
                    .unwrap();
            assert_unauthorized(&reply);
        }
    }
}

#[tokio::test]
async fn the_bearer_prefix_is_case_insensitive_and_the_header_is_trimmed() {
    let emulator = emulator();
    for header in [
        format!("Bearer {}", emulator.api_key()),
        format!("bEARER {}", emulator.api_key()),
        format!("  BEARER {}  ", emulator.api_key()),
    ] {
        let reply =
            send(emulator.url(), hyper::Method::POST, GENERATE, &[("authorization", &header)], "")
                .await
                .unwrap();
        reply.assert_client_error("Invalid body: Body is missing.");
    }
}

#[tokio::test]
async fn body_errors_come_in_the_operators_order() {
    let emulator = emulator();
    let key = Some(emulator.api_key());
    let other_key = SecretKey::from_bytes([9; 32]);
    let wrong_key_and_too_old = STANDARD.encode(seal_request(
        &other_key,
        b"{}",
        &SealParams::random(emulator.now_ms() - 3_600_000),
    ));
    let mut short_bad_version = vec![2u8; 30];
    short_bad_version[0] = 2;
    let mut bad_version_and_key = seal(&emulator, &json!({})).envelope;
    bad_version_and_key[0] = 0xFF;
    let cases: Vec<(String, String)> = vec![
        (String::new(), "Invalid body: Body is missing.".into()),
        ("test string".into(), not_base64()),
        (format!("{}\n", seal(&emulator, &json!({})).base64()), not_base64()),
        (format!(" {}", seal(&emulator, &json!({})).base64()), not_base64()),
        (
            r#"{"email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}"#.into(),
            UNENCRYPTED.into(),
        ),
        (STANDARD.encode(br#"{"version": 2}"#), UNENCRYPTED.into()),
        (
            STANDARD.encode(
                br#"{"email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=", "version": 2}"#,
            ),
            UNENCRYPTED.into(),
        ),
        ("dGVzdA==".into(), too_short()),
        (STANDARD.encode(&short_bad_version), too_short()),
        (STANDARD.encode([2u8; 64]), bad_version(2)),
        (STANDARD.encode(&bad_version_and_key), bad_version(255)),
        (wrong_key_and_too_old, bad_key()),
    ];
    for path in [GENERATE, VALIDATE] {
        for (body, message) in &cases {
            post(&emulator, path, key, None, body.clone()).await.assert_client_error(message);
        }
    }
}

#[tokio::test]
async fn padding_is_optional_as_in_javas_decoder() {
    let emulator = emulator();
    // 45 + 27 bytes of JSON = 72 bytes: base64 without padding would need none, so make one
    // that needs padding and strip it.
    let sealed = seal(&emulator, &json!({"email": "user@example.com", "x": 1}));
    let body = sealed.base64();
    assert!(body.ends_with('='), "{body}");
    let reply = post(
        &emulator,
        GENERATE,
        Some(emulator.api_key()),
        None,
        body.trim_end_matches('=').to_owned(),
    )
    .await;
    assert_eq!(open(&emulator, &reply, &sealed)["status"], "success");
}

#[tokio::test]
async fn a_payload_that_is_not_a_json_object_is_refused_and_an_empty_one_misses_the_identity() {
    let emulator = emulator();
    let key = Some(emulator.api_key());
    for payload in [&b"not json"[..], b"[1,2]", b"\"text\"", b"{\"email\":"] {
        let sealed = seal_bytes(&emulator, payload, emulator.now_ms());
        post(&emulator, GENERATE, key, None, sealed.base64())
            .await
            .assert_client_error("Invalid payload in body: Data is not valid json string.");
    }
    let sealed = seal_bytes(&emulator, b"", emulator.now_ms());
    post(&emulator, GENERATE, key, None, sealed.base64())
        .await
        .assert_client_error(MISSING_IDENTITY);
    post(&emulator, VALIDATE, key, None, sealed.base64())
        .await
        .assert_client_error(MISSING_IDENTITY);
}

/// Sends a generate request timestamped `offset_ms` from the emulator's (frozen) now.
async fn generate_at_offset(emulator: &euid_emulator::Emulator, offset_ms: i64) -> Reply {
    let now = 1_900_000_000_000;
    emulator.freeze_clock_at(now);
    let sealed = seal_bytes(emulator, br#"{"email":"user@example.com"}"#, now + offset_ms);
    post(emulator, GENERATE, Some(emulator.api_key()), None, sealed.base64()).await
}

#[tokio::test]
async fn the_drift_window_has_the_operators_exact_edges() {
    let emulator = emulator();
    let too_far = "Invalid timestamp: Request too old or client time drift.";
    // Past: Duration.between floors to 119 s -> 1 minute: accepted; 120 s -> 2 minutes.
    assert_eq!(generate_at_offset(&emulator, -119_999).await.status.as_u16(), 200);
    generate_at_offset(&emulator, -120_000).await.assert_client_error(too_far);
    // Future: -119.000 s is -1 minute; -119.001 s floors to -120 s, i.e. -2 minutes.
    assert_eq!(generate_at_offset(&emulator, 0).await.status.as_u16(), 200);
    assert_eq!(generate_at_offset(&emulator, 119_000).await.status.as_u16(), 200);
    generate_at_offset(&emulator, 119_001).await.assert_client_error(too_far);
    generate_at_offset(&emulator, 119_999).await.assert_client_error(too_far);
    generate_at_offset(&emulator, 120_000).await.assert_client_error(too_far);
}

#[tokio::test]
async fn octet_stream_requests_get_raw_byte_answers() {
    let emulator = emulator();
    let key = Some(emulator.api_key());
    for content_type in ["application/octet-stream", "Application/Octet-Stream"] {
        let sealed = seal(&emulator, &json!({"email": "user@example.com"}));
        let reply =
            post(&emulator, GENERATE, key, Some(content_type), sealed.envelope.clone()).await;
        assert_eq!(reply.status.as_u16(), 200);
        assert_eq!(reply.header("content-type"), Some("application/octet-stream"));
        let opened = open_response(&secret(&emulator), &reply.body, &sealed.nonce).unwrap();
        let answer: serde_json::Value = serde_json::from_slice(&opened.payload).unwrap();
        assert_eq!(answer["status"], "success");
    }
}

#[tokio::test]
async fn octet_stream_falls_back_to_base64_whose_verdict_wins() {
    let emulator = emulator();
    let key = Some(emulator.api_key());
    let binary = Some("application/octet-stream");
    // A valid base64 envelope under octet-stream: accepted, answered as base64 text.
    let sealed = seal(&emulator, &json!({"email": "user@example.com"}));
    let reply = post(&emulator, GENERATE, key, binary, sealed.base64()).await;
    assert_eq!(open(&emulator, &reply, &sealed)["status"], "success");
    // Base64 of a corrupt envelope: the decoded bytes' error, not the text's ('A' = 65).
    post(&emulator, GENERATE, key, binary, STANDARD.encode([2u8; 64]))
        .await
        .assert_client_error(&bad_version(2));
    // Base64 of plain JSON: diagnosed as unencrypted JSON.
    post(&emulator, GENERATE, key, binary, STANDARD.encode(br#"{"email_hash": "x"}"#))
        .await
        .assert_client_error(UNENCRYPTED);
    // Raw non-base64 bytes keep the binary error.
    post(&emulator, GENERATE, key, binary, vec![2u8; 64])
        .await
        .assert_client_error(&bad_version(2));
    let mut tampered = seal(&emulator, &json!({})).envelope;
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    post(&emulator, GENERATE, key, binary, tampered).await.assert_client_error(&bad_key());
    post(&emulator, GENERATE, key, binary, "")
        .await
        .assert_client_error("Invalid body: Body is missing.");
}

#[tokio::test]
async fn a_content_type_with_parameters_is_not_octet_stream() {
    let emulator = emulator();
    let sealed = seal(&emulator, &json!({"email": "user@example.com"}));
    post(
        &emulator,
        GENERATE,
        Some(emulator.api_key()),
        Some("application/octet-stream; charset=utf-8"),
        sealed.envelope,
    )
    .await
    .assert_client_error(&not_base64());
}

#[tokio::test]
async fn answers_carry_the_emulators_time_and_echo_the_nonce() {
    let emulator = emulator();
    let now = 1_893_456_000_000; // 2030-01-01T00:00:00Z
    emulator.freeze_clock_at(now);
    emulator.set_date_header(true); // as a load balancer would add one
    let sealed = seal(&emulator, &json!({"email": "user@example.com"}));
    let reply = post(&emulator, GENERATE, Some(emulator.api_key()), None, sealed.base64()).await;
    assert_eq!(reply.header("date"), Some("Tue, 01 Jan 2030 00:00:00 GMT"));
    let envelope = STANDARD.decode(&reply.body).unwrap();
    let opened = open_response(&secret(&emulator), &envelope, &sealed.nonce).unwrap();
    assert_eq!(opened.timestamp_ms, now);
    // Errors carry the Date header too.
    let reply = post(&emulator, GENERATE, None, None, "").await;
    assert_eq!(reply.header("date"), Some("Tue, 01 Jan 2030 00:00:00 GMT"));
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_refused() {
    let emulator = emulator();
    let reply =
        post(&emulator, GENERATE, Some(emulator.api_key()), None, vec![b'A'; (1 << 20) + 4]).await;
    // The operator's GenericFailureHandler: Apache's reason phrase, no content type.
    assert_eq!(reply.status.as_u16(), 413);
    assert_eq!(reply.header("content-type"), None);
    assert_eq!(&reply.body[..], b"Request Too Long");
}
