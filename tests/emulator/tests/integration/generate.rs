//! `/v2/token/generate`: identity input, test identities, opt-outs, the issued identity.

use euid_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};

use crate::support::*;

const GENERATE: &str = "/v2/token/generate";
const MISSING: &str = "Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified";

async fn generate_reply(emulator: &Emulator, payload: &Value) -> Reply {
    let sealed = seal(emulator, payload);
    post(emulator, GENERATE, Some(emulator.api_key()), None, sealed.base64()).await
}

#[tokio::test]
async fn zero_or_several_identity_fields_are_a_missing_parameter() {
    let emulator = emulator();
    for payload in [
        json!({}),
        json!({"tcf_consent_string": "x"}),
        json!({"email": "a@b.com", "phone": "+12345678901"}),
        json!({"email_hash": "x", "phone_hash": "y"}),
        json!({"email": "not an email", "email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="}),
        json!({"email": null}),
    ] {
        generate_reply(&emulator, &payload).await.assert_client_error(MISSING);
    }
}

#[tokio::test]
async fn values_the_operator_cannot_normalize_are_invalid_identifiers() {
    let emulator = emulator();
    for payload in [
        json!({"email": ""}),
        json!({"email": "this is not an email address"}),
        json!({"email": "neither.is@this@"}),
        json!({"email": "+@gmail.com"}),
        json!({"phone": "1 (123) 456-7890"}),
        json!({"phone": "+1234567890 "}),
        json!({"phone": "+123456789"}),
        json!({"email_hash": "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs"}),
        json!({"phone_hash": "0Z7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B"}),
        json!({"email": 42}),
    ] {
        generate_reply(&emulator, &payload).await.assert_client_error("Invalid Identifier");
    }
}

#[tokio::test]
async fn every_identity_form_gets_an_identity_and_unknown_fields_are_ignored() {
    let emulator = emulator();
    for payload in [
        json!({"email": "  Jane.Doe+news@GMail.com ", "optout_check": 1}),
        json!({"email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=", "policy": 7}),
        json!({"email_hash": "0c7e6a405862e402eb76a70f8a26fc732d07c32931e9fae9ab1582911d2e8a3b"}),
        json!({"phone": "+12345678901"}),
        json!({"phone_hash": "EObwtHBUqDNZR33LNSMdtt5cafsYFuGmuY4ZLenlue4="}),
    ] {
        let body = generate_identity(&emulator, &payload).await;
        // Real V4 tokens: 219 characters, E4AA for an email, F4AA for a phone.
        let token = body["advertising_token"].as_str().unwrap();
        let prefix = if payload.get("phone").or(payload.get("phone_hash")).is_some() {
            "F4AA"
        } else {
            "E4AA"
        };
        assert_eq!((token.len(), &token[..4]), (219, prefix), "{payload}");
    }
}

#[tokio::test]
async fn the_identity_has_the_operators_fields_and_the_production_lifetimes() {
    let emulator = emulator();
    let now = 1_900_000_000_000;
    emulator.freeze_clock_at(now);
    let answer = call(&emulator, GENERATE, &json!({"email": "user@example.com"})).await;
    let keys: Vec<&str> = answer.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["body", "status"]);
    let body = &answer["body"];
    let fields: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        fields,
        [
            "advertising_token",
            "refresh_token",
            "identity_expires",
            "refresh_expires",
            "refresh_from",
            "refresh_response_key"
        ]
    );
    // The operator's V4 advertising token: 164 bytes, base64url without padding.
    let token = body["advertising_token"].as_str().unwrap();
    assert_eq!(token.len(), euid_emulator::ADVERTISING_TOKEN_LENGTH);
    assert_eq!(token.len(), 219);
    assert!(token.starts_with("E4AA"), "{token}");
    assert_eq!(body["refresh_token"].as_str().unwrap().len(), 388);
    assert_eq!(body["identity_expires"], now + 3 * 24 * 3_600_000);
    assert_eq!(body["refresh_expires"], now + 30 * 24 * 3_600_000);
    assert_eq!(body["refresh_from"], now + 3_600_000);
    let key = body["refresh_response_key"].as_str().unwrap();
    assert_eq!(euid_core::SecretKey::from_base64(key, "key").unwrap().as_bytes().len(), 32);
}

