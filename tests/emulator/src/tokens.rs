//! Advertising and refresh tokens: minted and read back statelessly with server-only keys.
//!
//! A refresh token is the operator's v2 wrapper, 388 characters of standard base64 for 291
//! bytes: scope byte `0x10` (EUID) | refresh key id (int32 BE) | IV (12) | AES-256-GCM of
//! `{"refresh_response_key":"…","refresh_token":"<inner>"}` | tag (16). The inner token is
//! the emulator's own: `e1.E.<type>.<hash>.<issued>.<established>.<expires>.<flags>.`
//! padded with `0` to 168 characters, so the wrapper is exactly 291 bytes.
//!
//! Advertising tokens are the operator's V4 layout (see [`crate::advertising`]).

use euid_core::envelope::{open_refresh_response, seal_refresh_response, IV_LEN, TAG_LEN};
use euid_core::SecretKey;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::advertising::{self, AdvertisingKeys};
use crate::codec::{base64_encode, java_base64_decode};
use crate::identity::{HashedIdentity, IdentityType};

/// The operator's `V2_REFRESH_PAYLOAD_LENGTH`.
pub const REFRESH_TOKEN_LENGTH: usize = 388;
/// Decoded length of a refresh token.
const REFRESH_TOKEN_BYTES: usize = 291;
/// Length of the inner token that makes the wrapper exactly 291 bytes.
const INNER_LENGTH: usize = 168;
/// The identity scope byte of EUID (`IdentityScope.EUID << 4`).
pub const EUID_SCOPE_BYTE: u8 = 0x10;
/// Identities established before 2021-03-08T17:00Z are refused on refresh (`REFRESH_CUTOFF`).
pub const REFRESH_CUTOFF_MS: i64 = 1_615_222_800_000;

/// The server-only keys.
#[derive(Debug)]
pub struct TokenKeys {
    refresh_key_id: i32,
    refresh_key: SecretKey,
    /// The advertising token keys.
    pub advertising: AdvertisingKeys,
}

impl TokenKeys {
    /// Fresh random keys and a random refresh key id.
    pub fn random() -> TokenKeys {
        TokenKeys {
            refresh_key_id: rand::random_range(1..1_000_000),
            refresh_key: random_key(),
            advertising: AdvertisingKeys::random(),
        }
    }

    /// The id written into refresh tokens.
    pub fn refresh_key_id(&self) -> i32 {
        self.refresh_key_id
    }
}

/// A random 32-byte AES key.
pub fn random_key() -> SecretKey {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    SecretKey::from_bytes(bytes)
}

/// A random GCM IV.
pub fn random_iv() -> [u8; IV_LEN] {
    let mut iv = [0u8; IV_LEN];
    rand::fill(&mut iv);
    iv
}

/// What a refresh token says about its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshClaims {
    /// The user.
    pub identity: HashedIdentity,
    /// When this token was issued, epoch ms.
    pub issued_ms: i64,
    /// When the identity was first generated (kept across refreshes), epoch ms.
    pub established_ms: i64,
    /// `refresh_expires`, epoch ms.
    pub expires_ms: i64,
    /// A `refresh-optout` test identity: every refresh answers optout.
    pub refresh_optout: bool,
}

/// Why a 388-character refresh body was refused before its inner token was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrapperError {
    /// Not base64.
    NotBase64,
    /// Unknown refresh key id.
    UnknownKey(i32),
    /// AES-GCM authentication failed.
    Decrypt,
    /// Not the JSON expected, or no usable `refresh_response_key`.
    Format,
}

impl WrapperError {
    /// The operator's `message` (HTTP 400 `client_error`).
    pub fn message(&self) -> String {
        match self {
            WrapperError::NotBase64 => "Invalid body: Body is not valid base64.".to_owned(),
            WrapperError::UnknownKey(id) => {
                format!("Invalid key: Generator of this token (Key ID: {id}) does not exist.")
            }
            WrapperError::Decrypt => {
                "Invalid data: Check encryption method and encryption key.".to_owned()
            }
            WrapperError::Format => {
                "Invalid format: Payload is not valid json or missing required data.".to_owned()
            }
        }
    }
}

