//! The one error type of the core, and how it classifies itself.
//!
//! Protocol answers (opt-out, insufficient consent, expired or invalid refresh tokens) are not
//! errors: they are variants of [`GenerateOutcome`](crate::GenerateOutcome) and
//! [`RefreshOutcome`](crate::RefreshOutcome). An [`Error`] means the call could not complete.
//!
//! No variant carries a secret, a token, an email or a response body: `Display` and `Debug` are
//! safe to log.

use std::time::Duration;

use crate::status::OperatorStatus;

/// `Result` with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a call into the core can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The caller passed an email, phone number, hash or argument that is not valid. Not retryable.
    #[error("invalid input: {0}")]
    InvalidInput(#[from] InputError),
    /// An identity (from JSON, a cookie or a store) is malformed.
    #[error("invalid identity: {0}")]
    InvalidIdentity(String),
    /// The client is misconfigured: base URL, client secret, timeouts.
    #[error("configuration error: {0}")]
    Config(String),
    /// HTTP 401 `{"status":"unauthorized"}`: the API key is missing, unknown or lacks the role.
    #[error("unauthorized: the operator rejected the API key (HTTP 401)")]
    Unauthorized,
    /// The operator rejected the request (HTTP 4xx other than 401 and 429), with its message.
    #[error("the operator rejected the request (HTTP {http_status}): {message}")]
    Rejected {
        /// HTTP status code.
        http_status: u16,
        /// The operator's `status` field (`client_error`, ...), if the body was JSON.
        status: Option<OperatorStatus>,
        /// The operator's `message`, or a description of a non-JSON body.
        message: String,
    },
    /// HTTP 400 "Invalid timestamp": the request time was outside the operator's window (about
    /// 2 minutes) and the client had no correction that worked. Synchronize the clock (NTP).
    #[error("clock drift: {}", clock_drift_text(*corrected_by_ms, message))]
    ClockDrift {
        /// The operator's message.
        message: String,
        /// The correction the rejected request carried, if the client had learned one.
        corrected_by_ms: Option<i64>,
    },
    /// HTTP 5xx from the operator or a proxy in front of it.
    #[error("operator server error (HTTP {http_status}): {message}")]
    Server {
        /// HTTP status code.
        http_status: u16,
        /// The operator's message, or a description of a non-JSON body.
        message: String,
    },
    /// HTTP 429.
    #[error("rate limited by the operator (HTTP 429)")]
    RateLimited {
        /// The `Retry-After` delay, when the response gave one in seconds.
        retry_after: Option<Duration>,
    },
    /// An attempt or the whole call ran past its deadline.
    #[error("timed out: {0}")]
    Timeout(String),
    /// Connecting, sending or receiving failed (DNS, refused, reset, TLS).
    #[error("network error: {0}")]
    Network(String),
    /// The forward proxy could not be used: unreachable, asking for credentials, or refusing.
    #[error("proxy error: {0}")]
    Proxy(#[from] ProxyError),
    /// The operator's TLS certificate is not trusted (unknown issuer, wrong name, expired): its
    /// CA is in neither the platform's store nor the ones the client was given. Not retryable.
    #[error("TLS certificate not trusted: {0}")]
    UntrustedCertificate(String),
    /// The operator answered something this SDK cannot read.
    #[error("protocol error: {0}")]
    Protocol(#[from] ProtocolError),
    /// The identity store failed.
    #[error("identity store error: {0}")]
    Store(String),
    /// The client or manager was closed before the call looked it up (its message says which).
    /// Not retryable.
    #[error("{0}")]
    Closed(&'static str),
    /// A defect in the SDK (a task panicked or was cancelled). Please report it.
    #[error("internal error: {0}")]
    Internal(String),
}

/// What is wrong with an input, without the input itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Not an email address the operator accepts.
    #[error("invalid email address: {0}")]
    Email(&'static str),
    /// Not a normalized phone number (`+` then 10 to 15 ASCII digits).
    #[error("invalid phone number: {0}")]
    Phone(&'static str),
    /// Not a SHA-256 email hash (44-character base64 or 64-character hex).
    #[error("invalid email hash: {0}")]
    EmailHash(&'static str),
    /// Not a SHA-256 phone hash (44-character base64 or 64-character hex).
    #[error("invalid phone hash: {0}")]
    PhoneHash(&'static str),
    /// Another argument is invalid.
    #[error("invalid {field}: {reason}")]
    Argument {
        /// The argument's name.
        field: &'static str,
        /// Why it is invalid.
        reason: &'static str,
    },
}

/// Why the forward proxy could not be used. The proxy's address is `http://host:port`, never
/// with its credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyError {
    /// No connection to the proxy (refused, timed out, closed). Retryable.
    #[error("cannot reach the proxy {proxy}: {reason}")]
    Unreachable {
        /// The proxy's address.
        proxy: String,
        /// What failed.
        reason: String,
    },
    /// HTTP 407: the proxy wants credentials, or rejected the ones sent. Not retryable.
    #[error("{}", auth_text(proxy, *credentials_sent))]
    AuthRequired {
        /// The proxy's address.
        proxy: String,
        /// Whether the request carried credentials.
        credentials_sent: bool,
    },
    /// The proxy refused to open a tunnel to the operator: its rules forbid the destination,
    /// or it could not reach it. Not retryable.
    #[error(
        "the proxy {proxy} refused to open a tunnel to {target} (its access rules forbid it, or \
         it cannot reach that host)"
    )]
    Refused {
        /// The proxy's address.
        proxy: String,
        /// The operator's `host:port`.
        target: String,
    },
}

fn auth_text(proxy: &str, credentials_sent: bool) -> String {
    if credentials_sent {
        format!("the proxy {proxy} rejected the credentials of the proxy URL (HTTP 407)")
    } else {
        format!(
            "the proxy {proxy} requires authentication (HTTP 407); give the credentials in the \
             proxy URL: http://user:password@host:port"
        )
    }
}

/// A response the SDK could not read: the envelope, the cipher text or the JSON inside.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// Fewer bytes than the smallest valid envelope.
    #[error("envelope too short ({len} bytes, at least {min} needed)")]
    TooShort {
        /// Bytes received.
        len: usize,
        /// Bytes needed.
        min: usize,
    },
    /// The body is not standard padded base64.
    #[error("body is not valid base64")]
    BadBase64,
    /// A request envelope's version byte is not 1.
    #[error("unsupported envelope version {0}")]
    BadVersion(u8),
    /// AES-GCM authentication failed: wrong key, or the data was altered.
    #[error("decryption failed: wrong key or corrupted data")]
    AuthenticationFailed,
    /// The response does not echo the request's nonce.
    #[error("the response nonce does not match the request nonce")]
    NonceMismatch,
    /// The plaintext is not the JSON expected.
    #[error("not valid JSON: {0}")]
    NotJson(String),
    /// Valid JSON, but not an answer this endpoint can give.
    #[error("unexpected response: {0}")]
    Unexpected(String),
    /// The response body exceeds the client's size cap.
    #[error("response body larger than {limit} bytes")]
    TooLarge {
        /// The cap in bytes.
        limit: usize,
    },
}

impl Error {
    /// Whether trying the same request again may succeed: network failures, an unreachable
    /// proxy, timeouts, HTTP 5xx and 429. Never a 4xx answer, an outcome, a decryption failure,
    /// a proxy's refusal or an untrusted certificate.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Network(_)
                | Error::Proxy(ProxyError::Unreachable { .. })
                | Error::Timeout(_)
                | Error::Server { .. }
                | Error::RateLimited { .. }
        )
    }

    /// Whether the error is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The HTTP status code of the operator's answer (or the proxy's 407), if the error came
    /// from one.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Unauthorized => Some(401),
            Error::Rejected { http_status, .. } | Error::Server { http_status, .. } => {
                Some(*http_status)
            }
            Error::ClockDrift { .. } => Some(400),
            Error::RateLimited { .. } => Some(429),
            Error::Proxy(ProxyError::AuthRequired { .. }) => Some(407),
            _ => None,
        }
    }

    /// How long the operator asked to wait before trying again (`Retry-After` of a 429).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }

    /// The operator's `status` field, if the error came from a JSON answer.
    pub fn operator_status(&self) -> Option<&OperatorStatus> {
        match self {
            Error::Rejected { status, .. } => status.as_ref(),
            _ => None,
        }
    }

    pub(crate) fn json(err: &serde_json::Error) -> Error {
        Error::Protocol(ProtocolError::NotJson(json_error_text(err)))
    }
}

