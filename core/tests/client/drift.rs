//! Clock drift: corrected once from the operator's `Date` header, then remembered.

use euid_core::{Error, ErrorKind};

use crate::support::{client, email, emulator, Recorder};

#[tokio::test]
async fn a_clock_ten_minutes_behind_is_corrected_once_and_remembered() {
    for offset in [10 * 60_000, -10 * 60_000] {
        let emulator = emulator();
        emulator.advance_clock_ms(offset);
        emulator.set_date_header(true); // the operator sends none; a load balancer may
        let client = client(&emulator);
        assert!(client.generate_token(&email("u@example.com")).await.unwrap().identity().is_some());
        assert!((client.clock_offset_ms() - offset).abs() < 2_000, "{}", client.clock_offset_ms());
        assert!(client.generate_token(&email("u@example.com")).await.is_ok());
        let counts = emulator.counters().generate;
        assert_eq!(counts.outcome("client_error"), 1, "one rejection, then corrected");
        assert_eq!(counts.outcome("success"), 2);
    }
}

const INVALID_TIMESTAMP: &[u8] =
    br#"{"status":"client_error","message":"Invalid timestamp: Request too old or client time drift."}"#;

#[tokio::test]
async fn the_correction_is_tried_only_once() {
    let recorder = Recorder::start(
        400,
        "application/json",
        INVALID_TIMESTAMP,
        &[("Date", "Tue, 24 Nov 2026 10:00:00 GMT")],
    );
    let err = recorder.client("").generate_token(&email("u@example.com")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ClockDrift);
    assert_eq!(recorder.recorded().len(), 2);
}

#[tokio::test]
async fn without_a_date_header_drift_is_reported_at_once() {
    let recorder = Recorder::start(400, "application/json", INVALID_TIMESTAMP, &[]);
    let client = recorder.client("");
    let err = client.generate_token(&email("u@example.com")).await.unwrap_err();
    assert!(matches!(err, Error::ClockDrift { .. }), "{err:?}");
    // hyper adds a Date header to every answer; this raw server does not.
    assert_eq!(recorder.recorded().len(), 1);
    assert_eq!(client.clock_offset_ms(), 0);
}
