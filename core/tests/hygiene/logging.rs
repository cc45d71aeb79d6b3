//! The log records of a refresh with one retry: what they say, and what they never say.

use std::sync::{Mutex, OnceLock};

use euid_core::{Dii, Environment, GenerateRequest, PublisherClient, RetryPolicy};
use euid_emulator::{Emulator, EmulatorConfig, Fault, FaultEndpoint, FaultKind};

use crate::{assert_clean, API_KEY, EMAIL};

#[derive(Default)]
struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        self.0.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::default());
        log::set_logger(capture).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
        capture
    })
}

#[test]
fn a_refresh_with_a_retry_is_logged_without_secrets() {
    let capture = capture();
    let emulator = Emulator::start(EmulatorConfig {
        api_key: Some(API_KEY.into()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let client = PublisherClient::builder(
        Environment::Custom(emulator.url().into()),
        API_KEY,
        &emulator.client_secret(),
    )
    .retry_policy(RetryPolicy { max_retries: 2, ..RetryPolicy::default() })
    .build()
    .unwrap();
    let blocking = euid_core::blocking::PublisherClient::from_async(client);
    let request = GenerateRequest::new(Dii::email(EMAIL).unwrap());
    let identity = blocking.generate_token(&request).unwrap().identity().unwrap().clone();
    emulator
        .set_faults(vec![Fault::new(
            FaultEndpoint::Refresh,
            FaultKind::Status { status: 503, retry_after: None, body: None },
        )
        .times(1)])
        .unwrap();
    let refreshed = blocking.refresh_token(&identity).unwrap().identity().unwrap().clone();
    drop(emulator);

    let lines = capture.0.lock().unwrap().clone();
    let ours: Vec<&String> = lines.iter().filter(|line| line.contains(" euid_core")).collect();
    let text = ours.iter().map(|line| line.as_str()).collect::<Vec<_>>().join("\n");
    assert!(text.contains("POST /v2/token/refresh -> HTTP 503"), "{text}");
    assert!(
        text.contains("INFO euid_core::client refresh: operator server error (HTTP 503)"),
        "{text}"
    );
    assert!(text.contains("retry 1 of 2"), "{text}");
    assert!(text.contains("POST /v2/token/refresh -> HTTP 200"), "{text}");
    assert!(text.contains("refresh answered refreshed"), "{text}");
    // Every record, the HTTP stack's included, is free of secrets.
    let all = lines.join("\n");
    let key_prefix = &identity.refresh_response_key.clone().unwrap()[..12];
    assert_clean(
        "logs",
        &all,
        &[
            API_KEY,
            EMAIL,
            &identity.advertising_token[..16],
            &identity.refresh_token[..16],
            key_prefix,
            &refreshed.advertising_token[..16],
            &refreshed.refresh_token[..16],
        ],
    );
}
