//! `/v2/token/refresh`: the chain, the wrapper errors, optional authentication, expiry and
//! opt-out.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use euid_emulator::Emulator;
use serde_json::{json, Value};

use crate::support::*;

const REFRESH: &str = "/v2/token/refresh";

async fn identity_for(emulator: &Emulator, email: &str) -> Value {
    generate_identity(emulator, &json!({ "email": email })).await
}

fn assert_error_refreshing(reply: &Reply) {
    reply.assert_error(400, "error", "Error refreshing token");
}

#[tokio::test]
async fn each_refresh_gives_a_new_token_and_key_under_the_previous_key() {
    let emulator = emulator();
    let first = identity_for(&emulator, "user@example.com").await;
    let reply = refresh(&emulator, &first, true).await;
    assert_eq!(reply.header("date"), None, "the operator sends no Date header");
    let answer = open_refresh(&reply, &first);
    assert_eq!(answer["status"], "success");
    let second = answer["body"].clone();
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_ne!(second["refresh_response_key"], first["refresh_response_key"]);
    assert_ne!(second["advertising_token"], first["advertising_token"]);
    assert_eq!(second["refresh_token"].as_str().unwrap().len(), 388);
    let third = open_refresh(&refresh(&emulator, &second, false).await, &second);
    assert_eq!(third["status"], "success");
    // The first token still works: refreshing does not revoke.
    let again = open_refresh(&refresh(&emulator, &first, true).await, &first);
    assert_eq!(again["status"], "success");
}

#[tokio::test]
async fn a_refreshed_identity_is_issued_at_the_emulators_now() {
    let emulator = emulator();
    emulator.freeze_clock_at(1_900_000_000_000);
    let first = identity_for(&emulator, "user@example.com").await;
    emulator.advance_clock_ms(7_200_000);
    let second = open_refresh(&refresh(&emulator, &first, true).await, &first)["body"].clone();
    assert_eq!(second["refresh_from"], 1_900_000_000_000i64 + 7_200_000 + 3_600_000);
    assert_eq!(second["identity_expires"], 1_900_000_000_000i64 + 7_200_000 + 3 * 86_400_000);
}

#[tokio::test]
async fn an_unknown_api_key_only_means_unauthenticated() {
    let emulator = emulator();
    let identity = identity_for(&emulator, "user@example.com").await;
    let token = identity["refresh_token"].as_str().unwrap().to_owned();
    let reply = post(&emulator, REFRESH, Some("not-a-key"), None, token).await;
    assert_eq!(open_refresh(&reply, &identity)["status"], "success");
    let reply = post(&emulator, REFRESH, Some("not-a-key"), None, "short").await;
    assert_error_refreshing(&reply);
}

#[tokio::test]
async fn tokens_of_another_length_are_invalid_and_unauthenticated_calls_get_error() {
    let emulator = emulator();
    let identity = identity_for(&emulator, "user@example.com").await;
    let token = identity["refresh_token"].as_str().unwrap();
    for body in [String::new(), "abc".into(), format!("{token}\n"), token[1..].to_owned()] {
        post(&emulator, REFRESH, Some(emulator.api_key()), None, body.clone()).await.assert_error(
            400,
            "invalid_token",
            "Invalid Token presented",
        );
        assert_error_refreshing(&post(&emulator, REFRESH, None, None, body).await);
    }
}

#[tokio::test]
async fn broken_388_character_wrappers_get_the_operators_client_errors() {
    let emulator = emulator();
    let identity = identity_for(&emulator, "user@example.com").await;
    let mut bytes = STANDARD.decode(identity["refresh_token"].as_str().unwrap()).unwrap();
    assert_eq!((bytes.len(), bytes[0]), (291, 0x10));

    let not_base64 = "!".repeat(388);
    let mut other_key = bytes.clone();
    other_key[1..5].copy_from_slice(&(-5i32).to_be_bytes());
    let mut tampered = bytes.clone();
    tampered[100] ^= 1;
    let cases = [
        (not_base64, "Invalid body: Body is not valid base64.".to_owned()),
        (
            STANDARD.encode(&other_key),
            "Invalid key: Generator of this token (Key ID: -5) does not exist.".to_owned(),
        ),
        (
            STANDARD.encode(&tampered),
            "Invalid data: Check encryption method and encryption key.".to_owned(),
        ),
    ];
    for (body, message) in &cases {
        for key in [Some(emulator.api_key()), None] {
            post(&emulator, REFRESH, key, None, body.clone()).await.assert_client_error(message);
        }
    }
    // The scope byte is not authenticated and not what the operator checks.
    bytes[0] = 0x00;
    let reply = post(&emulator, REFRESH, None, None, STANDARD.encode(&bytes)).await;
    assert_eq!(open_refresh(&reply, &identity)["status"], "success");
    assert_eq!(emulator.refresh_key_id(), i32::from_be_bytes(bytes[1..5].try_into().unwrap()));
}

