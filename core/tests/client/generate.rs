//! `/v2/token/generate` against the emulator: every outcome and the errors of a bad request.

use euid_core::{
    Dii, Encoding, Error, GenerateOutcome, GenerateRequest, IdentityStatus, Lifecycle,
    OperatorStatus, PublisherClient,
};

use crate::support::{builder, client, email, emulator, DAY_MS, HOUR_MS, SECRET};

const CONSENTING: &str = "CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA";
const INSUFFICIENT: &str = "CPehXK9PehXK9ABAMBFRACBoADAAAEJAAIYgAKwAQAKgArABAAqAAA";

#[tokio::test]
async fn success_returns_an_identity_with_the_production_lifetimes() {
    let emulator = emulator();
    let outcome = client(&emulator).generate_token(&email("jane@example.com")).await.unwrap();
    let GenerateOutcome::Success(identity) = outcome else { panic!("{outcome:?}") };
    let now = emulator.now_ms();
    assert_eq!(identity.refresh_token.len(), 388);
    assert!((identity.refresh_from - now - HOUR_MS).abs() < 5_000);
    assert!((identity.identity_expires - now - 3 * DAY_MS).abs() < 5_000);
    assert!((identity.refresh_expires - now - 30 * DAY_MS).abs() < 5_000);
    assert!(identity.refresh_key().unwrap().is_some());
    assert_eq!(Lifecycle::from_identity(identity, now).status(), IdentityStatus::Established);
    assert_eq!(emulator.counters().generate.outcome("success"), 1);
}

#[tokio::test]
async fn every_identifier_kind_is_accepted() {
    let emulator = emulator();
    let client = client(&emulator);
    let diis = [
        Dii::email("user@example.com").unwrap(),
        Dii::phone("+12345678901").unwrap(),
        Dii::email_hash("0C7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B")
            .unwrap(),
        Dii::phone_hash("EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4=").unwrap(),
        Dii::raw_email("User@Example.com").unwrap(),
        Dii::raw_phone("+12345678901").unwrap(),
    ];
    for dii in diis {
        let outcome = client.generate_token(&GenerateRequest::new(dii)).await.unwrap();
        assert!(outcome.identity().is_some(), "{outcome:?}");
    }
}

#[tokio::test]
async fn the_opt_out_test_identities_answer_opt_out() {
    let emulator = emulator();
    let client = client(&emulator);
    assert_eq!(
        client.generate_token(&email("optout@example.com")).await,
        Ok(GenerateOutcome::OptOut)
    );
    let phone = GenerateRequest::new(Dii::phone("+00000000000").unwrap());
    assert_eq!(client.generate_token(&phone).await, Ok(GenerateOutcome::OptOut));
    emulator.opt_out_email("later@example.com").unwrap();
    assert_eq!(
        client.generate_token(&email("later@example.com")).await,
        Ok(GenerateOutcome::OptOut)
    );
    assert_eq!(emulator.counters().generate.outcome("optout"), 3);
}

#[tokio::test]
async fn tcf_consent_gives_success_insufficient_consent_or_a_client_error() {
    let emulator = emulator();
    let client = client(&emulator);
    let with = |consent: &str| email("user@example.com").with_tcf_consent_string(consent).unwrap();
    assert!(client.generate_token(&with(CONSENTING)).await.unwrap().identity().is_some());
    assert_eq!(
        client.generate_token(&with(INSUFFICIENT)).await,
        Ok(GenerateOutcome::InsufficientConsent)
    );
    let err = client.generate_token(&with("garbage")).await.unwrap_err();
    assert_eq!(
        err,
        Error::Rejected {
            http_status: 400,
            status: Some(OperatorStatus::ClientError),
            message: "User consent is invalid".into()
        }
    );
}

#[tokio::test]
async fn a_wrong_api_key_is_unauthorized_and_not_retried() {
    let emulator = emulator();
    let client = PublisherClient::builder(
        euid_core::Environment::Custom(emulator.url().into()),
        "not-the-key",
        &emulator.client_secret(),
    )
    .build()
    .unwrap();
    assert_eq!(client.generate_token(&email("user@example.com")).await, Err(Error::Unauthorized));
    assert_eq!(emulator.counters().generate.requests, 1);
}

#[tokio::test]
async fn a_wrong_client_secret_is_the_operators_key_error() {
    let emulator = emulator();
    let client = PublisherClient::builder(
        euid_core::Environment::Custom(emulator.url().into()),
        emulator.api_key(),
        SECRET,
    )
    .build()
    .unwrap();
    let err = client.generate_token(&email("user@example.com")).await.unwrap_err();
    let Error::Rejected { http_status: 400, message, .. } = err else { panic!("{err:?}") };
    assert!(message.starts_with("Invalid body: Check encryption key (ClientSecret)."));
}

#[tokio::test]
async fn binary_envelopes_work() {
    let emulator = emulator();
    let client = builder(&emulator).encoding(Encoding::Binary).build().unwrap();
    assert!(client.generate_token(&email("user@example.com")).await.unwrap().identity().is_some());
}

#[test]
fn the_blocking_client_gives_the_same_answers() {
    let emulator = emulator();
    let client = euid_core::blocking::PublisherClient::from_async(client(&emulator));
    assert!(client.generate_token(&email("user@example.com")).unwrap().identity().is_some());
    assert_eq!(client.generate_token(&email("optout@example.com")), Ok(GenerateOutcome::OptOut));
}

#[tokio::test]
async fn a_blocking_call_inside_a_runtime_is_refused_not_deadlocked() {
    let emulator = emulator();
    let client = euid_core::blocking::PublisherClient::from_async(client(&emulator));
    let err = client.generate_token(&email("user@example.com")).unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}
