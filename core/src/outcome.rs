//! The answers a caller branches on. Opt-out and consent are answers, not errors.

use std::fmt;

use crate::identity::Identity;

/// What `/v2/token/generate` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateOutcome {
    /// `success`: a new identity. Store all of it (the refresh needs every field).
    Success(Identity),
    /// `optout`: the user opted out. Do not use or store a token, and do not ask again.
    OptOut,
    /// `insufficient_user_consent`: the TCF consent string does not allow EUID. No token.
    InsufficientConsent,
}

/// What `/v2/token/refresh` answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// `success`: a new identity that replaces the old one.
    Refreshed(Identity),
    /// `optout`: the user opted out since the token was issued. Delete the identity and stop
    /// refreshing; this ends the refresh chain.
    OptOut,
    /// `expired_token`: the refresh token has expired. Establish a new identity from the DII.
    ExpiredToken,
    /// `invalid_token`, or the operator's unauthenticated `error`: the refresh token is not
    /// usable. Establish a new identity from the DII.
    InvalidToken,
}

impl GenerateOutcome {
    /// The identity, if the answer was `success`.
    pub fn identity(&self) -> Option<&Identity> {
        match self {
            GenerateOutcome::Success(identity) => Some(identity),
            _ => None,
        }
    }

    /// The answer as a snake_case name: `success`, `optout`, `insufficient_consent`.
    pub fn name(&self) -> &'static str {
        match self {
            GenerateOutcome::Success(_) => "success",
            GenerateOutcome::OptOut => "optout",
            GenerateOutcome::InsufficientConsent => "insufficient_consent",
        }
    }
}

impl RefreshOutcome {
    /// The new identity, if the answer was `success`.
    pub fn identity(&self) -> Option<&Identity> {
        match self {
            RefreshOutcome::Refreshed(identity) => Some(identity),
            _ => None,
        }
    }

    /// The answer as a snake_case name: `refreshed`, `optout`, `expired_token`, `invalid_token`.
    pub fn name(&self) -> &'static str {
        match self {
            RefreshOutcome::Refreshed(_) => "refreshed",
            RefreshOutcome::OptOut => "optout",
            RefreshOutcome::ExpiredToken => "expired_token",
            RefreshOutcome::InvalidToken => "invalid_token",
        }
    }
}

/// What [`IdentityManager::advertising_token`](crate::IdentityManager::advertising_token) found
/// for a user. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub enum TokenAnswer {
    /// Send this advertising token to the SSP.
    Token(String),
    /// No identity is stored: establish one at the next sign-in.
    NoIdentity,
    /// The user opted out: never send a token for them.
    OptedOut,
    /// The refresh token expired: the user must sign in again to establish a new identity.
    RefreshExpired,
    /// The identity is not usable (the operator said `invalid_token`): sign in again.
    Invalid,
}

impl fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenAnswer::Token(_) => f.write_str("Token(<redacted>)"),
            other => f.write_str(other.name()),
        }
    }
}

impl TokenAnswer {
    /// The token to send, if there is one.
    pub fn token(&self) -> Option<&str> {
        match self {
            TokenAnswer::Token(token) => Some(token),
            _ => None,
        }
    }

    /// Whether a new sign-in is needed to get a token again.
    pub fn needs_login(&self) -> bool {
        matches!(self, TokenAnswer::NoIdentity | TokenAnswer::RefreshExpired | TokenAnswer::Invalid)
    }

    /// The snake_case name: `token`, `no_identity`, `opted_out`, `refresh_expired`, `invalid`.
    pub fn name(&self) -> &'static str {
        match self {
            TokenAnswer::Token(_) => "token",
            TokenAnswer::NoIdentity => "no_identity",
            TokenAnswer::OptedOut => "opted_out",
            TokenAnswer::RefreshExpired => "refresh_expired",
            TokenAnswer::Invalid => "invalid",
        }
    }
}
