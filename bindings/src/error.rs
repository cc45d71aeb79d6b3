//! `EuidError`: the one public error, mapped once from `euid_core::Error`.
//!
//! Every variant carries the same [`ErrorInfo`], so every field is on every error in every
//! language; the variant is the category a caller acts on.

use euid_core::Error as CoreError;

/// The stable kind of an error: core's `ErrorKind`, whose snake_case names (`invalid_email`,
/// `decryption_failed`, ...) are these variants' names in lower case. Shared with the test
/// vectors (`"error": "<kind>"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ErrorKind {
    InvalidEmail,
    InvalidPhone,
    InvalidEmailHash,
    InvalidPhoneHash,
    InvalidArgument,
    InvalidIdentity,
    Config,
    Unauthorized,
    ClientError,
    ClockDrift,
    ServerError,
    RateLimited,
    Timeout,
    Network,
    ProxyUnreachable,
    ProxyAuthRequired,
    ProxyRefused,
    UntrustedCertificate,
    EnvelopeTooShort,
    BadBase64,
    BadVersion,
    DecryptionFailed,
    NonceMismatch,
    InvalidJson,
    UnexpectedResponse,
    ResponseTooLarge,
    Store,
    Closed,
    Internal,
}

impl From<euid_core::ErrorKind> for ErrorKind {
    fn from(kind: euid_core::ErrorKind) -> Self {
        use euid_core::ErrorKind as Core;
        match kind {
            Core::InvalidEmail => ErrorKind::InvalidEmail,
            Core::InvalidPhone => ErrorKind::InvalidPhone,
            Core::InvalidEmailHash => ErrorKind::InvalidEmailHash,
            Core::InvalidPhoneHash => ErrorKind::InvalidPhoneHash,
            Core::InvalidArgument => ErrorKind::InvalidArgument,
            Core::InvalidIdentity => ErrorKind::InvalidIdentity,
            Core::Config => ErrorKind::Config,
            Core::Unauthorized => ErrorKind::Unauthorized,
            Core::ClientError => ErrorKind::ClientError,
            Core::ClockDrift => ErrorKind::ClockDrift,
            Core::ServerError => ErrorKind::ServerError,
            Core::RateLimited => ErrorKind::RateLimited,
            Core::Timeout => ErrorKind::Timeout,
            Core::Network => ErrorKind::Network,
            Core::ProxyUnreachable => ErrorKind::ProxyUnreachable,
            Core::ProxyAuthRequired => ErrorKind::ProxyAuthRequired,
            Core::ProxyRefused => ErrorKind::ProxyRefused,
            Core::UntrustedCertificate => ErrorKind::UntrustedCertificate,
            Core::EnvelopeTooShort => ErrorKind::EnvelopeTooShort,
            Core::BadBase64 => ErrorKind::BadBase64,
            Core::BadVersion => ErrorKind::BadVersion,
            Core::DecryptionFailed => ErrorKind::DecryptionFailed,
            Core::NonceMismatch => ErrorKind::NonceMismatch,
            Core::InvalidJson => ErrorKind::InvalidJson,
            Core::UnexpectedResponse => ErrorKind::UnexpectedResponse,
            Core::ResponseTooLarge => ErrorKind::ResponseTooLarge,
            Core::Store => ErrorKind::Store,
            Core::Closed => ErrorKind::Closed,
            Core::Internal => ErrorKind::Internal,
            // Core's enum is non-exhaustive; a test checks that only `internal` lands here.
            _ => ErrorKind::Internal,
        }
    }
}

/// What every error tells: its kind, a message (never a secret, a token, an email or a body),
/// whether the same call may succeed later, and what the operator answered, if it did.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    pub kind: ErrorKind,
    pub message: String,
    /// Network failures, an unreachable proxy, timeouts, HTTP 5xx and 429.
    pub is_retryable: bool,
    /// The HTTP status of the operator's answer (or a proxy's 407).
    pub http_status: Option<u16>,
    /// The operator's `status` field (`client_error`, ...).
    pub operator_status: Option<String>,
    /// The operator's `Retry-After`, in milliseconds (HTTP 429).
    pub retry_after_ms: Option<u64>,
}

