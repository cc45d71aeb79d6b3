//! Secret hygiene: nothing the SDK prints, formats or logs contains a key, a token, a refresh
//! response key or a raw email.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod logging;
mod secrets;
mod transport;

/// Values that must never appear in any output.
pub const API_KEY: &str = "api-key-SECRET-4f1d";
pub const EMAIL: &str = "secret.person@example.com";

/// Fails if `text` contains any of `secrets`.
pub fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}
