//! The operator's JSON: request payloads in, answers out, and HTTP statuses mapped to outcomes
//! or errors. No I/O: the client feeds it bytes, and so do the shared vectors.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::credentials::SecretKey;
use crate::dii::Dii;
use crate::envelope::{self, Encoding, RequestNonce};
use crate::error::{Error, InputError, ProtocolError, Result};
use crate::identity::Identity;
use crate::outcome::{GenerateOutcome, RefreshOutcome};
use crate::status::OperatorStatus;

/// The longest operator message kept in an error, in characters.
const MAX_MESSAGE_CHARS: usize = 200;

/// A `/v2/token/generate` request: one identifier and an optional TCF consent string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateRequest {
    dii: Dii,
    tcf_consent_string: Option<String>,
}

impl GenerateRequest {
    /// A request for `dii`.
    pub fn new(dii: Dii) -> GenerateRequest {
        GenerateRequest { dii, tcf_consent_string: None }
    }

    /// Adds an IAB TCF v2 consent string (EUID only). The operator answers
    /// [`GenerateOutcome::InsufficientConsent`] when it lacks consent, and rejects a string it
    /// cannot parse ("User consent is invalid").
    ///
    /// # Errors
    ///
    /// [`InputError::Argument`] if the string is empty or not printable ASCII.
    pub fn with_tcf_consent_string(mut self, consent: &str) -> Result<GenerateRequest> {
        if consent.is_empty() || !consent.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(InputError::Argument {
                field: "tcf_consent_string",
                reason: "must be a non-empty ASCII TC string",
            }
            .into());
        }
        self.tcf_consent_string = Some(consent.to_owned());
        Ok(self)
    }

    /// The identifier.
    pub fn dii(&self) -> &Dii {
        &self.dii
    }

    /// The consent string, if any.
    pub fn tcf_consent_string(&self) -> Option<&str> {
        self.tcf_consent_string.as_deref()
    }

    /// The compact request JSON. `optout_check: 1` is included for private operators older
    /// than v5.66, which require it; current operators ignore it.
    pub fn to_json(&self) -> Vec<u8> {
        let mut map = Map::with_capacity(3);
        map.insert(self.dii.kind().field().into(), self.dii.value().into());
        if let Some(consent) = &self.tcf_consent_string {
            map.insert("tcf_consent_string".into(), consent.clone().into());
        }
        map.insert("optout_check".into(), 1.into());
        Value::Object(map).to_string().into_bytes()
    }
}

/// The `/v2/token/validate` payload: `{"token": ..., "<dii field>": ...}`.
pub fn validate_request_json(advertising_token: &str, dii: &Dii) -> Vec<u8> {
    let mut map = Map::with_capacity(2);
    map.insert("token".into(), advertising_token.into());
    map.insert(dii.kind().field().into(), dii.value().into());
    Value::Object(map).to_string().into_bytes()
}

/// A decoded answer: `{"status": ..., "body": ..., "message": ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// `status`.
    pub status: OperatorStatus,
    /// `body`, if present and not null.
    pub body: Option<Value>,
    /// `message`, if present.
    pub message: Option<String>,
}

#[derive(Deserialize)]
struct RawAnswer {
    status: String,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    message: Option<Value>,
}

impl Answer {
    /// Parses answer JSON.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::NotJson`] unless it is an object with a string `status`.
    pub fn parse(json: &[u8]) -> Result<Answer> {
        // serde's derived struct parser would also accept a JSON array.
        if json.trim_ascii_start().first() != Some(&b'{') {
            return Err(ProtocolError::NotJson("not a JSON object".into()).into());
        }
        let raw: RawAnswer = serde_json::from_slice(json).map_err(|err| Error::json(&err))?;
        Ok(Answer {
            status: OperatorStatus::from_wire(&raw.status),
            body: raw.body.filter(|body| !body.is_null()),
            message: raw.message.map(|message| match message {
                Value::String(text) => truncate(&text),
                other => truncate(&other.to_string()),
            }),
        })
    }

