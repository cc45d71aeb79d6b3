//! `tests/vectors/faults.json`: the emulator misbehaves; the client and the manager answer with
//! a typed error or outcome, within bounded requests and time, and lose nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use euid_core::{
    Environment, Error, Identity, IdentityManager, IdentityStore, MemoryStore, OffsetClock,
    PublisherClient, RetryPolicy, TokenAnswer,
};
use euid_emulator::{Emulator, Fault};
use serde_json::Value;

use crate::support::{email, emulator, HOUR_MS};

fn client(emulator: &Emulator, settings: &Value, clock: Arc<OffsetClock>) -> PublisherClient {
    let ms = |field: &str| Duration::from_millis(settings[field].as_u64().unwrap());
    PublisherClient::builder(
        Environment::Custom(emulator.url().into()),
        emulator.api_key(),
        &emulator.client_secret(),
    )
    .retry_policy(RetryPolicy {
        max_retries: u32::try_from(settings["max_retries"].as_u64().unwrap()).unwrap(),
        ..RetryPolicy::default()
    })
    .timeout(ms("timeout_ms"))
    .deadline(ms("deadline_ms"))
    .clock(clock)
    .build()
    .unwrap()
}

fn endpoint_requests(emulator: &Emulator, call: &str) -> u64 {
    let counters = emulator.counters();
    if call == "generate" {
        counters.generate.requests
    } else {
        counters.refresh.requests
    }
}

/// `operator_clock_drift`: one successful `call`, then `steps - 1` times a move of the
/// emulator's clock by `step_ms` and a successful `call`, then one move more, so the checked
/// call is one step from what the client last learned.
async fn drift_client_first<F, Fut>(
    case: &Value,
    emulator: &Emulator,
    call: F,
) -> Result<(), String>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let drift = &case["operator_clock_drift"];
    if drift.is_null() {
        return Ok(());
    }
    let step_ms = drift["step_ms"].as_i64().unwrap();
    let steps = drift["steps"].as_u64().unwrap();
    call().await.map_err(|err| format!("the first call failed: {err}"))?;
    for step in 1..steps {
        emulator.advance_clock_ms(step_ms);
        call().await.map_err(|err| format!("drift step {step} failed: {err}"))?;
    }
    emulator.advance_clock_ms(step_ms);
    Ok(())
}

/// `operator_clock_offset_ms` moves only the emulator's clock; `date_header` makes it send a
/// `Date` header, as a load balancer might (the operator sends none).
fn move_operator_clock(case: &Value, emulator: &Emulator) {
    if let Some(offset) = case["operator_clock_offset_ms"].as_i64() {
        emulator.advance_clock_ms(offset);
    }
    emulator.set_date_header(case["date_header"] == true);
}

/// Applies the case's faults (or stops the operator). Returns the emulator if still running.
fn inject(case: &Value, emulator: Emulator) -> Option<Emulator> {
    if case["kill_operator"] == true {
        drop(emulator);
        return None;
    }
    let faults: Vec<Fault> = serde_json::from_value(case["faults"].clone()).unwrap();
    emulator.set_faults(faults).unwrap();
    Some(emulator)
}

/// Checks `result` (`Ok` = success) against `expect`.
fn check_result(case: &Value, result: &Result<(), Error>) -> Result<(), String> {
    match (&case["expect"]["outcome"], &case["expect"]["error"], result) {
        (Value::String(outcome), _, Ok(())) if outcome == "success" => Ok(()),
        (_, _, Err(err)) if !message_matches(case, err) => Err(format!(
            "the message {:?} lacks {}",
            err.to_string(),
            case["error_message_contains"]
        )),
        (_, Value::String(kind), Err(err)) if kind == err.kind().as_str() => Ok(()),
        (_, Value::Array(kinds), Err(err)) if kinds.iter().any(|k| k == err.kind().as_str()) => {
            Ok(())
        }
        (_, _, got) => Err(format!("expected {}, got {got:?}", case["expect"])),
    }
}

/// Whether the error's message holds `error_message_contains`, when the case has one.
fn message_matches(case: &Value, err: &Error) -> bool {
    case["error_message_contains"].as_str().is_none_or(|part| err.to_string().contains(part))
}

/// Checks the requests the operator counted during the call (if it still runs) and the time.
fn check_bounds(
    case: &Value,
    emulator: &Option<Emulator>,
    before: u64,
    elapsed: Duration,
) -> Result<(), String> {
    let call = case["call"].as_str().unwrap();
    if let Some(emulator) = emulator {
        let requests = endpoint_requests(emulator, call) - before;
        let (min, max) = match &case["requests"] {
            Value::Number(n) => (n.as_u64().unwrap(), n.as_u64().unwrap()),
            range => (range["min"].as_u64().unwrap(), range["max"].as_u64().unwrap()),
        };
        if !(min..=max).contains(&requests) {
            return Err(format!("{requests} requests, expected {}", case["requests"]));
        }
    }
    let limit = Duration::from_millis(case["max_elapsed_ms"].as_u64().unwrap());
    if elapsed > limit {
        return Err(format!("took {elapsed:?}, more than {limit:?}"));
    }
    Ok(())
}