#[tokio::test]
async fn configured_lifetimes_are_used() {
    let emulator = Emulator::start(EmulatorConfig {
        identity_lifetime_ms: 3_600_000,
        refresh_lifetime_ms: 86_400_000,
        refresh_from_ms: 900_000,
        ..EmulatorConfig::default()
    })
    .unwrap();
    emulator.freeze_clock_at(1_000_000_000_000);
    let body = generate_identity(&emulator, &json!({"phone": "+12345678901"})).await;
    assert_eq!(body["identity_expires"], 1_000_003_600_000i64);
    assert_eq!(body["refresh_expires"], 1_000_086_400_000i64);
    assert_eq!(body["refresh_from"], 1_000_000_900_000i64);
}

#[test]
fn lifetimes_out_of_the_operators_order_are_refused() {
    let config = EmulatorConfig {
        refresh_from_ms: 10,
        identity_lifetime_ms: 5,
        ..EmulatorConfig::default()
    };
    assert!(matches!(Emulator::start(config), Err(euid_emulator::EmulatorError::Config(_))));
    let config =
        EmulatorConfig { client_secret: Some("c2hvcnQ=".into()), ..EmulatorConfig::default() };
    assert!(Emulator::start(config).is_err());
}

#[tokio::test]
async fn given_credentials_are_used() {
    let secret = "ioG3wKxAokmp+rERx6A4kM/13qhyolUXIu14WN16Spo=";
    let emulator = Emulator::start(EmulatorConfig {
        api_key: Some("my-key".into()),
        client_secret: Some(secret.into()),
        ..EmulatorConfig::default()
    })
    .unwrap();
    assert_eq!(emulator.api_key(), "my-key");
    assert_eq!(emulator.client_secret(), secret);
    generate_identity(&emulator, &json!({"email": "user@example.com"})).await;
}

#[tokio::test]
async fn the_optout_test_identities_answer_optout_in_every_form() {
    let emulator = emulator();
    for payload in [
        json!({"email": "optout@example.com"}),
        json!({"email": " OptOut@Example.com "}),
        json!({"email_hash": "DYsnJ8r5+cjRDHue98gIGDKvLIMuqAm/RRLODrjqK50="}),
        json!({"phone": "+00000000000"}),
        json!({"phone_hash": "313yQvZOTb0vjjEU7sTO/UWxGPzVppIbCyQEJEnfxLo="}),
    ] {
        let answer = call(&emulator, GENERATE, &payload).await;
        assert_eq!(answer, json!({"status": "optout"}), "{payload}");
    }
    // The phone's hash sent as an email hash is another user.
    generate_identity(
        &emulator,
        &json!({"email_hash": "313yQvZOTb0vjjEU7sTO/UWxGPzVppIbCyQEJEnfxLo="}),
    )
    .await;
}

#[tokio::test]
async fn the_refresh_optout_and_validate_identities_generate_normally() {
    let emulator = emulator();
    for payload in [
        json!({"email": "refresh-optout@example.com"}),
        json!({"phone": "+00000000002"}),
        json!({"email": "validate@example.com"}),
        json!({"phone": "+12345678901"}),
    ] {
        generate_identity(&emulator, &payload).await;
    }
}

#[tokio::test]
async fn users_opted_out_through_the_control_api_get_optout() {
    let emulator = emulator();
    generate_identity(&emulator, &json!({"email": "jane@example.com"})).await;
    emulator.opt_out_email("Jane@Example.com").unwrap();
    let answer = call(&emulator, GENERATE, &json!({"email": "jane@example.com"})).await;
    assert_eq!(answer, json!({"status": "optout"}));
    // By hash too, and the HTTP control route does the same.
    let hash = euid_core::hash_email("jane@example.com").unwrap();
    let answer = call(&emulator, GENERATE, &json!({"email_hash": hash})).await;
    assert_eq!(answer, json!({"status": "optout"}));
    let reply = control(
        &emulator,
        hyper::Method::POST,
        "/emulator/optout",
        json!({"phone": "+33123456789"}),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200);
    let answer = call(&emulator, GENERATE, &json!({"phone": "+33123456789"})).await;
    assert_eq!(answer, json!({"status": "optout"}));
    // The validate test identity can never be opted out, as on the operator.
    emulator.opt_out_email("validate@example.com").unwrap();
    generate_identity(&emulator, &json!({"email": "validate@example.com"})).await;
}

#[test]
fn a_plain_test_can_start_use_and_stop_the_emulator() {
    let emulator = emulator();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let body = runtime.block_on(generate_identity(&emulator, &json!({"email": "a@b.com"})));
    assert!(body["advertising_token"].is_string());
    let url = emulator.url().to_owned();
    drop(emulator);
    // Stopped: the port no longer answers.
    let address = url.trim_start_matches("http://");
    assert!(std::net::TcpStream::connect(address).is_err());
}
