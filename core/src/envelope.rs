//! The v2 envelope: AES-256-GCM (12-byte IV, 16-byte tag, no associated data) around a
//! timestamp, a nonce and JSON.
//!
//! | direction | layout |
//! |---|---|
//! | request | `0x01` · IV · seal(timestamp ms, 8 BE · nonce, 8 · JSON) · tag |
//! | response (generate, validate) | IV · seal(timestamp ms, 8 BE · nonce, 8 · JSON) · tag |
//! | refresh response | IV · seal(JSON) · tag, under the identity's `refresh_response_key` |
//!
//! Everything random or time-dependent is an argument, so the shared test vectors are exact.
//! Both sides are here: the client seals requests and opens responses; the emulator does the
//! reverse with the same code.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce, Tag};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use crate::credentials::SecretKey;
use crate::error::ProtocolError;

/// The request envelope version byte.
pub const ENVELOPE_VERSION: u8 = 1;
/// AES-GCM IV length.
pub const IV_LEN: usize = 12;
/// AES-GCM tag length.
pub const TAG_LEN: usize = 16;
/// Request nonce length.
pub const NONCE_LEN: usize = 8;
/// Timestamp length (big-endian epoch milliseconds).
pub const TIMESTAMP_LEN: usize = 8;
/// The smallest valid request envelope: version, IV, timestamp, nonce, tag.
pub const MIN_REQUEST_LEN: usize = 1 + IV_LEN + TIMESTAMP_LEN + NONCE_LEN + TAG_LEN;
/// The smallest valid generate or validate response: IV, timestamp, nonce, tag.
pub const MIN_RESPONSE_LEN: usize = IV_LEN + TIMESTAMP_LEN + NONCE_LEN + TAG_LEN;
/// The smallest valid refresh response: IV and tag around an empty plaintext.
pub const MIN_REFRESH_RESPONSE_LEN: usize = IV_LEN + TAG_LEN;

/// The 8-byte request nonce, echoed by the response.
pub type RequestNonce = [u8; NONCE_LEN];

/// The per-request values that are random or time-dependent, injected so vectors are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SealParams {
    /// Epoch milliseconds written into the plaintext.
    pub timestamp_ms: i64,
    /// The request nonce.
    pub nonce: RequestNonce,
    /// The AES-GCM IV.
    pub iv: [u8; IV_LEN],
}

impl SealParams {
    /// A fresh random nonce and IV at `timestamp_ms`.
    pub fn random(timestamp_ms: i64) -> SealParams {
        let mut nonce = [0u8; NONCE_LEN];
        let mut iv = [0u8; IV_LEN];
        rand::fill(&mut nonce);
        rand::fill(&mut iv);
        SealParams { timestamp_ms, nonce, iv }
    }
}

/// A decrypted request envelope (what the operator sees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedRequest {
    /// The request's epoch-millisecond timestamp.
    pub timestamp_ms: i64,
    /// The request nonce.
    pub nonce: RequestNonce,
    /// The request JSON bytes.
    pub payload: Vec<u8>,
}

/// A decrypted generate or validate response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedResponse {
    /// The operator's epoch-millisecond timestamp.
    pub timestamp_ms: i64,
    /// The response JSON bytes.
    pub payload: Vec<u8>,
}

/// How envelopes travel in an HTTP body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Standard padded base64 text (the default of every SDK).
    #[default]
    Base64,
    /// Raw bytes, `Content-Type: application/octet-stream`.
    Binary,
}

impl Encoding {
    /// The request `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Base64 => "text/plain",
            Encoding::Binary => "application/octet-stream",
        }
    }

    /// Encodes envelope bytes as a body.
    pub fn encode(self, envelope: Vec<u8>) -> Vec<u8> {
        match self {
            Encoding::Base64 => STANDARD.encode(envelope).into_bytes(),
            Encoding::Binary => envelope,
        }
    }

    /// Decodes a body into envelope bytes.
    ///
    /// # Errors
    ///
    /// [`ProtocolError::BadBase64`] for a base64 body that is not standard padded base64
    /// (surrounding ASCII whitespace is tolerated).
    pub fn decode(self, body: &[u8]) -> Result<Vec<u8>, ProtocolError> {
        match self {
            Encoding::Base64 => decode_base64(body),
            Encoding::Binary => Ok(body.to_vec()),
        }
    }
}

