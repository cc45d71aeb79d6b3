//! What goes on the wire, seen by a recording server: paths, headers, bodies, caps.

use euid_core::{
    envelope, Error, ErrorKind, Identity, OperatorStatus, ProtocolError, RefreshOutcome,
    CLIENT_VERSION_HEADER, DEFAULT_CLIENT_VERSION,
};

use crate::support::{email, Recorder};

fn identity(refresh_response_key: Option<&str>) -> Identity {
    let key = refresh_response_key
        .map_or(String::new(), |key| format!(r#","refresh_response_key":"{key}""#));
    Identity::from_json(&format!(
        r#"{{"advertising_token":"AT","refresh_token":"RT-raw-token","identity_expires":3,"refresh_from":2,"refresh_expires":4{key}}}"#
    ))
    .unwrap()
}

#[tokio::test]
async fn a_path_prefix_is_kept_and_the_headers_are_sent() {
    let recorder = Recorder::start(401, "application/json", br#"{"status":"unauthorized"}"#, &[]);
    let client = recorder.client("/euid/");
    assert_eq!(client.generate_token(&email("u@example.com")).await, Err(Error::Unauthorized));
    let request = &recorder.recorded()[0];
    assert_eq!(request.request_line, "POST /euid/v2/token/generate HTTP/1.1");
    assert_eq!(request.header("authorization"), Some("Bearer recorder-key"));
    assert_eq!(request.header(CLIENT_VERSION_HEADER), Some(DEFAULT_CLIENT_VERSION));
    assert_eq!(request.header("content-type"), Some("text/plain"));
    let envelope_bytes = envelope::decode_base64(&request.body).unwrap();
    let key = euid_core::SecretKey::from_base64(crate::support::SECRET, "key").unwrap();
    let opened = envelope::open_request(&key, &envelope_bytes).unwrap();
    // The hash of u@example.com (computed with Python's hashlib), never the address.
    assert_eq!(
        String::from_utf8(opened.payload).unwrap(),
        r#"{"email_hash":"dhWq/LRbzIU8TtMsxVOYQjclVc0CXwkHRgadsnmj1Cc=","optout_check":1}"#
    );
}

#[tokio::test]
async fn refresh_posts_the_raw_token_with_the_api_key() {
    let recorder = Recorder::start(
        400,
        "application/json",
        br#"{"status":"expired_token","message":"Expired Token presented"}"#,
        &[],
    );
    let outcome = recorder.client("").refresh_token(&identity(None)).await;
    assert_eq!(outcome, Ok(RefreshOutcome::ExpiredToken));
    let request = &recorder.recorded()[0];
    assert_eq!(request.request_line, "POST /v2/token/refresh HTTP/1.1");
    assert_eq!(request.body, b"RT-raw-token");
    assert_eq!(request.header("authorization"), Some("Bearer recorder-key"));
}

#[tokio::test]
async fn a_legacy_identity_gets_a_plain_json_refresh_answer() {
    let body = br#"{"status":"success","body":{"advertising_token":"A2","refresh_token":"R2","identity_expires":30,"refresh_from":20,"refresh_expires":40}}"#;
    let recorder = Recorder::start(200, "application/json", body, &[]);
    let outcome = recorder.client("").refresh_token(&identity(None)).await.unwrap();
    assert_eq!(outcome.identity().unwrap().advertising_token, "A2");
}

#[tokio::test]
async fn a_plain_answer_for_an_identity_with_a_key_is_a_protocol_error() {
    let recorder = Recorder::start(200, "application/json", br#"{"status":"optout"}"#, &[]);
    let key = "P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU=";
    let err = recorder.client("").refresh_token(&identity(Some(key))).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadBase64);
}

#[tokio::test]
async fn a_non_json_400_keeps_its_status_and_hides_its_body() {
    let recorder = Recorder::start(400, "text/plain", b"Bad Request: secret-ish detail", &[]);
    let err = recorder.client("").generate_token(&email("u@example.com")).await.unwrap_err();
    assert_eq!(
        err,
        Error::Rejected {
            http_status: 400,
            status: None,
            message: "a non-JSON body (30 bytes)".into()
        }
    );
    assert!(!err.to_string().contains("secret-ish"));
}

#[tokio::test]
async fn an_unknown_operator_status_is_kept() {
    let recorder = Recorder::start(
        403,
        "application/json",
        br#"{"status":"invalid_http_origin","message":"unexpected http origin"}"#,
        &[],
    );
    let err = recorder.client("").generate_token(&email("u@example.com")).await.unwrap_err();
    assert_eq!(err.operator_status(), Some(&OperatorStatus::Other("invalid_http_origin".into())));
}

#[tokio::test]
async fn a_response_larger_than_the_cap_is_refused() {
    let big = vec![b'A'; 2 * 1024 * 1024];
    let recorder = Recorder::start(200, "text/plain", &big, &[]);
    let err = recorder.client("").generate_token(&email("u@example.com")).await.unwrap_err();
    assert_eq!(err, Error::Protocol(ProtocolError::TooLarge { limit: 1024 * 1024 }));
}
