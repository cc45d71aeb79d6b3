//! `euid demo`: the publisher flow of the EUID server-side integration guide, step by step.
//!
//! Without a target it starts the emulator in this process and moves its clock (and the SDK's,
//! in step) past `refresh_from`. Against a real operator it cannot move time, so it says so and
//! refreshes at once. It exits non-zero if any step did not behave as expected.

use std::process::ExitCode;
use std::sync::Arc;

use euid_core::blocking::PublisherClient;
use euid_core::{
    Advice, Clock, Dii, Environment, GenerateOutcome, GenerateRequest, Identity, IdentityStatus,
    Lifecycle, OffsetClock, RefreshOutcome,
};
use euid_emulator::{Emulator, EmulatorConfig};

use crate::display::{instant, short};

const SAMPLE_EMAIL: &str = "jane.doe@example.com";

/// A real operator to run against.
#[derive(Debug)]
pub struct Target {
    pub base_url: String,
    pub api_key: String,
    pub client_secret: String,
}

/// The operator the demo talks to, and whether it can move the operator's clock.
struct Operator {
    client: PublisherClient,
    clock: Arc<OffsetClock>,
    emulator: Option<Emulator>,
}

impl Operator {
    fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Moves time for the emulator and the SDK alike; false against a real operator.
    fn advance(&self, delta_ms: i64) -> bool {
        match &self.emulator {
            Some(emulator) => {
                emulator.advance_clock_ms(delta_ms);
                self.clock.advance_ms(delta_ms);
                true
            }
            None => false,
        }
    }
}

/// Counts the steps and the ones that went wrong.
#[derive(Default)]
struct Steps {
    total: usize,
    failed: Vec<String>,
}

impl Steps {
    fn say(&self, label: &str, text: &str) {
        println!("{label:<9} {text}");
    }

    fn detail(&self, text: &str) {
        println!("{:<9}   {text}", "");
    }

    fn check(&mut self, label: &str, ok: bool, what: &str) {
        self.total += 1;
        if !ok {
            println!("{:<9}   UNEXPECTED: {what}", "");
            self.failed.push(format!("{label}: {what}"));
        }
    }
}

pub fn run(target: Option<Target>) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let clock = Arc::new(OffsetClock::new());
    let (environment, api_key, client_secret, emulator) = match target {
        Some(target) => {
            (Environment::Custom(target.base_url), target.api_key, target.client_secret, None)
        }
        None => {
            let emulator = Emulator::start(EmulatorConfig::default())?;
            let (key, secret) = (emulator.api_key().to_owned(), emulator.client_secret());
            (Environment::Custom(emulator.url().to_owned()), key, secret, Some(emulator))
        }
    };
    let client = PublisherClient::from_async(
        euid_core::PublisherClient::builder(environment, &api_key, &client_secret)
            .clock(clock.clone())
            .build()?,
    );
    let operator = Operator { client, clock, emulator };
    let mut steps = Steps::default();

    match &operator.emulator {
        Some(emulator) => println!(
            "EUID publisher flow against the built-in emulator at {} (EUID production lifetimes)\n",
            emulator.url()
        ),
        None => println!("EUID publisher flow against {}\n", operator.client.as_async().base_url()),
    }
    let identity = establish(&operator, &mut steps)?;
    let identity = bid_and_refresh(&operator, &mut steps, identity)?;
    opt_outs(&operator, &mut steps)?;
    logout(&operator, &mut steps, identity);

    println!();
    if steps.failed.is_empty() {
        println!("All {} checks behaved as expected.", steps.total);
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} of {} checks did not behave as expected:", steps.failed.len(), steps.total);
        for failure in &steps.failed {
            println!("  - {failure}");
        }
        Ok(ExitCode::FAILURE)
    }
}

/// Steps 1-a to 1-f: sign-in, hash, generate, store.
fn establish(operator: &Operator, steps: &mut Steps) -> Result<Option<String>, euid_core::Error> {
    steps.say("1-a..1-c", &format!("The user signs in as {SAMPLE_EMAIL}"));
    let hash = euid_core::hash_email(SAMPLE_EMAIL)?;
    steps.say("1-d", "Normalize and SHA-256 the email here; only the hash leaves the process");
    steps.detail(&format!("{} -> email_hash {hash}", euid_core::normalize_email(SAMPLE_EMAIL)?));
    let request = GenerateRequest::new(Dii::email_hash(&hash)?);
    let outcome = operator.client.generate_token(&request)?;
    steps.say("1-e", &format!("POST /v2/token/generate -> {}", outcome.name()));
    let GenerateOutcome::Success(identity) = outcome else {
        steps.check("1-e", false, "generate did not return an identity");
        return Ok(None);
    };
    let now = operator.now_ms();
    steps.detail(&format!("advertising_token  {}", short(&identity.advertising_token)));
    steps.detail(&format!("refresh_token      {}", short(&identity.refresh_token)));
    steps.detail(&format!("refresh_from       {}", instant(identity.refresh_from, now)));
    steps.detail(&format!("identity_expires   {}", instant(identity.identity_expires, now)));
    steps.detail(&format!("refresh_expires    {}", instant(identity.refresh_expires, now)));
    let status = Lifecycle::from_identity(identity.clone(), now).status();
    steps.check(
        "1-e",
        status == IdentityStatus::Established,
        "the new identity is not established",
    );
    let stored = identity.to_json();
    steps.say(
        "1-f",
        &format!(
            "Store the whole identity with the user's session ({} bytes of JSON)",
            stored.len()
        ),
    );
    steps.check("1-f", Identity::from_json(&stored).as_ref() == Ok(&identity), "JSON round trip");
    Ok(Some(stored))
}

