//! Failures: a non-200 HTTP answer mapped to an [`Error`], or to the refresh outcome an HTTP 400
//! carries.

use crate::error::Error;
use crate::outcome::RefreshOutcome;
use crate::status::OperatorStatus;
use crate::wire::answer::Answer;

/// The parts of a non-200 HTTP answer that decide the error.
#[derive(Debug, Clone, Copy)]
pub struct Failure<'a> {
    /// HTTP status code.
    pub http_status: u16,
    /// The body, plain JSON from the operator or anything from a proxy.
    pub body: &'a [u8],
    /// `Retry-After` in seconds, if given.
    pub retry_after_secs: Option<u64>,
}

impl Failure<'_> {
    /// The error this answer means, or, for refresh, the outcome it carries
    /// (`expired_token`, `invalid_token` and `error` come as HTTP 400).
    pub fn into_error(self) -> Error {
        let answer = Answer::parse(self.body).ok();
        let message = match &answer {
            Some(Answer { message: Some(message), .. }) => message.clone(),
            Some(answer) => format!("status `{}`", answer.status),
            None => describe_body(self.body),
        };
        match self.http_status {
            401 => Error::Unauthorized,
            429 => Error::RateLimited {
                retry_after: self.retry_after_secs.map(std::time::Duration::from_secs),
            },
            500..=599 => Error::Server { http_status: self.http_status, message },
            400 if message.starts_with("Invalid timestamp") => {
                Error::ClockDrift { message, corrected_by_ms: None }
            }
            http_status => {
                Error::Rejected { http_status, status: answer.map(|answer| answer.status), message }
            }
        }
    }

    /// A refresh outcome carried by an HTTP 400, if this is one.
    pub fn refresh_outcome(&self) -> Option<RefreshOutcome> {
        if self.http_status != 400 {
            return None;
        }
        let answer = Answer::parse(self.body).ok()?;
        match answer.status {
            OperatorStatus::ExpiredToken | OperatorStatus::InvalidToken | OperatorStatus::Error => {
                answer.into_refresh_outcome().ok()
            }
            _ => None,
        }
    }
}

/// Describes a body that is not JSON without quoting it.
fn describe_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let kind = if text.contains("<html") || text.contains("<!doctype") {
        "an HTML page"
    } else if body.is_empty() {
        "an empty body"
    } else {
        "a non-JSON body"
    };
    format!("{kind} ({} bytes)", body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_html_502_is_a_server_error_without_the_page() {
        let page = b"<html><body>Bad Gateway secret-ish</body></html>";
        let err = Failure { http_status: 502, body: page, retry_after_secs: None }.into_error();
        assert_eq!(
            err,
            Error::Server { http_status: 502, message: "an HTML page (48 bytes)".into() }
        );
    }

    #[test]
    fn invalid_timestamp_is_clock_drift() {
        let body = br#"{"status":"client_error","message":"Invalid timestamp: Request too old or client time drift."}"#;
        let err = Failure { http_status: 400, body, retry_after_secs: None }.into_error();
        assert_eq!(err.kind(), crate::ErrorKind::ClockDrift);
    }
}
