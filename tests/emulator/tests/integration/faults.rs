//! Injected faults: every kind, counts, order, probability, the HTTP control routes.

use std::time::Instant;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use euid_core::envelope::open_response;
use euid_core::ProtocolError;
use euid_emulator::{Emulator, Fault, FaultEndpoint, FaultKind};
use hyper::Method;
use serde_json::{json, Value};

use crate::support::*;

const GENERATE: &str = "/v2/token/generate";

fn payload() -> Value {
    json!({"email": "user@example.com"})
}

async fn set_faults(emulator: &Emulator, faults: Value) -> Reply {
    control(emulator, Method::POST, "/emulator/faults", json!({ "faults": faults })).await
}

/// A valid generate request; returns the reply and its seal.
async fn generate_raw(emulator: &Emulator) -> (Reply, Sealed) {
    let sealed = seal(emulator, &payload());
    let reply = post(emulator, GENERATE, Some(emulator.api_key()), None, sealed.base64()).await;
    (reply, sealed)
}

async fn generate_is_normal(emulator: &Emulator) {
    let (reply, sealed) = generate_raw(emulator).await;
    assert_eq!(open(emulator, &reply, &sealed)["status"], "success");
}

#[tokio::test]
async fn a_status_fault_answers_the_operators_500_body_with_retry_after_then_expires() {
    let emulator = emulator();
    let reply = set_faults(
        &emulator,
        json!([{"endpoint": "generate", "kind": "status", "status": 503, "retry_after": 2, "count": 1}]),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.json()["faults"][0]["count"], 1);
    let (reply, _) = generate_raw(&emulator).await;
    reply.assert_error(503, "unknown", "Unknown error while generating token v2");
    assert_eq!(reply.header("retry-after"), Some("2"));
    generate_is_normal(&emulator).await;
    let counters = emulator.counters().generate;
    assert_eq!(
        (counters.requests, counters.outcome("fault_status"), counters.outcome("success")),
        (2, 1, 1)
    );
}

#[tokio::test]
async fn a_status_fault_can_carry_any_body() {
    let emulator = emulator();
    set_faults(
        &emulator,
        json!([
            {"kind": "status", "status": 429, "body": {"status": "unknown", "message": "slow down"}, "count": 1},
            {"kind": "status", "status": 500, "body": "Internal Server Error", "count": 1},
        ]),
    )
    .await;
    generate_raw(&emulator).await.0.assert_error(429, "unknown", "slow down");
    let (reply, _) = generate_raw(&emulator).await;
    assert_eq!(reply.status.as_u16(), 500);
    assert_eq!(reply.header("content-type"), Some("text/plain"));
    assert_eq!(&reply.body[..], b"Internal Server Error");
}

#[tokio::test]
async fn a_latency_fault_delays_a_normal_answer() {
    let emulator = emulator();
    emulator
        .set_faults(vec![
            Fault::new(FaultEndpoint::Any, FaultKind::Latency { latency_ms: 300 }).times(1)
        ])
        .unwrap();
    let started = Instant::now();
    generate_is_normal(&emulator).await;
    assert!(started.elapsed().as_millis() >= 300);
    let counters = emulator.counters().generate;
    assert_eq!((counters.outcome("fault_latency"), counters.outcome("success")), (1, 1));
}

#[tokio::test]
async fn a_close_fault_drops_the_connection_without_an_answer() {
    let emulator = emulator();
    set_faults(&emulator, json!([{"kind": "close", "count": 1}])).await;
    let sealed = seal(&emulator, &payload());
    let result = send(
        emulator.url(),
        Method::POST,
        GENERATE,
        &[("authorization", &format!("Bearer {}", emulator.api_key()))],
        sealed.base64(),
    )
    .await;
    assert!(result.is_err(), "{result:?}");
    generate_is_normal(&emulator).await;
    assert_eq!(emulator.counters().generate.outcome("fault_close"), 1);
}

#[tokio::test]
async fn a_garbage_fault_answers_200_with_random_bytes() {
    let emulator = emulator();
    set_faults(&emulator, json!([{"kind": "garbage", "count": 1}])).await;
    let (reply, sealed) = generate_raw(&emulator).await;
    assert_eq!(reply.status.as_u16(), 200);
    let decoded = STANDARD.decode(&reply.body);
    let opened = decoded.map(|bytes| open_response(&secret(&emulator), &bytes, &sealed.nonce));
    assert!(!matches!(opened, Ok(Ok(_))));
}

#[tokio::test]
async fn a_truncate_fault_cuts_the_real_body_in_half() {
    let emulator = emulator();
    let (normal, _) = generate_raw(&emulator).await;
    set_faults(&emulator, json!([{"kind": "truncate", "count": 1}])).await;
    let (reply, sealed) = generate_raw(&emulator).await;
    assert_eq!(reply.status.as_u16(), 200);
    assert_eq!(reply.body.len(), normal.body.len() / 2);
    let decoded = STANDARD.decode(&reply.body);
    let opened = decoded.map(|bytes| open_response(&secret(&emulator), &bytes, &sealed.nonce));
    assert!(!matches!(opened, Ok(Ok(_))));
}

