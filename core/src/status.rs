//! The operator's `status` field: one enum for every wire value.

use std::fmt;

/// The `status` of an operator answer. Unknown values are kept, never dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OperatorStatus {
    /// `success` (HTTP 200): the request succeeded; a body follows.
    Success,
    /// `optout` (HTTP 200): the user opted out; no token.
    OptOut,
    /// `insufficient_user_consent` (HTTP 200, EUID generate): the TCF string lacks consent.
    InsufficientUserConsent,
    /// `client_error` (HTTP 400): the request was malformed or invalid.
    ClientError,
    /// `invalid_token` (HTTP 400, authenticated refresh): the refresh token is not valid.
    InvalidToken,
    /// `expired_token` (HTTP 400, authenticated refresh): the refresh token has expired.
    ExpiredToken,
    /// `error` (HTTP 400, unauthenticated refresh): expired or invalid, without detail.
    Error,
    /// `unauthorized` (HTTP 401): API key missing, unknown or without the role.
    Unauthorized,
    /// `unknown` (HTTP 500): the operator failed.
    Unknown,
    /// Any other value, kept as sent.
    Other(String),
}

impl OperatorStatus {
    /// Parses a wire value; never fails.
    pub fn from_wire(value: &str) -> OperatorStatus {
        match value {
            "success" => OperatorStatus::Success,
            "optout" => OperatorStatus::OptOut,
            "insufficient_user_consent" => OperatorStatus::InsufficientUserConsent,
            "client_error" => OperatorStatus::ClientError,
            "invalid_token" => OperatorStatus::InvalidToken,
            "expired_token" => OperatorStatus::ExpiredToken,
            "error" => OperatorStatus::Error,
            "unauthorized" => OperatorStatus::Unauthorized,
            "unknown" => OperatorStatus::Unknown,
            other => OperatorStatus::Other(other.chars().take(64).collect()),
        }
    }

    /// The wire value.
    pub fn as_wire(&self) -> &str {
        match self {
            OperatorStatus::Success => "success",
            OperatorStatus::OptOut => "optout",
            OperatorStatus::InsufficientUserConsent => "insufficient_user_consent",
            OperatorStatus::ClientError => "client_error",
            OperatorStatus::InvalidToken => "invalid_token",
            OperatorStatus::ExpiredToken => "expired_token",
            OperatorStatus::Error => "error",
            OperatorStatus::Unauthorized => "unauthorized",
            OperatorStatus::Unknown => "unknown",
            OperatorStatus::Other(value) => value,
        }
    }
}

impl fmt::Display for OperatorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_wire())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_values_round_trip_and_unknown_ones_are_kept() {
        for wire in [
            "success",
            "optout",
            "insufficient_user_consent",
            "client_error",
            "invalid_token",
            "expired_token",
            "error",
            "unauthorized",
            "unknown",
            "invalid_http_origin",
        ] {
            assert_eq!(OperatorStatus::from_wire(wire).as_wire(), wire);
        }
        assert_eq!(
            OperatorStatus::from_wire("invalid_app_name"),
            OperatorStatus::Other("invalid_app_name".into())
        );
    }
}