/// Strict standard base64 with padding, ignoring surrounding ASCII whitespace.
///
/// # Errors
///
/// [`ProtocolError::BadBase64`].
pub fn decode_base64(body: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    STANDARD.decode(body.trim_ascii()).map_err(|_| ProtocolError::BadBase64)
}

/// Seals a request: `0x01 | IV | AES-GCM(timestamp | nonce | payload) | tag`.
pub fn seal_request(key: &SecretKey, payload: &[u8], params: &SealParams) -> Vec<u8> {
    let mut out = Vec::with_capacity(MIN_REQUEST_LEN + payload.len());
    out.push(ENVELOPE_VERSION);
    out.extend_from_slice(&params.iv);
    out.extend_from_slice(&params.timestamp_ms.to_be_bytes());
    out.extend_from_slice(&params.nonce);
    out.extend_from_slice(payload);
    seal_tail(key, &params.iv, &mut out, 1 + IV_LEN);
    out
}

/// Opens a request envelope, checking in the operator's order: length, version, authentication.
///
/// # Errors
///
/// [`ProtocolError::TooShort`], [`ProtocolError::BadVersion`] or
/// [`ProtocolError::AuthenticationFailed`].
pub fn open_request(key: &SecretKey, envelope: &[u8]) -> Result<OpenedRequest, ProtocolError> {
    if envelope.len() < MIN_REQUEST_LEN {
        return Err(ProtocolError::TooShort { len: envelope.len(), min: MIN_REQUEST_LEN });
    }
    if envelope[0] != ENVELOPE_VERSION {
        return Err(ProtocolError::BadVersion(envelope[0]));
    }
    let plaintext = open(key, &envelope[1..])?;
    let (timestamp_ms, nonce, payload) = split_prefixed(plaintext);
    Ok(OpenedRequest { timestamp_ms, nonce, payload })
}

/// Seals a generate or validate response: `IV | AES-GCM(timestamp | nonce | payload) | tag`.
pub fn seal_response(key: &SecretKey, payload: &[u8], params: &SealParams) -> Vec<u8> {
    let mut out = Vec::with_capacity(MIN_RESPONSE_LEN + payload.len());
    out.extend_from_slice(&params.iv);
    out.extend_from_slice(&params.timestamp_ms.to_be_bytes());
    out.extend_from_slice(&params.nonce);
    out.extend_from_slice(payload);
    seal_tail(key, &params.iv, &mut out, IV_LEN);
    out
}

/// Opens a generate or validate response and checks that it echoes `expected_nonce`.
///
/// # Errors
///
/// [`ProtocolError::TooShort`], [`ProtocolError::AuthenticationFailed`] or
/// [`ProtocolError::NonceMismatch`].
pub fn open_response(
    key: &SecretKey,
    envelope: &[u8],
    expected_nonce: &RequestNonce,
) -> Result<OpenedResponse, ProtocolError> {
    if envelope.len() < MIN_RESPONSE_LEN {
        return Err(ProtocolError::TooShort { len: envelope.len(), min: MIN_RESPONSE_LEN });
    }
    let (timestamp_ms, nonce, payload) = split_prefixed(open(key, envelope)?);
    if &nonce != expected_nonce {
        return Err(ProtocolError::NonceMismatch);
    }
    Ok(OpenedResponse { timestamp_ms, payload })
}

/// Seals a refresh response under a `refresh_response_key`: `IV | AES-GCM(payload) | tag`.
pub fn seal_refresh_response(key: &SecretKey, payload: &[u8], iv: &[u8; IV_LEN]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MIN_REFRESH_RESPONSE_LEN + payload.len());
    out.extend_from_slice(iv);
    out.extend_from_slice(payload);
    seal_tail(key, iv, &mut out, IV_LEN);
    out
}

