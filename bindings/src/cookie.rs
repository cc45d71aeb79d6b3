//! The browser SDK hand-off: the `__euid` cookie.

use euid_core::cookie::{self, Cookie};

use crate::error::EuidError;
use crate::types::Identity;

/// A cookie for the browser SDK, with the recommended attributes.
#[uniffi::remote(Record)]
pub struct Cookie {
    pub name: String,
    pub value: String,
    pub expires_ms: i64,
    pub path: String,
    pub domain: Option<String>,
    pub secure: bool,
    pub same_site: String,
}

/// What the browser SDK stored.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum BrowserIdentity {
    /// An identity.
    Identity { identity: Identity },
    /// The browser SDK's opt-out marker.
    OptedOut,
}

/// The `__euid` cookie for an identity: URI-encoded JSON, expiring with the refresh token.
#[uniffi::export]
pub fn identity_cookie(identity: Identity, domain: Option<String>) -> Result<Cookie, EuidError> {
    Ok(Cookie::for_identity(&identity.try_into()?, domain.as_deref()))
}

/// The browser SDK's opt-out marker cookie at `now_ms`.
#[uniffi::export]
pub fn opt_out_cookie(now_ms: i64, domain: Option<String>) -> Cookie {
    Cookie::opt_out(now_ms, domain.as_deref())
}

/// The `Set-Cookie` header value of a cookie.
#[uniffi::export]
pub fn cookie_header(cookie: Cookie) -> String {
    cookie.to_header()
}

/// Reads a `__euid` cookie value (URI-encoded) or an `EUID-sdk-identity` local storage value.
#[uniffi::export]
pub fn parse_browser_identity(value: String) -> Result<BrowserIdentity, EuidError> {
    Ok(match cookie::parse_browser_value(&value)? {
        cookie::BrowserIdentity::Identity(identity) => {
            BrowserIdentity::Identity { identity: identity.into() }
        }
        cookie::BrowserIdentity::OptedOut => BrowserIdentity::OptedOut,
    })
}
