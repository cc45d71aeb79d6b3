//! `tcf_consent_string` on generate (EUID only).

use euid_emulator::{Emulator, EmulatorConfig};
use serde_json::{json, Value};

use crate::support::*;

const CONSENTING: &str = "CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA";
const INSUFFICIENT: &str = "CPehXK9PehXK9ABAMBFRACBoADAAAEJAAIYgAKwAQAKgArABAAqAAA";
/// Vendor 21, purposes 1, 2, 3, 4, 7, 10, no special feature: `success` from the operator.
const NO_SPECIAL_FEATURE: &str = "CQdWToAQdWToAAHABBENBkEgAPJAAAAAAAYgAKwAQAKgAAAA";

fn with_consent(consent: Value) -> Value {
    json!({"email_hash": "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=", "tcf_consent_string": consent})
}

async fn generate_reply(emulator: &Emulator, payload: &Value) -> Reply {
    let sealed = seal(emulator, payload);
    post(emulator, "/v2/token/generate", Some(emulator.api_key()), None, sealed.base64()).await
}

#[tokio::test]
async fn the_sdk_tests_consenting_string_gets_a_token() {
    let emulator = emulator();
    generate_identity(&emulator, &with_consent(json!(CONSENTING))).await;
}

#[tokio::test]
async fn consent_without_special_feature_1_gets_a_token() {
    let emulator = emulator();
    generate_identity(&emulator, &with_consent(json!(NO_SPECIAL_FEATURE))).await;
    assert_eq!(emulator.counters().generate.outcome("success"), 1);
}

#[tokio::test]
async fn the_sdk_tests_insufficient_string_gets_insufficient_user_consent() {
    let emulator = emulator();
    let answer = call(&emulator, "/v2/token/generate", &with_consent(json!(INSUFFICIENT))).await;
    assert_eq!(answer, json!({"status": "insufficient_user_consent"}));
    assert_eq!(emulator.counters().generate.outcome("insufficient_user_consent"), 1);
}

#[tokio::test]
async fn empty_null_and_unparseable_strings_are_invalid_consent() {
    let emulator = emulator();
    for consent in [
        json!(""),
        json!(null),
        json!("not a tc string"),
        json!("CPhJRpMPhJRpMABAMBFRACBo"),
        json!("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA"),
        json!(7),
    ] {
        generate_reply(&emulator, &with_consent(consent.clone()))
            .await
            .assert_client_error("User consent is invalid");
    }
}

#[tokio::test]
async fn consent_is_checked_after_the_identity_and_before_opt_out() {
    let emulator = emulator();
    generate_reply(&emulator, &json!({"tcf_consent_string": ""}))
        .await
        .assert_client_error("Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified");
    generate_reply(&emulator, &json!({"email": "", "tcf_consent_string": ""}))
        .await
        .assert_client_error("Invalid Identifier");
    let answer = call(
        &emulator,
        "/v2/token/generate",
        &json!({"email": "optout@example.com", "tcf_consent_string": INSUFFICIENT}),
    )
    .await;
    assert_eq!(answer["status"], "insufficient_user_consent");
}

#[tokio::test]
async fn the_vendor_checked_is_configurable() {
    let emulator =
        Emulator::start(EmulatorConfig { tcf_vendor_id: 22, ..EmulatorConfig::default() }).unwrap();
    let answer = call(&emulator, "/v2/token/generate", &with_consent(json!(CONSENTING))).await;
    assert_eq!(answer["status"], "insufficient_user_consent");
}
