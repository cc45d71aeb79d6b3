//! `tests/vectors/manager.json`: identity manager scenarios against the emulator.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use euid_core::{
    Dii, Environment, GenerateOutcome, GenerateRequest, IdentityManager, IdentityStatus,
    IdentityStore, MemoryStore, OffsetClock, PublisherClient, RetryPolicy, TokenAnswer,
};
use euid_emulator::{Emulator, Fault};
use serde_json::{Map, Value};

use crate::support::emulator;

struct Scenario {
    emulator: Emulator,
    manager: IdentityManager,
    store: Arc<MemoryStore>,
    clock: Arc<OffsetClock>,
    last_token: HashMap<String, String>,
}

fn text<'a>(step: &'a Map<String, Value>, field: &str) -> &'a str {
    step.get(field).and_then(Value::as_str).unwrap_or_else(|| panic!("missing `{field}`"))
}

fn dii(spec: &Value) -> Dii {
    let value = spec["value"].as_str().unwrap();
    match spec["type"].as_str().unwrap() {
        "email" => Dii::email(value).unwrap(),
        "phone" => Dii::phone(value).unwrap(),
        "email_hash" => Dii::email_hash(value).unwrap(),
        "phone_hash" => Dii::phone_hash(value).unwrap(),
        other => panic!("unknown dii type {other}"),
    }
}

impl Scenario {
    fn new(client_settings: &Value) -> Scenario {
        let emulator = emulator();
        let clock = Arc::new(OffsetClock::new());
        let client = PublisherClient::builder(
            Environment::Custom(emulator.url().into()),
            emulator.api_key(),
            &emulator.client_secret(),
        )
        .retry_policy(RetryPolicy {
            max_retries: u32::try_from(client_settings["max_retries"].as_u64().unwrap()).unwrap(),
            ..RetryPolicy::default()
        })
        .timeout(Duration::from_millis(client_settings["timeout_ms"].as_u64().unwrap()))
        .clock(clock.clone())
        .build()
        .unwrap();
        let store = Arc::new(MemoryStore::new());
        let manager = IdentityManager::with_options(client, store.clone(), clock.clone(), None);
        Scenario { emulator, manager, store, clock, last_token: HashMap::new() }
    }

    fn check_token(&mut self, user: &str, token: &str, expected: &str) -> Result<(), String> {
        let previous = self.last_token.insert(user.to_owned(), token.to_owned());
        let same = previous.as_deref() == Some(token);
        match expected {
            "same" if same => Ok(()),
            "new" if !same => Ok(()),
            _ => Err(format!("expected a {expected} token")),
        }
    }

    async fn step(&mut self, step: &Map<String, Value>) -> Result<(), String> {
        let op = text(step, "op");
        match op {
            "establish" => {
                let user = text(step, "user");
                let mut request = GenerateRequest::new(dii(&step["dii"]));
                if let Some(consent) = step.get("tcf_consent_string").and_then(Value::as_str) {
                    request = request.with_tcf_consent_string(consent).unwrap();
                }
                let outcome = self.manager.establish(user, &request).await;
                match (&outcome, &step["expect"]) {
                    (Ok(outcome), Value::String(expected)) if outcome.name() == expected => {
                        if let GenerateOutcome::Success(identity) = outcome {
                            self.last_token
                                .insert(user.to_owned(), identity.advertising_token.clone());
                        }
                        Ok(())
                    }
                    (Err(err), Value::Object(expected))
                        if expected["error"] == err.kind().as_str() =>
                    {
                        Ok(())
                    }
                    (got, expected) => Err(format!("expected {expected}, got {got:?}")),
                }
            }
            "token" => {
                let user = text(step, "user");
                let expected = &step["expect"];
                match self.manager.advertising_token(user).await {
                    Ok(TokenAnswer::Token(token)) if expected["answer"] == "token" => {
                        self.check_token(user, &token, expected["token"].as_str().unwrap())
                    }
                    Ok(answer) if expected["answer"] == answer.name() => Ok(()),
                    Err(err) if expected["error"] == err.kind().as_str() => Ok(()),
                    got => Err(format!("expected {expected}, got {got:?}")),
                }
            }
            "status" => {
                let status = self.manager.status(text(step, "user")).unwrap();
                let expected = IdentityStatus::from_name(text(step, "expect")).unwrap();
                (status == expected).then_some(()).ok_or(format!("status {status:?}"))
            }
            "logout" => self.manager.logout(text(step, "user")).map_err(|err| err.to_string()),
            "advance" => {
                let ms = step["ms"].as_i64().unwrap();
                self.emulator.advance_clock_ms(ms);
                self.clock.advance_ms(ms);
                Ok(())
            }
            "faults" => {
                let faults: Vec<Fault> = serde_json::from_value(step["faults"].clone()).unwrap();
                self.emulator.set_faults(faults).map_err(|err| err.to_string())
            }
            "clear_faults" => {
                self.emulator.clear_faults();
                Ok(())
            }
            "operator_opt_out" => {
                self.emulator.opt_out_email(text(step, "email")).map_err(|err| err.to_string())
            }
            "corrupt_refresh_token" => {
                let user = text(step, "user");
                let mut identity = self.store.load(user).unwrap().unwrap();
                identity.refresh_token = "not-a-v2-refresh-token".into();
                self.store.save(user, &identity).unwrap();
                Ok(())
            }
            other => Err(format!("unknown op `{other}`")),
        }
    }

    fn check_after(&self, step: &Map<String, Value>) -> Result<(), String> {
        if let Some(Value::Object(store)) = step.get("store") {
            for (user, expected) in store {
                let state = match (self.store.load(user), self.store.is_opted_out(user)) {
                    (Ok(Some(_)), Ok(false)) => "identity",
                    (Ok(None), Ok(true)) => "opted_out",
                    (Ok(None), Ok(false)) => "none",
                    other => return Err(format!("store for {user}: {other:?}")),
                };
                if expected != state {
                    return Err(format!("store for {user}: expected {expected}, got {state}"));
                }
            }
        }
        if let Some(Value::Object(requests)) = step.get("requests") {
            let counters = self.emulator.counters();
            for (endpoint, expected) in requests {
                let actual = match endpoint.as_str() {
                    "generate" => counters.generate.requests,
                    "refresh" => counters.refresh.requests,
                    "validate" => counters.validate.requests,
                    other => return Err(format!("unknown endpoint {other}")),
                };
                if expected.as_u64() != Some(actual) {
                    return Err(format!("{endpoint} requests: expected {expected}, got {actual}"));
                }
            }
        }
        Ok(())
    }
}

#[tokio::test]
async fn every_manager_scenario() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/manager.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = document["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut scenario = Scenario::new(&document["client"]);
        for (index, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            let step = step.as_object().unwrap();
            let result = match scenario.step(step).await {
                Ok(()) => scenario.check_after(step),
                Err(err) => Err(err),
            };
            if let Err(problem) = result {
                failures.push(format!("{name} step {index} ({}): {problem}", step["op"]));
                break;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n  {}",
        failures.len(),
        cases.len(),
        failures.join("\n  ")
    );
    assert!(!cases.is_empty());
}