/// Steps 2-a and 3-a to 3-d: bid, come back later, refresh, replace.
fn bid_and_refresh(
    operator: &Operator,
    steps: &mut Steps,
    stored: Option<String>,
) -> Result<Option<String>, euid_core::Error> {
    let Some(stored) = stored else { return Ok(None) };
    let identity = Identity::from_json(&stored)?;
    steps.say(
        "2-a",
        &format!("Send the advertising token to the SSP: {}", short(&identity.advertising_token)),
    );

    let wait = identity.refresh_from - operator.now_ms() + 1_000;
    if operator.advance(wait) {
        steps.say(
            "3-a",
            &format!("The user comes back {} later (emulator clock moved)", minutes(wait)),
        );
    } else {
        steps.say("3-a", "The user comes back: a real operator's clock cannot be moved, so the");
        steps.detail("demo refreshes now instead of waiting for refresh_from");
    }
    let now = operator.now_ms();
    let lifecycle = Lifecycle::from_identity(identity.clone(), now);
    let advice = lifecycle.advice(now);
    steps.detail(&format!("status {:?}, advice {:?}", lifecycle.status(), advice));
    if operator.emulator.is_some() {
        steps.check("3-a", advice == Advice::UseAndRefresh, "advice at refresh_from");
    }

    let outcome = operator.client.refresh_token(&identity)?;
    steps.say("3-b", &format!("POST /v2/token/refresh -> {}", outcome.name()));
    let RefreshOutcome::Refreshed(refreshed) = outcome else {
        steps.check("3-b", false, "refresh did not return an identity");
        return Ok(None);
    };
    steps.detail(&format!("advertising_token  {}", short(&refreshed.advertising_token)));
    steps.detail(&format!("refresh_from       {}", instant(refreshed.refresh_from, now)));
    steps.detail(&format!("identity_expires   {}", instant(refreshed.identity_expires, now)));
    steps.check(
        "3-b",
        refreshed.refresh_token != identity.refresh_token
            && refreshed.refresh_response_key != identity.refresh_response_key,
        "a refresh returns a new refresh token and key",
    );
    let lifecycle =
        lifecycle.apply(euid_core::Event::Refreshed(RefreshOutcome::Refreshed(refreshed)), now);
    steps.say("3-c..3-d", "Replace the stored identity; bid with the new advertising token");
    steps.check("3-c", lifecycle.status() == IdentityStatus::Refreshed, "status after refresh");
    Ok(lifecycle.into_identity().map(|identity| identity.to_json()))
}

/// The opt-out paths: on generate, and on refresh (which ends the refresh chain).
fn opt_outs(operator: &Operator, steps: &mut Steps) -> Result<(), euid_core::Error> {
    let optout =
        operator.client.generate_token(&GenerateRequest::new(Dii::email("optout@example.com")?))?;
    steps.say(
        "opt-out",
        &format!("optout@example.com: POST /v2/token/generate -> {}", optout.name()),
    );
    steps.detail("no token: store nothing and do not generate for this user again");
    steps.check("opt-out", optout == GenerateOutcome::OptOut, "generate opt-out");

    let user = "refresh-optout@example.com";
    let outcome = operator.client.generate_token(&GenerateRequest::new(Dii::email(user)?))?;
    steps.say("opt-out", &format!("{user}: POST /v2/token/generate -> {}", outcome.name()));
    let GenerateOutcome::Success(identity) = outcome else {
        steps.check("opt-out", false, "the refresh opt-out user gets a token first");
        return Ok(());
    };
    let refreshed = operator.client.refresh_token(&identity)?;
    steps.detail(&format!("POST /v2/token/refresh -> {}", refreshed.name()));
    steps.detail("delete the stored identity: the refresh chain ends here");
    steps.check("opt-out", refreshed == RefreshOutcome::OptOut, "refresh opt-out");
    let lifecycle = Lifecycle::from_identity(identity, operator.now_ms())
        .apply(euid_core::Event::Refreshed(refreshed), operator.now_ms());
    steps.check(
        "opt-out",
        lifecycle.advice(operator.now_ms()) == Advice::DoNotUse,
        "advice after opt-out",
    );
    Ok(())
}

/// Steps 4-a and 4-b: logout drops the identity; nothing is sent.
fn logout(operator: &Operator, steps: &mut Steps, stored: Option<String>) {
    let before = operator.emulator.as_ref().map(Emulator::counters);
    steps.say("4-a..4-b", "The user logs out: drop the stored identity; no call to the operator");
    let lifecycle = stored
        .and_then(|json| Identity::from_json(&json).ok())
        .map(|identity| Lifecycle::from_identity(identity, operator.now_ms()))
        .unwrap_or_default()
        .apply(euid_core::Event::Logout, operator.now_ms());
    steps.check("4-a", lifecycle.identity().is_none(), "identity dropped");
    if let (Some(emulator), Some(before)) = (&operator.emulator, before) {
        let after = emulator.counters();
        steps.detail(&format!(
            "requests so far: generate {}, refresh {}",
            after.generate.requests, after.refresh.requests
        ));
        steps.check("4-b", after == before, "logout made no request");
    }
}

fn minutes(ms: i64) -> String {
    format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000)
}
