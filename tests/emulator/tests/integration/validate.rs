//! `/v2/token/validate`.

use serde_json::json;

use crate::support::*;

const VALIDATE: &str = "/v2/token/validate";

#[tokio::test]
async fn a_token_validates_against_the_identity_it_was_made_from() {
    let emulator = emulator();
    let identity = generate_identity(&emulator, &json!({"email": "validate@example.com"})).await;
    let token = identity["advertising_token"].clone();
    for (payload, expected) in [
        (json!({"token": token, "email": "Validate@Example.com"}), true),
        (
            json!({"token": token, "email_hash": "ntI244ZRTXwAwpki6/M5cyBYW7h/Wq576lnN3l9+W/c="}),
            true,
        ),
        (json!({"token": token, "email": "someone@example.com"}), false),
        (
            json!({"token": token, "phone_hash": "ntI244ZRTXwAwpki6/M5cyBYW7h/Wq576lnN3l9+W/c="}),
            false,
        ),
    ] {
        let answer = call(&emulator, VALIDATE, &payload).await;
        assert_eq!(answer, json!({"body": expected, "status": "success"}), "{payload}");
    }
    let phone = generate_identity(&emulator, &json!({"phone": "+12345678901"})).await;
    let answer = call(
        &emulator,
        VALIDATE,
        &json!({"token": phone["advertising_token"], "phone": "+12345678901"}),
    )
    .await;
    assert_eq!(answer["body"], true);
}

#[tokio::test]
async fn undecodable_tokens_are_invalid() {
    let emulator = emulator();
    let other = emulator_token_from_another_emulator().await;
    for token in [
        json!("AdvertisingTokenmZ4dZgeuXXl6DhoXqbRXQbHlHhA96leN94U1uavZVspwKXlfWETZ3b"),
        json!(other),
        json!(null),
        json!(""),
    ] {
        let sealed = seal(&emulator, &json!({"token": token, "email": "validate@example.com"}));
        post(&emulator, VALIDATE, Some(emulator.api_key()), None, sealed.base64())
            .await
            .assert_client_error("Invalid token");
    }
}

async fn emulator_token_from_another_emulator() -> String {
    let other = emulator();
    let identity = generate_identity(&other, &json!({"email": "validate@example.com"})).await;
    identity["advertising_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn identity_errors_come_before_the_token() {
    let emulator = emulator();
    for (payload, message) in [
        (json!({"token": "x"}), "Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified"),
        (json!({"token": "x", "email": "a@b.com", "phone": "+12345678901"}), "Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified"),
        (json!({"token": "x", "phone": "12345"}), "Invalid Identifier"),
    ] {
        let sealed = seal(&emulator, &payload);
        post(&emulator, VALIDATE, Some(emulator.api_key()), None, sealed.base64())
            .await
            .assert_client_error(message);
    }
}
