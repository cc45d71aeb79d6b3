//! Clock drift against an emulator that, like the operator, sends no `Date` header: the offset
//! is learned from the timestamp of each successful answer; a `Date` header, where a load
//! balancer adds one, corrects a rejection; with neither, the error says to synchronize.

use std::sync::Arc;
use std::time::{Duration, Instant};

use euid_core::{Dii, Error, ErrorKind, OffsetClock, PublisherClient};
use euid_emulator::{Emulator, Fault, FaultEndpoint, FaultKind};

use crate::support::{builder, email, emulator, Recorder};

const MINUTE_MS: i64 = 60_000;
const PLAIN_ADVICE: &str = "this machine's clock is off from the operator's by more than the \
                            operator accepts (about 2 minutes), and no answer of the operator \
                            has shown by how much; synchronize this machine's clock (NTP)";

/// A client of `emulator` reading `clock`.
fn client_on(emulator: &Emulator, clock: &Arc<OffsetClock>) -> PublisherClient {
    builder(emulator).clock(clock.clone()).build().unwrap()
}

/// The emulator's clock minus the client's, as the test set them.
fn true_offset_ms(emulator: &Emulator, clock: &OffsetClock) -> i64 {
    emulator.clock_offset_ms() - clock.offset_ms()
}

/// How far the learned offset is from the truth, checked against what one answer can show:
/// half the call's duration (the sample's round trip is shorter) and 2 ms of rounding.
fn learned_error_ms(
    client: &PublisherClient,
    emulator: &Emulator,
    clock: &OffsetClock,
    elapsed: Duration,
) -> i64 {
    let error = client.clock_offset_ms() - true_offset_ms(emulator, clock);
    let bound = i64::try_from(elapsed.as_millis()).unwrap() / 2 + 2;
    assert!(error.abs() <= bound, "learned offset off by {error} ms, more than {bound} ms");
    error
}

async fn generate_ok(client: &PublisherClient) -> Duration {
    let started = Instant::now();
    let outcome = client.generate_token(&email("u@example.com")).await.unwrap();
    assert!(outcome.identity().is_some(), "{outcome:?}");
    started.elapsed()
}

#[tokio::test]
async fn without_a_date_header_a_clock_five_minutes_off_fails_at_once_and_plainly() {
    for client_ahead_ms in [5 * MINUTE_MS, -5 * MINUTE_MS] {
        let emulator = emulator();
        let clock = Arc::new(OffsetClock::new());
        clock.set_offset_ms(client_ahead_ms);
        let client = client_on(&emulator, &clock);
        for call in 1..=2 {
            let err = client.generate_token(&email("u@example.com")).await.unwrap_err();
            assert!(matches!(err, Error::ClockDrift { corrected_by_ms: None, .. }), "{err:?}");
            let text = err.to_string();
            assert!(text.starts_with(&format!("clock drift: {PLAIN_ADVICE}")), "{text}");
            assert!(
                text.ends_with(
                    "(operator: Invalid timestamp: Request too old or client time drift.)"
                ),
                "{text}"
            );
            assert_eq!(
                client.clock_offset_ms(),
                0,
                "a rejection without a Date header teaches nothing"
            );
            // Nothing to correct with: no second request.
            assert_eq!(emulator.counters().generate.requests, call);
        }
    }
}

#[tokio::test]
async fn a_client_that_learned_the_offset_follows_a_clock_drifting_five_minutes() {
    for step_ms in [30_000, -30_000] {
        let emulator = emulator();
        let clock = Arc::new(OffsetClock::new());
        let client = client_on(&emulator, &clock);
        let dii = Dii::email("validate@example.com").unwrap();
        let request = euid_core::GenerateRequest::new(dii.clone());
        let started = Instant::now();
        let token = client.generate_token(&request).await.unwrap().identity().unwrap().clone();
        // The first answer's round trip includes connecting: its sample is the least precise.
        let first = learned_error_ms(&client, &emulator, &clock, started.elapsed());
        let mut worst = 0;
        // 30 s a call, 10 calls: each request is off by one step (inside the operator's
        // window) and its answer teaches the new offset. Validate answers teach it too.
        for step in 1..=10 {
            emulator.advance_clock_ms(step_ms);
            let elapsed = if step % 2 == 0 {
                generate_ok(&client).await
            } else {
                let started = Instant::now();
                assert!(client.validate_token(&token.advertising_token, &dii).await.unwrap());
                started.elapsed()
            };
            worst = worst.max(learned_error_ms(&client, &emulator, &clock, elapsed).abs());
        }
        assert_eq!(true_offset_ms(&emulator, &clock).abs() / 1_000, 300, "5 minutes away now");
        // Each step is already bounded by its own round trip (learned_error_ms); overall the
        // estimate stays far inside the operator's 2-minute window.
        assert!(worst < 1_000, "worst error {worst} ms");
        eprintln!("step {step_ms} ms: first sample off by {first} ms, then at worst {worst} ms");
        let counters = emulator.counters();
        assert_eq!(counters.generate.outcome("client_error"), 0);
        assert_eq!(counters.validate.outcome("client_error"), 0);
        assert_eq!(counters.generate.outcome("success") + counters.validate.outcome("success"), 11);
        // A client that learned nothing is now refused: the learning is what kept it working.
        let fresh = client_on(&emulator, &clock);
        let err = fresh.generate_token(&email("u@example.com")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ClockDrift);
    }
}