#[tokio::test]
async fn a_wrong_key_fault_seals_with_another_key_on_generate_and_refresh() {
    let emulator = emulator();
    let identity = generate_identity(&emulator, &payload()).await;
    emulator
        .set_faults(vec![Fault::new(FaultEndpoint::Any, FaultKind::WrongKey).times(2)])
        .unwrap();
    let (reply, sealed) = generate_raw(&emulator).await;
    assert_eq!(reply.status.as_u16(), 200);
    let bytes = STANDARD.decode(&reply.body).unwrap();
    assert_eq!(
        open_response(&secret(&emulator), &bytes, &sealed.nonce),
        Err(ProtocolError::AuthenticationFailed)
    );
    let reply = refresh(&emulator, &identity, true).await;
    assert_eq!(reply.status.as_u16(), 200);
    let key =
        euid_core::SecretKey::from_base64(identity["refresh_response_key"].as_str().unwrap(), "k")
            .unwrap();
    let bytes = STANDARD.decode(&reply.body).unwrap();
    assert!(euid_core::envelope::open_refresh_response(&key, &bytes).is_err());
    assert_eq!(emulator.counters().refresh.outcome("fault_wrong_key"), 1);
}

#[tokio::test]
async fn a_wrong_nonce_fault_echoes_another_nonce() {
    let emulator = emulator();
    set_faults(&emulator, json!([{"endpoint": "generate", "kind": "wrong_nonce", "count": 1}]))
        .await;
    let (reply, sealed) = generate_raw(&emulator).await;
    let bytes = STANDARD.decode(&reply.body).unwrap();
    assert_eq!(
        open_response(&secret(&emulator), &bytes, &sealed.nonce),
        Err(ProtocolError::NonceMismatch)
    );
    generate_is_normal(&emulator).await;
}

#[tokio::test]
async fn an_html_fault_answers_a_load_balancers_502_page() {
    let emulator = emulator();
    set_faults(&emulator, json!([{"endpoint": "refresh", "kind": "html"}])).await;
    generate_is_normal(&emulator).await;
    let reply = post(&emulator, "/v2/token/refresh", None, None, "x").await;
    assert_eq!(reply.status.as_u16(), 502);
    assert_eq!(reply.header("content-type"), Some("text/html"));
    assert!(String::from_utf8_lossy(&reply.body).contains("502 Bad Gateway"));
    assert_eq!(emulator.counters().refresh.outcome("fault_html"), 1);
}

#[tokio::test]
async fn faults_apply_in_order_first_match_wins_and_counts_run_out() {
    let emulator = emulator();
    set_faults(
        &emulator,
        json!([
            {"endpoint": "validate", "kind": "close"},
            {"endpoint": "generate", "kind": "status", "status": 500, "count": 2},
            {"endpoint": "any", "kind": "html", "count": 1},
        ]),
    )
    .await;
    assert_eq!(generate_raw(&emulator).await.0.status.as_u16(), 500);
    let listed = control(&emulator, Method::GET, "/emulator/faults", Value::Null).await.json();
    assert_eq!(listed["faults"][1]["count"], 1);
    assert_eq!(generate_raw(&emulator).await.0.status.as_u16(), 500);
    assert_eq!(generate_raw(&emulator).await.0.status.as_u16(), 502);
    generate_is_normal(&emulator).await;
    assert_eq!(emulator.faults().len(), 1);
    let reply = control(&emulator, Method::DELETE, "/emulator/faults", Value::Null).await;
    assert_eq!(reply.json(), json!({"faults": []}));
    assert!(emulator.faults().is_empty());
}

#[tokio::test]
async fn probability_zero_never_fires_and_one_always_does() {
    let emulator = emulator();
    set_faults(
        &emulator,
        json!([
            {"kind": "html", "probability": 0.0},
            {"kind": "status", "status": 503, "probability": 1.0, "count": 3},
        ]),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(generate_raw(&emulator).await.0.status.as_u16(), 503);
    }
    generate_is_normal(&emulator).await;
    assert_eq!(emulator.counters().generate.outcome("fault_html"), 0);
}

#[tokio::test]
async fn malformed_fault_lists_are_refused_and_leave_the_list_unchanged() {
    let emulator = emulator();
    set_faults(&emulator, json!([{"kind": "html", "count": 1}])).await;
    for faults in [
        json!([{"kind": "explode"}]),
        json!([{"kind": "status", "probability": 2.0}]),
        json!([{"kind": "latency"}]),
        json!([{"endpoint": "everything", "kind": "close"}]),
    ] {
        let reply = set_faults(&emulator, faults).await;
        assert_eq!(reply.status.as_u16(), 400);
        assert!(reply.json()["error"].is_string());
    }
    assert_eq!(emulator.faults().len(), 1);
}
