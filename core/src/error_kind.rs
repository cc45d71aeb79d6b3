//! The stable name of each kind of error: one table shared by the Rust, Python and Kotlin
//! packages and by the test vectors.

use crate::error::{Error, InputError, ProtocolError, ProxyError};

/// A stable name for each kind of error, shared by the Rust, Python and Kotlin packages and by
/// the test vectors (`"error": "<kind>"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `invalid_email`
    InvalidEmail,
    /// `invalid_phone`
    InvalidPhone,
    /// `invalid_email_hash`
    InvalidEmailHash,
    /// `invalid_phone_hash`
    InvalidPhoneHash,
    /// `invalid_argument`
    InvalidArgument,
    /// `invalid_identity`
    InvalidIdentity,
    /// `config`
    Config,
    /// `unauthorized`
    Unauthorized,
    /// `client_error`
    ClientError,
    /// `clock_drift`
    ClockDrift,
    /// `server_error`
    ServerError,
    /// `rate_limited`
    RateLimited,
    /// `timeout`
    Timeout,
    /// `network`
    Network,
    /// `proxy_unreachable`
    ProxyUnreachable,
    /// `proxy_auth_required`
    ProxyAuthRequired,
    /// `proxy_refused`
    ProxyRefused,
    /// `untrusted_certificate`
    UntrustedCertificate,
    /// `envelope_too_short`
    EnvelopeTooShort,
    /// `bad_base64`
    BadBase64,
    /// `bad_version`
    BadVersion,
    /// `decryption_failed`
    DecryptionFailed,
    /// `nonce_mismatch`
    NonceMismatch,
    /// `invalid_json`
    InvalidJson,
    /// `unexpected_response`
    UnexpectedResponse,
    /// `response_too_large`
    ResponseTooLarge,
    /// `store`
    Store,
    /// `closed`
    Closed,
    /// `internal`
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 29] = [
        ErrorKind::InvalidEmail,
        ErrorKind::InvalidPhone,
        ErrorKind::InvalidEmailHash,
        ErrorKind::InvalidPhoneHash,
        ErrorKind::InvalidArgument,
        ErrorKind::InvalidIdentity,
        ErrorKind::Config,
        ErrorKind::Unauthorized,
        ErrorKind::ClientError,
        ErrorKind::ClockDrift,
        ErrorKind::ServerError,
        ErrorKind::RateLimited,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::ProxyUnreachable,
        ErrorKind::ProxyAuthRequired,
        ErrorKind::ProxyRefused,
        ErrorKind::UntrustedCertificate,
        ErrorKind::EnvelopeTooShort,
        ErrorKind::BadBase64,
        ErrorKind::BadVersion,
        ErrorKind::DecryptionFailed,
        ErrorKind::NonceMismatch,
        ErrorKind::InvalidJson,
        ErrorKind::UnexpectedResponse,
        ErrorKind::ResponseTooLarge,
        ErrorKind::Store,
        ErrorKind::Closed,
        ErrorKind::Internal,
    ];

    /// The stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidEmail => "invalid_email",
            ErrorKind::InvalidPhone => "invalid_phone",
            ErrorKind::InvalidEmailHash => "invalid_email_hash",
            ErrorKind::InvalidPhoneHash => "invalid_phone_hash",
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::InvalidIdentity => "invalid_identity",
            ErrorKind::Config => "config",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::ClientError => "client_error",
            ErrorKind::ClockDrift => "clock_drift",
            ErrorKind::ServerError => "server_error",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Network => "network",
            ErrorKind::ProxyUnreachable => "proxy_unreachable",
            ErrorKind::ProxyAuthRequired => "proxy_auth_required",
            ErrorKind::ProxyRefused => "proxy_refused",
            ErrorKind::UntrustedCertificate => "untrusted_certificate",
            ErrorKind::EnvelopeTooShort => "envelope_too_short",
            ErrorKind::BadBase64 => "bad_base64",
            ErrorKind::BadVersion => "bad_version",
            ErrorKind::DecryptionFailed => "decryption_failed",
            ErrorKind::NonceMismatch => "nonce_mismatch",
            ErrorKind::InvalidJson => "invalid_json",
            ErrorKind::UnexpectedResponse => "unexpected_response",
            ErrorKind::ResponseTooLarge => "response_too_large",
            ErrorKind::Store => "store",
            ErrorKind::Closed => "closed",
            ErrorKind::Internal => "internal",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(InputError::Email(_)) => ErrorKind::InvalidEmail,
            Error::InvalidInput(InputError::Phone(_)) => ErrorKind::InvalidPhone,
            Error::InvalidInput(InputError::EmailHash(_)) => ErrorKind::InvalidEmailHash,
            Error::InvalidInput(InputError::PhoneHash(_)) => ErrorKind::InvalidPhoneHash,
            Error::InvalidInput(InputError::Argument { .. }) => ErrorKind::InvalidArgument,
            Error::InvalidIdentity(_) => ErrorKind::InvalidIdentity,
            Error::Config(_) => ErrorKind::Config,
            Error::Unauthorized => ErrorKind::Unauthorized,
            Error::Rejected { .. } => ErrorKind::ClientError,
            Error::ClockDrift { .. } => ErrorKind::ClockDrift,
            Error::Server { .. } => ErrorKind::ServerError,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Timeout(_) => ErrorKind::Timeout,
            Error::Network(_) => ErrorKind::Network,
            Error::Proxy(ProxyError::Unreachable { .. }) => ErrorKind::ProxyUnreachable,
            Error::Proxy(ProxyError::AuthRequired { .. }) => ErrorKind::ProxyAuthRequired,
            Error::Proxy(ProxyError::Refused { .. }) => ErrorKind::ProxyRefused,
            Error::UntrustedCertificate(_) => ErrorKind::UntrustedCertificate,
            Error::Protocol(ProtocolError::TooShort { .. }) => ErrorKind::EnvelopeTooShort,
            Error::Protocol(ProtocolError::BadBase64) => ErrorKind::BadBase64,
            Error::Protocol(ProtocolError::BadVersion(_)) => ErrorKind::BadVersion,
            Error::Protocol(ProtocolError::AuthenticationFailed) => ErrorKind::DecryptionFailed,
            Error::Protocol(ProtocolError::NonceMismatch) => ErrorKind::NonceMismatch,
            Error::Protocol(ProtocolError::NotJson(_)) => ErrorKind::InvalidJson,
            Error::Protocol(ProtocolError::Unexpected(_)) => ErrorKind::UnexpectedResponse,
            Error::Protocol(ProtocolError::TooLarge { .. }) => ErrorKind::ResponseTooLarge,
            Error::Store(_) => ErrorKind::Store,
            Error::Closed(_) => ErrorKind::Closed,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            assert!(seen.insert(kind.as_str()), "duplicate {kind}");
            assert_eq!(ErrorKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(ErrorKind::from_name("nope"), None);
        assert_eq!(ErrorKind::from_name("closed"), Some(ErrorKind::Closed));
        assert_eq!(Error::Closed("the client is closed").kind(), ErrorKind::Closed);
    }
}