/// Opens a refresh response: the plaintext is the JSON itself, with no timestamp or nonce.
///
/// # Errors
///
/// [`ProtocolError::TooShort`] or [`ProtocolError::AuthenticationFailed`].
pub fn open_refresh_response(key: &SecretKey, envelope: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    if envelope.len() < MIN_REFRESH_RESPONSE_LEN {
        return Err(ProtocolError::TooShort { len: envelope.len(), min: MIN_REFRESH_RESPONSE_LEN });
    }
    open(key, envelope)
}

fn cipher(key: &SecretKey) -> Aes256Gcm {
    Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key.as_bytes()))
}

/// Encrypts `buf[start..]` in place and appends the tag.
fn seal_tail(key: &SecretKey, iv: &[u8; IV_LEN], buf: &mut Vec<u8>, start: usize) {
    let tag = cipher(key)
        .encrypt_inout_detached(&Nonce::from(*iv), &[], (&mut buf[start..]).into())
        // Only fails for plaintexts over 64 GiB, which no caller can build.
        .unwrap_or_default();
    buf.extend_from_slice(tag.as_slice());
}

/// Decrypts `IV | ciphertext | tag` (the caller checked the length).
fn open(key: &SecretKey, envelope: &[u8]) -> Result<Vec<u8>, ProtocolError> {
    let (iv, rest) = envelope.split_at(IV_LEN);
    let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
    let iv: [u8; IV_LEN] = iv.try_into().map_err(|_| ProtocolError::AuthenticationFailed)?;
    let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| ProtocolError::AuthenticationFailed)?;
    let mut plaintext = ciphertext.to_vec();
    cipher(key)
        .decrypt_inout_detached(
            &Nonce::from(iv),
            &[],
            plaintext.as_mut_slice().into(),
            &Tag::from(tag),
        )
        .map_err(|_| ProtocolError::AuthenticationFailed)?;
    Ok(plaintext)
}

/// Splits `timestamp | nonce | payload` (at least 16 bytes, checked by the callers' minimums).
fn split_prefixed(mut plaintext: Vec<u8>) -> (i64, RequestNonce, Vec<u8>) {
    let mut timestamp = [0u8; TIMESTAMP_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    timestamp.copy_from_slice(&plaintext[..TIMESTAMP_LEN]);
    nonce.copy_from_slice(&plaintext[TIMESTAMP_LEN..TIMESTAMP_LEN + NONCE_LEN]);
    plaintext.drain(..TIMESTAMP_LEN + NONCE_LEN);
    (i64::from_be_bytes(timestamp), nonce, plaintext)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        SecretKey::from_bytes([7; 32])
    }

    #[test]
    fn request_round_trips_and_a_flipped_bit_fails() {
        let params = SealParams::random(1_700_000_000_000);
        let mut sealed = seal_request(&key(), br#"{"email_hash":"x"}"#, &params);
        let opened = open_request(&key(), &sealed).unwrap();
        assert_eq!(opened.timestamp_ms, params.timestamp_ms);
        assert_eq!(opened.nonce, params.nonce);
        assert_eq!(opened.payload, br#"{"email_hash":"x"}"#);
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert_eq!(open_request(&key(), &sealed), Err(ProtocolError::AuthenticationFailed));
    }

    #[test]
    fn response_nonce_must_match() {
        let params = SealParams::random(1);
        let sealed = seal_response(&key(), b"{}", &params);
        assert_eq!(open_response(&key(), &sealed, &params.nonce).unwrap().payload, b"{}");
        let other = [0xAA; NONCE_LEN];
        assert_eq!(open_response(&key(), &sealed, &other), Err(ProtocolError::NonceMismatch));
    }

    #[test]
    fn refresh_response_has_no_prefix() {
        let iv = [1; IV_LEN];
        let sealed = seal_refresh_response(&key(), br#"{"status":"optout"}"#, &iv);
        assert_eq!(sealed.len(), IV_LEN + 19 + TAG_LEN);
        assert_eq!(open_refresh_response(&key(), &sealed).unwrap(), br#"{"status":"optout"}"#);
    }
}