#[tokio::test]
async fn with_a_date_header_a_rejection_is_corrected_once_then_refined_to_the_ms() {
    for operator_ahead_ms in [5 * MINUTE_MS, -5 * MINUTE_MS] {
        let emulator = emulator();
        emulator.advance_clock_ms(operator_ahead_ms);
        emulator.set_date_header(true); // the operator sends none; a load balancer may
        let clock = Arc::new(OffsetClock::new());
        let client = client_on(&emulator, &clock);
        let elapsed = generate_ok(&client).await;
        // The Date header (whole seconds) corrected the retry; its answer's timestamp refined it.
        learned_error_ms(&client, &emulator, &clock, elapsed);
        generate_ok(&client).await;
        let counts = emulator.counters().generate;
        assert_eq!(counts.outcome("client_error"), 1, "one rejection, then corrected");
        assert_eq!(counts.outcome("success"), 2);
    }
}

#[tokio::test]
async fn a_slow_answer_is_trusted_only_until_a_faster_one_comes() {
    let emulator = emulator();
    let clock = Arc::new(OffsetClock::new());
    let client = client_on(&emulator, &clock);
    let slow = Fault::new(FaultEndpoint::Generate, FaultKind::Latency { latency_ms: 1_200 });
    // Nothing learned yet: a slow answer is the best there is. The emulator read its clock
    // at the end of the wait, so the midpoint guess is about 600 ms off, within its bound.
    emulator.set_faults(vec![slow.clone().times(1)]).unwrap();
    let elapsed = generate_ok(&client).await;
    assert!(learned_error_ms(&client, &emulator, &clock, elapsed) >= 400);
    // A fast answer is more precise: it replaces the slow one.
    let elapsed = generate_ok(&client).await;
    let fast_error = learned_error_ms(&client, &emulator, &clock, elapsed);
    let learned = client.clock_offset_ms();
    // Another slow answer agrees with it within its own bound: it is not trusted over it.
    emulator.set_faults(vec![slow.times(1)]).unwrap();
    assert!(generate_ok(&client).await >= Duration::from_millis(1_200));
    assert_eq!(client.clock_offset_ms(), learned);
    eprintln!("fast sample error {fast_error} ms; the slow sample was ignored");
}

#[tokio::test]
async fn a_correction_proven_wrong_is_dropped_and_the_request_sent_once_more() {
    let emulator = emulator();
    emulator.set_date_header(true);
    let clock = Arc::new(OffsetClock::new());
    clock.set_offset_ms(5 * MINUTE_MS);
    let client = client_on(&emulator, &clock);
    generate_ok(&client).await;
    assert!((client.clock_offset_ms() + 5 * MINUTE_MS).abs() < 1_000);
    // NTP fixes this machine's clock; the load balancer is gone.
    clock.set_offset_ms(0);
    emulator.set_date_header(false);
    let elapsed = generate_ok(&client).await;
    learned_error_ms(&client, &emulator, &clock, elapsed);
    let counts = emulator.counters().generate;
    assert_eq!(counts.outcome("client_error"), 2, "one rejection per clock change");
    assert_eq!(counts.outcome("success"), 2);
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
    let client = recorder.client("");
    let err = client.generate_token(&email("u@example.com")).await.unwrap_err();
    let Error::ClockDrift { corrected_by_ms: Some(corrected), .. } = err else { panic!("{err:?}") };
    // The retry carried the Date header's reading (whole seconds; a few ms pass between reads).
    assert!((corrected - client.clock_offset_ms()).abs() < 100, "{corrected}");
    assert!(err_text_mentions_ntp(&client).await);
    assert_eq!(recorder.recorded().len(), 4);
}

/// Another rejected call, whose message says to synchronize.
async fn err_text_mentions_ntp(client: &PublisherClient) -> bool {
    let err = client.generate_token(&email("u@example.com")).await.unwrap_err();
    let text = err.to_string();
    text.contains("though corrected by") && text.contains("synchronize this machine's clock (NTP)")
}

#[tokio::test]
async fn a_raw_server_without_a_date_header_gets_one_request() {
    let recorder = Recorder::start(400, "application/json", INVALID_TIMESTAMP, &[]);
    let client = recorder.client("");
    let err = client.generate_token(&email("u@example.com")).await.unwrap_err();
    assert!(err.to_string().contains(PLAIN_ADVICE), "{err}");
    // This raw server sends no Date header: nothing to correct with.
    assert_eq!(recorder.recorded().len(), 1);
    assert_eq!(client.clock_offset_ms(), 0);
}