impl std::fmt::Debug for ErrorInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorInfo")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("http_status", &self.http_status)
            .finish_non_exhaustive()
    }
}

impl ErrorInfo {
    /// An error that did not come from the operator.
    pub(crate) fn local(kind: ErrorKind, message: impl Into<String>) -> ErrorInfo {
        ErrorInfo {
            kind,
            message: message.into(),
            is_retryable: false,
            http_status: None,
            operator_status: None,
            retry_after_ms: None,
        }
    }
}

/// Every failure of the SDK, one variant per category a caller acts on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum EuidError {
    /// An email, phone number, hash or argument is invalid. Fix the input.
    #[error("{}", info.message)]
    InvalidInput { info: ErrorInfo },
    /// Identity JSON (from storage or a cookie) is malformed. Establish a new identity.
    #[error("{}", info.message)]
    InvalidIdentity { info: ErrorInfo },
    /// The client configuration is invalid. Fix the configuration.
    #[error("{}", info.message)]
    Config { info: ErrorInfo },
    /// HTTP 401: the operator rejected the API key. Fix the credentials.
    #[error("{}", info.message)]
    Unauthorized { info: ErrorInfo },
    /// The operator rejected the request (HTTP 4xx), with its message.
    #[error("{}", info.message)]
    ClientError { info: ErrorInfo },
    /// The operator rejected the request time even after one correction. Sync the clock (NTP).
    #[error("{}", info.message)]
    ClockDrift { info: ErrorInfo },
    /// HTTP 5xx from the operator or a proxy, after the retries. Try again later.
    #[error("{}", info.message)]
    ServerError { info: ErrorInfo },
    /// HTTP 429, after the retries. Slow down.
    #[error("{}", info.message)]
    RateLimited { info: ErrorInfo },
    /// The call ran past its timeout or deadline. Try again later.
    #[error("{}", info.message)]
    Timeout { info: ErrorInfo },
    /// The operator could not be reached. Try again later.
    #[error("{}", info.message)]
    Network { info: ErrorInfo },
    /// The forward proxy could not be used: unreachable, HTTP 407, or it refused the tunnel
    /// (`kind` says which). Check the proxy setting.
    #[error("{}", info.message)]
    Proxy { info: ErrorInfo },
    /// The operator's TLS certificate is not trusted. Add its CA certificate.
    #[error("{}", info.message)]
    UntrustedCertificate { info: ErrorInfo },
    /// The operator's answer could not be read (envelope, decryption, nonce, JSON).
    #[error("{}", info.message)]
    Protocol { info: ErrorInfo },
    /// The identity store failed.
    #[error("{}", info.message)]
    Store { info: ErrorInfo },
    /// The client, identity manager or store was closed.
    #[error("{}", info.message)]
    Closed { info: ErrorInfo },
    /// A defect in the SDK, or a call the bindings made wrongly. Please report it.
    #[error("{}", info.message)]
    Internal { info: ErrorInfo },
}

impl EuidError {
    /// Every variant's fields.
    pub fn info(&self) -> &ErrorInfo {
        match self {
            EuidError::InvalidInput { info }
            | EuidError::InvalidIdentity { info }
            | EuidError::Config { info }
            | EuidError::Unauthorized { info }
            | EuidError::ClientError { info }
            | EuidError::ClockDrift { info }
            | EuidError::ServerError { info }
            | EuidError::RateLimited { info }
            | EuidError::Timeout { info }
            | EuidError::Network { info }
            | EuidError::Proxy { info }
            | EuidError::UntrustedCertificate { info }
            | EuidError::Protocol { info }
            | EuidError::Store { info }
            | EuidError::Closed { info }
            | EuidError::Internal { info } => info,
        }
    }

    /// A defect, or a door call made wrongly (unknown operation, malformed arguments).
    pub(crate) fn internal(message: impl Into<String>) -> EuidError {
        EuidError::Internal { info: ErrorInfo::local(ErrorKind::Internal, message) }
    }
}

