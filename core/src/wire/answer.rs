//! Answers: the operator's `{"status", "body", "message"}` JSON, decrypted from its envelope when
//! it comes in one, read into outcomes.

use serde::Deserialize;
use serde_json::Value;

use crate::credentials::SecretKey;
use crate::envelope::{self, Encoding, RequestNonce};
use crate::error::{Error, ProtocolError, Result};
use crate::identity::Identity;
use crate::outcome::{GenerateOutcome, RefreshOutcome};
use crate::status::OperatorStatus;

/// The longest operator message kept in an error, in characters.
const MAX_MESSAGE_CHARS: usize = 200;

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
