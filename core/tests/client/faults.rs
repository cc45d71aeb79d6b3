//! Retries, timeouts and broken answers, injected by the emulator and counted by it.

use std::time::{Duration, Instant};

use euid_core::{Error, ErrorKind, RetryPolicy};
use euid_emulator::{Fault, FaultEndpoint, FaultKind};

use crate::support::{builder, client, email, emulator};

fn status(code: u16) -> FaultKind {
    FaultKind::Status { status: code, retry_after: None, body: None }
}

fn generate_fault(kind: FaultKind) -> Fault {
    Fault::new(FaultEndpoint::Generate, kind)
}

#[tokio::test]
async fn a_500_and_a_503_are_retried_and_then_succeed() {
    let emulator = emulator();
    emulator
        .set_faults(vec![
            generate_fault(status(500)).times(1),
            generate_fault(status(503)).times(1),
        ])
        .unwrap();
    assert!(client(&emulator)
        .generate_token(&email("u@example.com"))
        .await
        .unwrap()
        .identity()
        .is_some());
    let counts = emulator.counters().generate;
    assert_eq!(counts.requests, 3);
    assert_eq!(counts.outcome("fault_status"), 2);
}

#[tokio::test]
async fn a_persistent_503_stops_after_the_bounded_attempts() {
    let emulator = emulator();
    emulator.set_faults(vec![generate_fault(status(503))]).unwrap();
    let err = client(&emulator).generate_token(&email("u@example.com")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(err.http_status(), Some(503));
    assert_eq!(emulator.counters().generate.requests, 3);
}

#[tokio::test]
async fn retries_wait_with_backoff() {
    let emulator = emulator();
    emulator.set_faults(vec![generate_fault(status(503))]).unwrap();
    let client = builder(&emulator)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    let started = Instant::now();
    client.generate_token(&email("u@example.com")).await.unwrap_err();
    // Delays are drawn from [50, 100] ms and then [100, 200] ms.
    assert!(started.elapsed() >= Duration::from_millis(150), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_429_is_retried_and_a_persistent_one_is_rate_limited() {
    let emulator = emulator();
    emulator.set_faults(vec![generate_fault(status(429)).times(1)]).unwrap();
    assert!(client(&emulator).generate_token(&email("u@example.com")).await.is_ok());
    assert_eq!(emulator.counters().generate.requests, 2);
    emulator.reset();
    emulator
        .set_faults(vec![generate_fault(FaultKind::Status {
            status: 429,
            retry_after: Some(30),
            body: None,
        })])
        .unwrap();
    let started = Instant::now();
    let err = client(&emulator).generate_token(&email("u@example.com")).await.unwrap_err();
    // A Retry-After beyond the deadline ends the call at once.
    assert_eq!(err, Error::RateLimited { retry_after: Some(Duration::from_secs(30)) });
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(emulator.counters().generate.requests, 1);
}

#[tokio::test]
async fn a_slow_answer_times_out_within_the_deadline() {
    let emulator = emulator();
    emulator.set_faults(vec![generate_fault(FaultKind::Latency { latency_ms: 5_000 })]).unwrap();
    let client = builder(&emulator)
        .timeout(Duration::from_millis(200))
        .deadline(Duration::from_millis(700))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.generate_token(&email("u@example.com")).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1_500), "{:?}", started.elapsed());
    assert!(emulator.counters().generate.requests >= 2);
}

#[tokio::test]
async fn a_closed_connection_is_a_network_error_after_retries() {
    let emulator = emulator();
    emulator.set_faults(vec![generate_fault(FaultKind::Close)]).unwrap();
    let err = client(&emulator).generate_token(&email("u@example.com")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(emulator.counters().generate.requests, 3);
}

#[tokio::test]
async fn broken_answers_are_protocol_errors_and_not_retried() {
    let cases = [
        (FaultKind::Garbage, &[ErrorKind::BadBase64, ErrorKind::DecryptionFailed][..]),
        (FaultKind::Truncate, &[ErrorKind::BadBase64, ErrorKind::DecryptionFailed]),
        (FaultKind::WrongKey, &[ErrorKind::DecryptionFailed]),
        (FaultKind::WrongNonce, &[ErrorKind::NonceMismatch]),
    ];
    for (fault, kinds) in cases {
        let emulator = emulator();
        emulator.set_faults(vec![generate_fault(fault.clone())]).unwrap();
        let err = client(&emulator).generate_token(&email("u@example.com")).await.unwrap_err();
        assert!(kinds.contains(&err.kind()), "{fault:?}: {err:?}");
        assert_eq!(emulator.counters().generate.requests, 1, "{fault:?}");
    }
}

#[tokio::test]
async fn an_html_502_is_a_server_error_and_is_retried() {
    let emulator = emulator();
    emulator.set_faults(vec![generate_fault(FaultKind::Html)]).unwrap();
    let err = client(&emulator).generate_token(&email("u@example.com")).await.unwrap_err();
    let Error::Server { http_status: 502, message } = &err else { panic!("{err:?}") };
    assert!(message.starts_with("an HTML page"), "{message}");
    assert_eq!(emulator.counters().generate.requests, 3);
}

#[tokio::test]
async fn a_stopped_operator_is_a_network_error() {
    let emulator = emulator();
    let client = client(&emulator);
    assert!(client.generate_token(&email("u@example.com")).await.is_ok());
    drop(emulator);
    let err = client.generate_token(&email("u@example.com")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
}

#[tokio::test]
async fn refresh_retries_transient_failures_too() {
    let emulator = emulator();
    let client = client(&emulator);
    let identity = client.generate_token(&email("u@example.com")).await.unwrap();
    let identity = identity.identity().unwrap().clone();
    emulator.set_faults(vec![Fault::new(FaultEndpoint::Refresh, status(503)).times(2)]).unwrap();
    assert!(client.refresh_token(&identity).await.unwrap().identity().is_some());
    assert_eq!(emulator.counters().refresh.requests, 3);
}