async fn through_client(case: &Value, settings: &Value) -> Result<(), String> {
    let call = case["call"].as_str().unwrap();
    let emulator = emulator();
    let client = client(&emulator, settings, Arc::new(OffsetClock::new()));
    let identity = match call {
        "refresh" => {
            client.generate_token(&email("u@example.com")).await.unwrap().identity().cloned()
        }
        _ => None,
    };
    drift_client_first(case, &emulator, || async {
        client.generate_token(&email("u@example.com")).await.map(|_| ())
    })
    .await?;
    move_operator_clock(case, &emulator);
    let before = endpoint_requests(&emulator, call);
    let emulator = inject(case, emulator);
    let started = Instant::now();
    let result = match &identity {
        Some(identity) => client.refresh_token(identity).await.map(|outcome| {
            assert!(outcome.identity().is_some(), "{outcome:?}");
        }),
        None => client.generate_token(&email("u@example.com")).await.map(|outcome| {
            assert!(outcome.identity().is_some(), "{outcome:?}");
        }),
    };
    let elapsed = started.elapsed();
    check_result(case, &result)?;
    check_bounds(case, &emulator, before, elapsed)
}

async fn through_manager(case: &Value, settings: &Value) -> Result<(), String> {
    let call = case["call"].as_str().unwrap();
    let emulator = emulator();
    let clock = Arc::new(OffsetClock::new());
    let store = Arc::new(MemoryStore::new());
    let manager = IdentityManager::with_options(
        client(&emulator, settings, clock.clone()),
        store.clone(),
        clock.clone(),
        None,
    );
    let mut stored: Option<Identity> = None;
    if call == "refresh" {
        manager.establish("u", &email("u@example.com")).await.unwrap();
        stored = store.load("u").unwrap();
        emulator.advance_clock_ms(HOUR_MS);
        clock.advance_ms(HOUR_MS);
    }
    drift_client_first(case, &emulator, || async {
        manager.establish("u", &email("u@example.com")).await.map(|_| ())
    })
    .await?;
    move_operator_clock(case, &emulator);
    let before = endpoint_requests(&emulator, call);
    let emulator = inject(case, emulator);
    let started = Instant::now();
    let expects_success = case["expect"]["outcome"] == "success";
    if call == "refresh" {
        // While the token is valid a failure is hidden: the current token comes back.
        let old_token = stored.as_ref().unwrap().advertising_token.clone();
        match manager.advertising_token("u").await {
            Ok(TokenAnswer::Token(token)) if expects_success && token != old_token => {}
            Ok(TokenAnswer::Token(token)) if !expects_success && token == old_token => {
                if store.load("u").unwrap() != stored {
                    return Err("the stored identity changed after a failure".into());
                }
            }
            other => return Err(format!("manager answered {other:?}")),
        }
    } else {
        let result = manager.establish("u", &email("u@example.com")).await.map(|_| ());
        let has_identity = store.load("u").unwrap().is_some();
        if has_identity != result.is_ok() {
            return Err(format!("stored an identity: {has_identity} after {result:?}"));
        }
        check_result(case, &result)?;
    }
    check_bounds(case, &emulator, before, started.elapsed())
}

/// Every field a case may have.
const CASE_FIELDS: &[&str] = &[
    "name",
    "call",
    "faults",
    "expect",
    "requests",
    "max_elapsed_ms",
    "kill_operator",
    "operator_clock_offset_ms",
    "operator_clock_drift",
    "date_header",
    "error_message_contains",
    "note",
];

#[tokio::test]
async fn every_fault_scenario_through_the_client_and_the_manager() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/faults.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = document["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let unknown: Vec<&String> = case
            .as_object()
            .unwrap()
            .keys()
            .filter(|key| !CASE_FIELDS.contains(&key.as_str()))
            .collect();
        assert!(
            unknown.is_empty(),
            "{name}: unknown fields {unknown:?}: the runner must learn them"
        );
        if let Err(problem) = through_client(case, &document["client"]).await {
            failures.push(format!("{name} (client): {problem}"));
        }
        if let Err(problem) = through_manager(case, &document["client"]).await {
            failures.push(format!("{name} (manager): {problem}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n  {}", failures.len(), failures.join("\n  "));
}
