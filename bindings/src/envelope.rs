//! The envelope and answer functions the shared test vectors exercise, so that every language
//! runs the same cases against the same code: the bodies of the door's envelope ops, and the
//! request JSON as a plain UniFFI function.

use euid_core::envelope::{self, Encoding, SealParams};
use euid_core::wire::{self, Answer};
use euid_core::SecretKey;

use crate::error::{invalid_argument, EuidError};
use crate::types::{generate_request, DiiInput, GenerateOutcome, RefreshOutcome};

/// A decrypted request envelope.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct OpenedRequest {
    pub timestamp_ms: i64,
    pub nonce: Vec<u8>,
    pub payload: Vec<u8>,
}

impl std::fmt::Debug for OpenedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedRequest")
            .field("timestamp_ms", &self.timestamp_ms)
            .finish_non_exhaustive()
    }
}

fn key(base64: &str) -> Result<SecretKey, EuidError> {
    Ok(SecretKey::from_base64(base64, "key")?)
}

fn params(timestamp_ms: i64, nonce: &[u8], iv: &[u8]) -> Result<SealParams, EuidError> {
    Ok(SealParams {
        timestamp_ms,
        nonce: nonce.try_into().map_err(|_| invalid_argument("nonce", "must be 8 bytes"))?,
        iv: iv.try_into().map_err(|_| invalid_argument("iv", "must be 12 bytes"))?,
    })
}

fn encoding(binary: bool) -> Encoding {
    if binary {
        Encoding::Binary
    } else {
        Encoding::Base64
    }
}

/// Seals a request envelope (bytes, before base64) with an explicit time, nonce and IV.
pub(crate) fn envelope_seal_request(
    key_base64: String,
    payload: Vec<u8>,
    timestamp_ms: i64,
    nonce: Vec<u8>,
    iv: Vec<u8>,
) -> Result<Vec<u8>, EuidError> {
    Ok(envelope::seal_request(&key(&key_base64)?, &payload, &params(timestamp_ms, &nonce, &iv)?))
}

/// Opens a request body (base64 text, or raw bytes if `binary`) as the operator does.
pub(crate) fn envelope_open_request(
    key_base64: String,
    body: Vec<u8>,
    binary: bool,
) -> Result<OpenedRequest, EuidError> {
    let key = key(&key_base64)?;
    let opened = encoding(binary)
        .decode(&body)
        .and_then(|bytes| envelope::open_request(&key, &bytes))
        .map_err(euid_core::Error::from)?;
    Ok(OpenedRequest {
        timestamp_ms: opened.timestamp_ms,
        nonce: opened.nonce.to_vec(),
        payload: opened.payload,
    })
}

/// Seals a generate or validate response (bytes, before base64).
pub(crate) fn envelope_seal_response(
    key_base64: String,
    payload: Vec<u8>,
    timestamp_ms: i64,
    nonce: Vec<u8>,
    iv: Vec<u8>,
) -> Result<Vec<u8>, EuidError> {
    Ok(envelope::seal_response(&key(&key_base64)?, &payload, &params(timestamp_ms, &nonce, &iv)?))
}

/// Decrypts a generate response body and reads its answer.
pub(crate) fn decrypt_generate_response(
    key_base64: String,
    body: Vec<u8>,
    binary: bool,
    nonce: Vec<u8>,
) -> Result<GenerateOutcome, EuidError> {
    let nonce: [u8; 8] =
        nonce.as_slice().try_into().map_err(|_| invalid_argument("nonce", "must be 8 bytes"))?;
    let (_, answer) = wire::open_answer(&key(&key_base64)?, &body, encoding(binary), &nonce)?;
    Ok(Answer::into_generate_outcome(answer)?.into())
}

/// Reads a successful refresh response: decrypted with the key, or plain JSON without one.
pub(crate) fn decrypt_refresh_response(
    key_base64: Option<String>,
    body: Vec<u8>,
) -> Result<RefreshOutcome, EuidError> {
    let key = key_base64.as_deref().map(key).transpose()?;
    Ok(wire::open_refresh_answer(key.as_ref(), &body)?.into())
}

/// The JSON a generate request carries inside its envelope.
#[uniffi::export]
pub fn generate_request_json(
    dii: DiiInput,
    tcf_consent_string: Option<String>,
) -> Result<String, EuidError> {
    let json = generate_request(&dii, tcf_consent_string)?.to_json();
    String::from_utf8(json).map_err(|_| invalid_argument("request", "is not UTF-8"))
}