/// What a clock-drift rejection means, plainly.
fn clock_drift_text(corrected_by_ms: Option<i64>, message: &str) -> String {
    match corrected_by_ms {
        None => format!(
            "this machine's clock is off from the operator's by more than the operator accepts \
             (about 2 minutes), and no answer of the operator has shown by how much; synchronize \
             this machine's clock (NTP) (operator: {message})"
        ),
        Some(offset) => format!(
            "the operator rejected the request time, though corrected by {offset} ms to its clock as \
             last seen; synchronize this machine's clock (NTP) (operator: {message})"
        ),
    }
}

/// serde_json's message without the offending content: its category and position only.
pub(crate) fn json_error_text(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match err.classify() {
        Category::Io => "I/O error",
        Category::Syntax => "syntax error",
        Category::Data => "unexpected shape",
        Category::Eof => "unexpected end of input",
    };
    format!("{what} at line {} column {}", err.line(), err.column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_errors_are_retryable() {
        assert!(Error::Network("reset".into()).is_retryable());
        assert!(Error::Timeout("attempt".into()).is_retryable());
        assert!(Error::Server { http_status: 503, message: String::new() }.is_retryable());
        assert!(Error::RateLimited { retry_after: None }.is_retryable());
        assert!(!Error::Unauthorized.is_retryable());
        assert!(!Error::ClockDrift { message: String::new(), corrected_by_ms: None }.is_retryable());
        assert!(!Error::Protocol(ProtocolError::NonceMismatch).is_retryable());
        let rejected = Error::Rejected {
            http_status: 400,
            status: Some(OperatorStatus::ClientError),
            message: "Invalid Identifier".into(),
        };
        assert!(!rejected.is_retryable());
        assert_eq!(rejected.http_status(), Some(400));
        assert_eq!(rejected.operator_status(), Some(&OperatorStatus::ClientError));
        let closed = Error::Closed("the client is closed");
        assert!(!closed.is_retryable());
        assert_eq!(closed.http_status(), None);
        assert_eq!(closed.to_string(), "the client is closed");
    }

    #[test]
    fn only_a_rate_limit_has_a_retry_after() {
        let wait = Duration::from_secs(3);
        assert_eq!(Error::RateLimited { retry_after: Some(wait) }.retry_after(), Some(wait));
        assert_eq!(Error::RateLimited { retry_after: None }.retry_after(), None);
        assert_eq!(Error::Server { http_status: 503, message: String::new() }.retry_after(), None);
    }
}