    /// Reads a generate answer.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Unexpected`] for a status a successful generate cannot have, or
    /// [`Error::InvalidIdentity`] for a malformed identity.
    pub fn into_generate_outcome(self) -> Result<GenerateOutcome> {
        match self.status {
            OperatorStatus::Success => Ok(GenerateOutcome::Success(identity_body(self.body)?)),
            OperatorStatus::OptOut => Ok(GenerateOutcome::OptOut),
            OperatorStatus::InsufficientUserConsent => Ok(GenerateOutcome::InsufficientConsent),
            other => Err(unexpected_status(&other)),
        }
    }

    /// Reads a refresh answer (the decrypted 200, or the JSON of a 400).
    ///
    /// # Errors
    ///
    /// As [`Answer::into_generate_outcome`].
    pub fn into_refresh_outcome(self) -> Result<RefreshOutcome> {
        match self.status {
            OperatorStatus::Success => Ok(RefreshOutcome::Refreshed(identity_body(self.body)?)),
            OperatorStatus::OptOut => Ok(RefreshOutcome::OptOut),
            OperatorStatus::ExpiredToken => Ok(RefreshOutcome::ExpiredToken),
            OperatorStatus::InvalidToken => Ok(RefreshOutcome::InvalidToken),
            OperatorStatus::Error => {
                log::warn!(
                    "refresh answered `error`: the token is expired or invalid and the operator \
                     did not accept the API key"
                );
                Ok(RefreshOutcome::InvalidToken)
            }
            other => Err(unexpected_status(&other)),
        }
    }

    /// Reads a validate answer: whether the token was generated from the identifier.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::Unexpected`] unless it is `success` with a boolean body.
    pub fn into_validate_outcome(self) -> Result<bool> {
        match (self.status, self.body) {
            (OperatorStatus::Success, Some(Value::Bool(valid))) => Ok(valid),
            (OperatorStatus::Success, _) => {
                Err(ProtocolError::Unexpected("validate body is not a boolean".into()).into())
            }
            (other, _) => Err(unexpected_status(&other)),
        }
    }
}

fn identity_body(body: Option<Value>) -> Result<Identity> {
    match body {
        Some(Value::Object(map)) => Identity::from_map(map),
        _ => Err(ProtocolError::Unexpected("success without an identity body".into()).into()),
    }
}

fn unexpected_status(status: &OperatorStatus) -> Error {
    ProtocolError::Unexpected(format!("status `{status}` in a successful response")).into()
}

fn truncate(text: &str) -> String {
    text.chars().take(MAX_MESSAGE_CHARS).collect()
}

/// Decrypts a generate or validate response body and parses its answer.
///
/// Returns the operator's timestamp (epoch ms) and the answer.
///
/// # Errors
///
/// The envelope errors of [`envelope::open_response`], then those of [`Answer::parse`].
pub fn open_answer(
    key: &SecretKey,
    body: &[u8],
    encoding: Encoding,
    nonce: &RequestNonce,
) -> Result<(i64, Answer)> {
    let envelope_bytes = encoding.decode(body)?;
    let opened = envelope::open_response(key, &envelope_bytes, nonce)?;
    Ok((opened.timestamp_ms, Answer::parse(&opened.payload)?))
}

/// Reads a successful (HTTP 200) refresh response: decrypted with the identity's
/// `refresh_response_key`, or plain JSON for a legacy identity without one.
///
/// # Errors
///
/// Envelope errors, then those of [`Answer::parse`] and [`Answer::into_refresh_outcome`].
pub fn open_refresh_answer(key: Option<&SecretKey>, body: &[u8]) -> Result<RefreshOutcome> {
    let answer = match key {
        Some(key) => {
            let envelope_bytes = envelope::decode_base64(body)?;
            Answer::parse(&envelope::open_refresh_response(key, &envelope_bytes)?)?
        }
        None => Answer::parse(body)?,
    };
    answer.into_refresh_outcome()
}

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
            400 if message.starts_with("Invalid timestamp") => Error::ClockDrift { message },
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
    fn generate_json_is_compact_and_ordered() {
        let request = GenerateRequest::new(Dii::email("user@example.com").unwrap())
            .with_tcf_consent_string("CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA")
            .unwrap();
        assert_eq!(
            String::from_utf8(request.to_json()).unwrap(),
            r#"{"email_hash":"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=","tcf_consent_string":"CPhJRpMPhJRpMABAMBFRACBoALAAAEJAAIYgAKwAQAKgArABAAqAAA","optout_check":1}"#
        );
    }

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