/// An opened refresh token wrapper.
#[derive(Debug)]
pub struct OpenedRefreshToken {
    /// The key to encrypt the answer with.
    pub response_key: SecretKey,
    /// The inner token, or `None` if it does not decode (an invalid token).
    pub claims: Option<RefreshClaims>,
}

#[derive(Serialize, Deserialize)]
struct Wrapper<'a> {
    refresh_response_key: &'a str,
    refresh_token: &'a str,
}

/// Mints a refresh token for `claims` whose answers `response_key` will encrypt.
pub fn mint_refresh_token(
    keys: &TokenKeys,
    claims: &RefreshClaims,
    response_key: &SecretKey,
) -> String {
    let mut inner = format!(
        "e1.E.{}.{}.{}.{}.{}.{}.",
        claims.identity.kind.code(),
        claims.identity.hash,
        claims.issued_ms,
        claims.established_ms,
        claims.expires_ms,
        u8::from(claims.refresh_optout),
    );
    while inner.len() < INNER_LENGTH {
        inner.push('0');
    }
    let response_key = response_key.to_base64();
    let wrapper = Wrapper { refresh_response_key: &response_key, refresh_token: &inner };
    let plaintext = serde_json::to_vec(&wrapper).unwrap_or_default();
    let sealed = seal_refresh_response(&keys.refresh_key, &plaintext, &random_iv());
    let mut bytes = Vec::with_capacity(REFRESH_TOKEN_BYTES);
    bytes.push(EUID_SCOPE_BYTE);
    bytes.extend_from_slice(&keys.refresh_key_id.to_be_bytes());
    bytes.extend_from_slice(&sealed);
    base64_encode(&bytes)
}

/// Opens a 388-character refresh body in the operator's order (`parseRefreshRequest`):
/// base64, key id, decryption, JSON; then reads the inner token.
///
/// # Errors
///
/// [`WrapperError`].
pub fn open_refresh_token(
    keys: &TokenKeys,
    body: &[u8],
) -> Result<OpenedRefreshToken, WrapperError> {
    let bytes = java_base64_decode(body).ok_or(WrapperError::NotBase64)?;
    let key_id: [u8; 4] =
        bytes.get(1..5).and_then(|id| id.try_into().ok()).ok_or(WrapperError::Decrypt)?;
    let key_id = i32::from_be_bytes(key_id);
    if key_id != keys.refresh_key_id {
        return Err(WrapperError::UnknownKey(key_id));
    }
    let sealed = &bytes[5..];
    if sealed.len() < IV_LEN + TAG_LEN {
        return Err(WrapperError::Decrypt);
    }
    let plaintext =
        open_refresh_response(&keys.refresh_key, sealed).map_err(|_| WrapperError::Decrypt)?;
    let wrapper: Wrapper<'_> =
        serde_json::from_slice(&plaintext).map_err(|_| WrapperError::Format)?;
    let response_key = SecretKey::from_base64(wrapper.refresh_response_key, "refresh_response_key")
        .map_err(|_| WrapperError::Format)?;
    Ok(OpenedRefreshToken { response_key, claims: parse_inner(wrapper.refresh_token) })
}

fn parse_inner(inner: &str) -> Option<RefreshClaims> {
    let mut fields = inner.split('.');
    if fields.next()? != "e1" || fields.next()? != "E" {
        return None;
    }
    let kind = IdentityType::from_code(fields.next()?)?;
    let hash = fields.next()?.to_owned();
    let issued_ms = fields.next()?.parse().ok()?;
    let established_ms = fields.next()?.parse().ok()?;
    let expires_ms = fields.next()?.parse().ok()?;
    let refresh_optout = fields.next()? == "1";
    Some(RefreshClaims {
        identity: HashedIdentity { kind, hash },
        issued_ms,
        established_ms,
        expires_ms,
        refresh_optout,
    })
}

/// Token lifetimes, ms.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// `identity_expires - now`.
    pub identity_ms: i64,
    /// `refresh_expires - now`.
    pub refresh_ms: i64,
    /// `refresh_from - now`.
    pub refresh_from_ms: i64,
}

