//! The client in the networks publishers run: a private CA signing the TLS emulator's
//! certificate, and a real forward proxy (Debian's squid, started here on loopback) chosen
//! explicitly or from the environment. Its own binary: the environment tests change this
//! process's environment, one at a time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod environment;
mod pki;
mod proxy;
mod squid;
mod trust;

use std::time::Duration;

use euid_core::{
    ClientBuilder, Dii, Environment, GenerateOutcome, GenerateRequest, PublisherClient,
};
use euid_core::{RefreshOutcome, RetryPolicy};
use euid_emulator::Emulator;

/// A builder for `base_url` with the emulator's credentials and fast retries.
pub fn builder(emulator: &Emulator, base_url: String) -> ClientBuilder {
    PublisherClient::builder(
        Environment::Custom(base_url),
        emulator.api_key(),
        &emulator.client_secret(),
    )
    .retry_policy(RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    })
}

/// Generates then refreshes, both of which must succeed.
pub async fn generate_and_refresh(client: &PublisherClient) {
    let request = GenerateRequest::new(Dii::email("jane.doe@example.com").unwrap());
    let GenerateOutcome::Success(identity) = client.generate_token(&request).await.unwrap() else {
        panic!("generate did not succeed");
    };
    let refreshed = client.refresh_token(&identity).await.unwrap();
    assert!(matches!(refreshed, RefreshOutcome::Refreshed(_)), "{refreshed:?}");
}

/// Generates once, which must fail; the error.
pub async fn generate_error(client: &PublisherClient) -> euid_core::Error {
    let request = GenerateRequest::new(Dii::email("jane.doe@example.com").unwrap());
    client.generate_token(&request).await.unwrap_err()
}
