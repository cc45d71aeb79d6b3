//! The answers a caller branches on. Opt-out and consent are answers, not errors.

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
