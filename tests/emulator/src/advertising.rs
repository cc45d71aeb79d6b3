//! Advertising tokens in the operator's V4 layout (`EncryptedTokenEncoder.encodeV3`, which V4
//! shares; base64url without padding), so they have the real length and shape: 164 bytes, 219
//! characters, `E4AA…` for an email and `F4AA…` for a phone.
//!
//! ```text
//! token  = type byte | 0x80 (V4) | master key id (int32 BE) | GCM(master)        164 bytes
//! master = expires (int64) | created (int64) | operator identity (13 bytes)
//!          | site key id (int32) | GCM(site)                                     130 bytes
//! site   = site id (int32) | publisher id (int64) | client key id (int32)
//!          | privacy bits (int32) | established (int64) | refreshed (int64) | raw UID (33)   69 bytes
//! GCM(x) = IV (12) | AES-256-GCM ciphertext of x | tag (16)
//! ```
//!
//! The raw UID is a metadata byte (the type byte) and 32 bytes derived from the identity and a
//! salt only this emulator process knows; validate recomputes it, as the operator does.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use euid_core::envelope::{open_refresh_response, seal_refresh_response};
use euid_core::{sha256_base64, SecretKey};

use crate::codec::java_base64_decode;
use crate::identity::{HashedIdentity, IdentityType};
use crate::tokens::{random_iv, random_key};

/// `TokenVersion.V4.rawVersion`.
const V4: u8 = 0x80;
/// Length of a decoded token.
pub const TOKEN_BYTES: usize = 164;
/// Length of a token as sent: base64url of 164 bytes, no padding.
pub const TOKEN_LENGTH: usize = 219;
/// Length of the raw UID: metadata byte and 32 bytes.
const RAW_UID_BYTES: usize = 33;
/// Length of the site payload.
const SITE_BYTES: usize = 69;
/// Offset of the sealed site payload in the master payload.
const SITE_OFFSET: usize = 33;
/// Privacy bits of a generated identity (`toUserIdentity(scope, 1, now)`).
const PRIVACY_BITS: i32 = 1;

/// `encodeIdentityTypeV3`: EUID scope (1) << 4 | type << 2 | 3.
fn type_byte(kind: IdentityType) -> u8 {
    let kind = match kind {
        IdentityType::Email => 0,
        IdentityType::Phone => 1,
    };
    (1 << 4) | (kind << 2) | 3
}

/// The keys and salt behind this emulator's advertising tokens.
#[derive(Debug)]
pub struct AdvertisingKeys {
    master_key_id: i32,
    master_key: SecretKey,
    site_key_id: i32,
    site_key: SecretKey,
    salt: String,
}

impl AdvertisingKeys {
    /// Fresh random keys, key ids below 2^24 (so tokens start `E4AA`/`F4AA`) and salt.
    pub fn random() -> AdvertisingKeys {
        AdvertisingKeys {
            master_key_id: rand::random_range(1..1_000_000),
            master_key: random_key(),
            site_key_id: rand::random_range(1..1_000_000),
            site_key: random_key(),
            salt: random_key().to_base64(),
        }
    }

    /// The raw UID of `identity`: the type byte, then SHA-256 of salt, type and hash.
    pub fn raw_uid(&self, identity: &HashedIdentity) -> Vec<u8> {
        let digest =
            sha256_base64(&format!("{}{}{}", self.salt, identity.kind.code(), identity.hash));
        let mut uid = Vec::with_capacity(RAW_UID_BYTES);
        uid.push(type_byte(identity.kind));
        uid.extend(java_base64_decode(digest.as_bytes()).unwrap_or_default());
        uid
    }
}

/// What an advertising token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvertisingClaims {
    /// The publisher's site id.
    pub site_id: i32,
    /// Issue time, epoch ms.
    pub issued_ms: i64,
    /// `identity_expires`, epoch ms.
    pub expires_ms: i64,
    /// When the identity was first generated, epoch ms.
    pub established_ms: i64,
    /// The raw UID.
    pub raw_uid: Vec<u8>,
}