impl From<CoreError> for EuidError {
    fn from(err: CoreError) -> Self {
        let info = ErrorInfo {
            kind: err.kind().into(),
            message: err.to_string(),
            is_retryable: err.is_retryable(),
            http_status: err.http_status(),
            operator_status: err.operator_status().map(|status| status.as_wire().to_owned()),
            retry_after_ms: match &err {
                CoreError::RateLimited { retry_after } => {
                    retry_after.map(|after| u64::try_from(after.as_millis()).unwrap_or(u64::MAX))
                }
                _ => None,
            },
        };
        match err {
            CoreError::InvalidInput(_) => EuidError::InvalidInput { info },
            CoreError::InvalidIdentity(_) => EuidError::InvalidIdentity { info },
            CoreError::Config(_) => EuidError::Config { info },
            CoreError::Unauthorized => EuidError::Unauthorized { info },
            CoreError::Rejected { .. } => EuidError::ClientError { info },
            CoreError::ClockDrift { .. } => EuidError::ClockDrift { info },
            CoreError::Server { .. } => EuidError::ServerError { info },
            CoreError::RateLimited { .. } => EuidError::RateLimited { info },
            CoreError::Timeout(_) => EuidError::Timeout { info },
            CoreError::Network(_) => EuidError::Network { info },
            CoreError::Proxy(_) => EuidError::Proxy { info },
            CoreError::UntrustedCertificate(_) => EuidError::UntrustedCertificate { info },
            CoreError::Protocol(_) => EuidError::Protocol { info },
            CoreError::Store(_) => EuidError::Store { info },
            CoreError::Closed(_) => EuidError::Closed { info },
            _ => EuidError::Internal { info },
        }
    }
}

impl From<euid_core::InputError> for EuidError {
    fn from(err: euid_core::InputError) -> Self {
        CoreError::from(err).into()
    }
}

/// A foreign callback raised something that is not an `EuidError`: a store failure, whose
/// message the store adapter redacts before it goes further.
impl From<uniffi::UnexpectedUniFFICallbackError> for EuidError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        EuidError::Store { info: ErrorInfo::local(ErrorKind::Store, err.reason) }
    }
}

/// An invalid argument found while converting foreign values.
pub(crate) fn invalid_argument(field: &'static str, reason: &'static str) -> EuidError {
    euid_core::InputError::Argument { field, reason }.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snake_case(name: &str) -> String {
        let mut out = String::new();
        for (index, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && index > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        out
    }

    #[test]
    fn every_core_kind_has_its_own_variant_named_as_in_core() {
        for kind in euid_core::ErrorKind::ALL {
            let mirrored = ErrorKind::from(kind);
            assert_eq!(snake_case(&format!("{mirrored:?}")), kind.as_str());
        }
    }

    #[test]
    fn every_field_comes_from_the_core_error() {
        let err = EuidError::from(CoreError::RateLimited {
            retry_after: Some(std::time::Duration::from_millis(1500)),
        });
        let EuidError::RateLimited { info } = &err else { panic!("{err:?}") };
        assert_eq!(info.kind, ErrorKind::RateLimited);
        assert!(info.is_retryable);
        assert_eq!((info.http_status, info.retry_after_ms), (Some(429), Some(1500)));
        assert_eq!(err.to_string(), CoreError::RateLimited { retry_after: None }.to_string());

        let err = EuidError::from(CoreError::Rejected {
            http_status: 400,
            status: Some(euid_core::OperatorStatus::from_wire("client_error")),
            message: "bad request".into(),
        });
        let EuidError::ClientError { info } = &err else { panic!("{err:?}") };
        assert_eq!(info.kind, ErrorKind::ClientError);
        assert!(!info.is_retryable);
        assert_eq!(info.http_status, Some(400));
        assert_eq!(info.operator_status.as_deref(), Some("client_error"));
        assert_eq!(info.retry_after_ms, None);

        let err = EuidError::from(CoreError::Closed("the client is closed"));
        assert!(matches!(&err, EuidError::Closed { info } if info.kind == ErrorKind::Closed));
        assert_eq!(err.info().message, CoreError::Closed("the client is closed").to_string());
    }
}
