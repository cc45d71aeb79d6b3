//! `/v2/token/refresh` against the emulator: the refresh chain and every answer.

use euid_core::{Environment, GenerateOutcome, Identity, PublisherClient, RefreshOutcome};

use crate::support::{client, email, emulator, DAY_MS, HOUR_MS};

async fn generate(client: &PublisherClient, address: &str) -> Identity {
    match client.generate_token(&email(address)).await.unwrap() {
        GenerateOutcome::Success(identity) => identity,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn each_refresh_gives_a_new_token_and_key_and_the_old_token_stays_usable() {
    let emulator = emulator();
    let client = client(&emulator);
    let first = generate(&client, "user@example.com").await;
    emulator.advance_clock_ms(HOUR_MS);
    let RefreshOutcome::Refreshed(second) = client.refresh_token(&first).await.unwrap() else {
        panic!("not refreshed")
    };
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_ne!(second.refresh_response_key, first.refresh_response_key);
    assert!(second.identity_expires > first.identity_expires);
    let RefreshOutcome::Refreshed(third) = client.refresh_token(&second).await.unwrap() else {
        panic!("chain broken")
    };
    assert_ne!(third.refresh_token, second.refresh_token);
    // Refreshing does not revoke: the first token still refreshes until it expires.
    assert!(client.refresh_token(&first).await.unwrap().identity().is_some());
    assert_eq!(emulator.counters().refresh.outcome("success"), 3);
}

#[tokio::test]
async fn opt_out_on_refresh() {
    let emulator = emulator();
    let client = client(&emulator);
    let test_identity = generate(&client, "refresh-optout@example.com").await;
    assert_eq!(client.refresh_token(&test_identity).await, Ok(RefreshOutcome::OptOut));
    let later = generate(&client, "later@example.com").await;
    emulator.opt_out_email("later@example.com").unwrap();
    assert_eq!(client.refresh_token(&later).await, Ok(RefreshOutcome::OptOut));
}

#[tokio::test]
async fn an_expired_refresh_token_is_expired_token() {
    let emulator = emulator();
    let client = client(&emulator);
    let identity = generate(&client, "user@example.com").await;
    // Past `refresh_expires` (generate + 30 days): expired only once it is before now, as the
    // operator judges, so exactly 30 days passes when both calls fall in the same millisecond.
    emulator.advance_clock_ms(30 * DAY_MS + 1);
    assert_eq!(client.refresh_token(&identity).await, Ok(RefreshOutcome::ExpiredToken));
}

#[tokio::test]
async fn without_a_valid_api_key_an_expired_token_is_invalid_token() {
    // The operator answers `error` to unauthenticated refreshes of expired or invalid tokens.
    let emulator = emulator();
    let identity = generate(&client(&emulator), "user@example.com").await;
    emulator.advance_clock_ms(31 * DAY_MS);
    let stranger = PublisherClient::builder(
        Environment::Custom(emulator.url().into()),
        "unknown-key",
        &emulator.client_secret(),
    )
    .build()
    .unwrap();
    assert_eq!(stranger.refresh_token(&identity).await, Ok(RefreshOutcome::InvalidToken));
    assert_eq!(emulator.counters().refresh.outcome("error"), 1);
}

#[tokio::test]
async fn a_token_that_is_not_v2_is_invalid_token() {
    let emulator = emulator();
    let mut identity = generate(&client(&emulator), "user@example.com").await;
    identity.refresh_token = "not-a-v2-refresh-token".into();
    assert_eq!(client(&emulator).refresh_token(&identity).await, Ok(RefreshOutcome::InvalidToken));
}

#[tokio::test]
async fn an_empty_refresh_token_is_refused_before_any_request() {
    let emulator = emulator();
    let mut identity = generate(&client(&emulator), "user@example.com").await;
    identity.refresh_token.clear();
    let err = client(&emulator).refresh_token(&identity).await.unwrap_err();
    assert_eq!(err.kind(), euid_core::ErrorKind::InvalidArgument);
    assert_eq!(emulator.counters().refresh.requests, 0);
}