/// Mints an advertising token for `identity`.
pub fn mint(
    keys: &AdvertisingKeys,
    identity: &HashedIdentity,
    site_id: i32,
    issued_ms: i64,
    expires_ms: i64,
    established_ms: i64,
) -> String {
    let mut site = Vec::with_capacity(SITE_BYTES);
    site.extend_from_slice(&site_id.to_be_bytes());
    site.extend_from_slice(&0i64.to_be_bytes()); // publisher id
    site.extend_from_slice(&0i32.to_be_bytes()); // client key id
    site.extend_from_slice(&PRIVACY_BITS.to_be_bytes());
    site.extend_from_slice(&established_ms.to_be_bytes());
    site.extend_from_slice(&issued_ms.to_be_bytes()); // refreshed
    site.extend_from_slice(&keys.raw_uid(identity));
    let mut master = Vec::with_capacity(130);
    master.extend_from_slice(&expires_ms.to_be_bytes());
    master.extend_from_slice(&issued_ms.to_be_bytes());
    master.extend_from_slice(&[0u8; 13]); // operator identity: site 0, type, version 0, key 0
    master.extend_from_slice(&keys.site_key_id.to_be_bytes());
    master.extend(seal_refresh_response(&keys.site_key, &site, &random_iv()));
    let mut token = Vec::with_capacity(TOKEN_BYTES);
    token.push(type_byte(identity.kind));
    token.push(V4);
    token.extend_from_slice(&keys.master_key_id.to_be_bytes());
    token.extend(seal_refresh_response(&keys.master_key, &master, &random_iv()));
    URL_SAFE_NO_PAD.encode(token)
}

/// Reads an advertising token; `None` if it is not one of this emulator's.
pub fn open(keys: &AdvertisingKeys, token: &str) -> Option<AdvertisingClaims> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != TOKEN_BYTES
        || bytes[1] != V4
        || bytes.get(2..6)? != keys.master_key_id.to_be_bytes()
    {
        return None;
    }
    let master = open_refresh_response(&keys.master_key, &bytes[6..]).ok()?;
    let int64 = |bytes: &[u8], at: usize| -> Option<i64> {
        Some(i64::from_be_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
    };
    if master.get(29..SITE_OFFSET)? != keys.site_key_id.to_be_bytes() {
        return None;
    }
    let site = open_refresh_response(&keys.site_key, master.get(SITE_OFFSET..)?).ok()?;
    if site.len() != SITE_BYTES || site[36] != bytes[0] {
        return None;
    }
    Some(AdvertisingClaims {
        site_id: i32::from_be_bytes(site.get(..4)?.try_into().ok()?),
        issued_ms: int64(&master, 8)?,
        expires_ms: int64(&master, 0)?,
        established_ms: int64(&site, 20)?,
        raw_uid: site[36..].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn tokens_have_the_operators_length_and_prefix_and_round_trip() {
        let keys = AdvertisingKeys::random();
        let email = HashedIdentity::from_email("user@example.com").unwrap();
        let phone = HashedIdentity::from_phone("+12345678901").unwrap();
        for (identity, prefix) in [(&email, "E4AA"), (&phone, "F4AA")] {
            let token = mint(&keys, identity, 7, 10, 20, 5);
            assert_eq!(token.len(), TOKEN_LENGTH);
            assert!(token.starts_with(prefix), "{token}");
            assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            let claims = open(&keys, &token).unwrap();
            assert_eq!(
                (claims.site_id, claims.issued_ms, claims.expires_ms, claims.established_ms),
                (7, 10, 20, 5)
            );
            assert_eq!(claims.raw_uid, keys.raw_uid(identity));
        }
        assert_ne!(keys.raw_uid(&email), keys.raw_uid(&phone));
    }

    #[test]
    fn foreign_and_damaged_tokens_do_not_open() {
        let keys = AdvertisingKeys::random();
        let identity = HashedIdentity::from_phone("+12345678901").unwrap();
        let token = mint(&keys, &identity, 7, 10, 20, 5);
        assert_eq!(open(&AdvertisingKeys::random(), &token), None);
        assert_eq!(open(&keys, "AdvertisingTokenmZ4d"), None);
        assert_eq!(open(&keys, &token[..TOKEN_LENGTH - 1]), None);
        let mut damaged = token.into_bytes();
        damaged[100] = if damaged[100] == b'A' { b'B' } else { b'A' };
        assert_eq!(open(&keys, std::str::from_utf8(&damaged).unwrap()), None);
    }
}