/// Issues an identity at `now_ms`: the `body` of a generate or refresh success, in the
/// operator's field order.
pub fn issue_identity(
    keys: &TokenKeys,
    lifetimes: Lifetimes,
    identity: &HashedIdentity,
    site_id: i32,
    now_ms: i64,
    established_ms: i64,
    refresh_optout: bool,
) -> Map<String, Value> {
    let identity_expires = now_ms.saturating_add(lifetimes.identity_ms);
    let refresh_expires = now_ms.saturating_add(lifetimes.refresh_ms);
    let refresh_from = now_ms.saturating_add(lifetimes.refresh_from_ms);
    let response_key = random_key();
    let claims = RefreshClaims {
        identity: identity.clone(),
        issued_ms: now_ms,
        established_ms,
        expires_ms: refresh_expires,
        refresh_optout,
    };
    let mut body = Map::with_capacity(6);
    body.insert(
        "advertising_token".into(),
        advertising::mint(
            &keys.advertising,
            identity,
            site_id,
            now_ms,
            identity_expires,
            established_ms,
        )
        .into(),
    );
    body.insert("refresh_token".into(), mint_refresh_token(keys, &claims, &response_key).into());
    body.insert("identity_expires".into(), identity_expires.into());
    body.insert("refresh_expires".into(), refresh_expires.into());
    body.insert("refresh_from".into(), refresh_from.into());
    body.insert("refresh_response_key".into(), response_key.to_base64().into());
    body
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn claims(issued_ms: i64) -> RefreshClaims {
        RefreshClaims {
            identity: HashedIdentity::from_email("user@example.com").unwrap(),
            issued_ms,
            established_ms: issued_ms,
            expires_ms: i64::MAX,
            refresh_optout: true,
        }
    }

    #[test]
    fn refresh_tokens_are_388_characters_and_round_trip() {
        let keys = TokenKeys::random();
        let key = random_key();
        for issued in [0, 1_700_000_000_000, -5, i64::MIN] {
            let token = mint_refresh_token(&keys, &claims(issued), &key);
            assert_eq!(token.len(), REFRESH_TOKEN_LENGTH);
            let opened = open_refresh_token(&keys, token.as_bytes()).unwrap();
            assert_eq!(opened.response_key.as_bytes(), key.as_bytes());
            assert_eq!(opened.claims, Some(claims(issued)));
        }
    }

    #[test]
    fn another_emulators_token_names_its_key_id_or_fails_to_decrypt() {
        let token = mint_refresh_token(&TokenKeys::random(), &claims(1), &random_key());
        let mut other = TokenKeys::random();
        let id = java_base64_decode(token.as_bytes()).unwrap();
        let id = i32::from_be_bytes(id[1..5].try_into().unwrap());
        assert_eq!(
            open_refresh_token(&other, token.as_bytes()).unwrap_err(),
            WrapperError::UnknownKey(id)
        );
        other.refresh_key_id = id;
        assert_eq!(
            open_refresh_token(&other, token.as_bytes()).unwrap_err(),
            WrapperError::Decrypt
        );
    }

    #[test]
    fn a_wrapper_without_the_expected_json_is_a_format_error() {
        let keys = TokenKeys::random();
        for plaintext in [
            &b"not json"[..],
            br#"{"refresh_token":"x"}"#,
            br#"{"refresh_response_key":"short","refresh_token":"x"}"#,
        ] {
            let mut bytes = vec![EUID_SCOPE_BYTE];
            bytes.extend_from_slice(&keys.refresh_key_id.to_be_bytes());
            bytes.extend_from_slice(&seal_refresh_response(
                &keys.refresh_key,
                plaintext,
                &random_iv(),
            ));
            let err = open_refresh_token(&keys, base64_encode(&bytes).as_bytes()).unwrap_err();
            assert_eq!(err, WrapperError::Format);
            assert_eq!(
                err.message(),
                "Invalid format: Payload is not valid json or missing required data."
            );
        }
        // Readable wrapper, unreadable inner token: an invalid token, not a client error.
        let plaintext = format!(
            r#"{{"refresh_response_key":"{}","refresh_token":"legacy"}}"#,
            random_key().to_base64()
        );
        let mut bytes = vec![EUID_SCOPE_BYTE];
        bytes.extend_from_slice(&keys.refresh_key_id.to_be_bytes());
        bytes.extend_from_slice(&seal_refresh_response(
            &keys.refresh_key,
            plaintext.as_bytes(),
            &random_iv(),
        ));
        assert_eq!(
            open_refresh_token(&keys, base64_encode(&bytes).as_bytes()).unwrap().claims,
            None
        );
    }
}
