//! `EuidError`: the one public error, mapped once from `euid_core::Error`.

use euid_core::Error as CoreError;

/// Every failure of the SDK. Each variant is a category a caller acts on; `kind` is the stable
/// fine-grained name (`invalid_email`, `decryption_failed`, ...) shared with the Rust core and
/// the test vectors, and `detail` the human-readable message (never a secret or a body).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum EuidError {
    /// An email, phone number, hash or argument is invalid. Fix the input.
    #[error("{detail}")]
    InvalidInput { kind: String, detail: String },
    /// Identity JSON (from storage or a cookie) is malformed. Establish a new identity.
    #[error("{detail}")]
    InvalidIdentity { kind: String, detail: String },
    /// The client configuration is invalid. Fix the configuration.
    #[error("{detail}")]
    Config { kind: String, detail: String },
    /// HTTP 401: the operator rejected the API key. Fix the credentials.
    #[error("{detail}")]
    Unauthorized { kind: String, detail: String },
    /// The operator rejected the request (HTTP 4xx), with its message.
    #[error("{detail}")]
    ClientError { kind: String, detail: String, http_status: i32, operator_status: Option<String> },
    /// The operator rejected the request time even after one correction. Sync the clock (NTP).
    #[error("{detail}")]
    ClockDrift { kind: String, detail: String },
    /// HTTP 5xx from the operator or a proxy, after the retries. Try again later.
    #[error("{detail}")]
    ServerError { kind: String, detail: String, http_status: i32 },
    /// HTTP 429, after the retries. Slow down.
    #[error("{detail}")]
    RateLimited { kind: String, detail: String, retry_after_ms: Option<i64> },
    /// The call ran past its timeout or deadline. Try again later.
    #[error("{detail}")]
    Timeout { kind: String, detail: String },
    /// The operator could not be reached. Try again later.
    #[error("{detail}")]
    Network { kind: String, detail: String },
    /// The operator's answer could not be read (envelope, decryption, nonce, JSON).
    #[error("{detail}")]
    Protocol { kind: String, detail: String },
    /// The identity store failed.
    #[error("{detail}")]
    Store { kind: String, detail: String },
    /// A defect in the SDK. Please report it.
    #[error("{detail}")]
    Internal { kind: String, detail: String },
}

impl From<CoreError> for EuidError {
    fn from(err: CoreError) -> Self {
        let kind = err.kind().as_str().to_owned();
        let detail = err.to_string();
        match err {
            CoreError::InvalidInput(_) => EuidError::InvalidInput { kind, detail },
            CoreError::InvalidIdentity(_) => EuidError::InvalidIdentity { kind, detail },
            CoreError::Config(_) => EuidError::Config { kind, detail },
            CoreError::Unauthorized => EuidError::Unauthorized { kind, detail },
            CoreError::Rejected { http_status, status, .. } => EuidError::ClientError {
                kind,
                detail,
                http_status: i32::from(http_status),
                operator_status: status.map(|status| status.as_wire().to_owned()),
            },
            CoreError::ClockDrift { .. } => EuidError::ClockDrift { kind, detail },
            CoreError::Server { http_status, .. } => {
                EuidError::ServerError { kind, detail, http_status: i32::from(http_status) }
            }
            CoreError::RateLimited { retry_after } => EuidError::RateLimited {
                kind,
                detail,
                retry_after_ms: retry_after
                    .map(|after| i64::try_from(after.as_millis()).unwrap_or(i64::MAX)),
            },
            CoreError::Timeout(_) => EuidError::Timeout { kind, detail },
            CoreError::Network(_) => EuidError::Network { kind, detail },
            CoreError::Protocol(_) => EuidError::Protocol { kind, detail },
            CoreError::Store(_) => EuidError::Store { kind, detail },
            _ => EuidError::Internal { kind, detail },
        }
    }
}

impl From<euid_core::InputError> for EuidError {
    fn from(err: euid_core::InputError) -> Self {
        CoreError::from(err).into()
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for EuidError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        EuidError::Store {
            kind: "store".into(),
            detail: format!("the store failed: {}", err.reason),
        }
    }
}

/// An invalid argument found while converting foreign values.
pub(crate) fn invalid_argument(field: &'static str, reason: &'static str) -> EuidError {
    euid_core::InputError::Argument { field, reason }.into()
}