#[tokio::test]
async fn a_token_is_usable_through_refresh_expires_and_expired_one_ms_later() {
    let emulator = emulator();
    emulator.freeze_clock_at(1_900_000_000_000);
    let identity = identity_for(&emulator, "user@example.com").await;
    let expires = identity["refresh_expires"].as_i64().unwrap();
    emulator.set_now_ms(expires);
    assert_eq!(
        open_refresh(&refresh(&emulator, &identity, true).await, &identity)["status"],
        "success"
    );
    emulator.set_now_ms(expires + 1);
    refresh(&emulator, &identity, true).await.assert_error(
        400,
        "expired_token",
        "Expired Token presented",
    );
    assert_error_refreshing(&refresh(&emulator, &identity, false).await);
}

#[tokio::test]
async fn expiry_via_the_http_clock_control() {
    let emulator = emulator();
    let identity = identity_for(&emulator, "user@example.com").await;
    let reply = control(
        &emulator,
        hyper::Method::POST,
        "/emulator/clock",
        json!({"advance_ms": 31i64 * 86_400_000}),
    )
    .await;
    assert_eq!(reply.status.as_u16(), 200);
    refresh(&emulator, &identity, true).await.assert_error(
        400,
        "expired_token",
        "Expired Token presented",
    );
}

#[tokio::test]
async fn the_refresh_optout_test_identities_answer_optout_on_refresh() {
    let emulator = emulator();
    for payload in
        [json!({"email": "refresh-optout@example.com"}), json!({"phone": "+00000000002"})]
    {
        let identity = generate_identity(&emulator, &payload).await;
        for authenticated in [true, false] {
            let reply = refresh(&emulator, &identity, authenticated).await;
            assert_eq!(open_refresh(&reply, &identity), json!({"status": "optout"}));
        }
    }
}

#[tokio::test]
async fn users_opted_out_after_generation_get_optout_on_refresh_even_unauthenticated() {
    let emulator = emulator();
    let identity = identity_for(&emulator, "jane@example.com").await;
    let hash = euid_core::hash_email("jane@example.com").unwrap();
    let reply =
        control(&emulator, hyper::Method::POST, "/emulator/optout", json!({"email_hash": hash}))
            .await;
    assert_eq!(reply.json()["opted_out"]["hash"], hash);
    for authenticated in [true, false] {
        let reply = refresh(&emulator, &identity, authenticated).await;
        assert_eq!(open_refresh(&reply, &identity), json!({"status": "optout"}));
    }
}

#[tokio::test]
async fn expiry_is_checked_before_opt_out_as_on_the_operator() {
    let emulator = emulator();
    let identity = identity_for(&emulator, "jane@example.com").await;
    emulator.opt_out_email("jane@example.com").unwrap();
    emulator.advance_clock_ms(31 * 86_400_000);
    refresh(&emulator, &identity, true).await.assert_error(
        400,
        "expired_token",
        "Expired Token presented",
    );
}

#[tokio::test]
async fn identities_established_before_the_operators_cutoff_are_opted_out() {
    let emulator = emulator();
    emulator.freeze_clock_at(1_600_000_000_000); // 2020-09, before 2021-03-08T17:00Z
    let identity = identity_for(&emulator, "user@example.com").await;
    let reply = refresh(&emulator, &identity, true).await;
    assert_eq!(open_refresh(&reply, &identity), json!({"status": "optout"}));
}
