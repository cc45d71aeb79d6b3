//! The identity in a generate or validate request: exactly one of `email`, `email_hash`,
//! `phone`, `phone_hash`, normalized and hashed as the operator does, and the operator's test
//! identities.

use euid_core::{
    normalize_email, normalize_email_hash, normalize_phone, normalize_phone_hash, sha256_base64,
};
use serde_json::{Map, Value};

/// The operator's message when zero or several identity fields are given.
pub const REQUIRED_PARAMETER_MISSING: &str = "Required Parameter Missing: exactly one of [email, \
     email_hash, phone, phone_hash] must be specified";
/// The operator's message when the identity fails normalization or validation.
pub const INVALID_IDENTIFIER: &str = "Invalid Identifier";

/// Email or phone: part of what makes two hashed identities the same user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentityType {
    /// An email address (`email`, `email_hash`).
    Email,
    /// A phone number (`phone`, `phone_hash`).
    Phone,
}

impl IdentityType {
    /// One-letter code used inside tokens.
    pub(crate) fn code(self) -> char {
        match self {
            IdentityType::Email => 'e',
            IdentityType::Phone => 'p',
        }
    }

    /// The inverse of [`IdentityType::code`].
    pub(crate) fn from_code(code: &str) -> Option<IdentityType> {
        match code {
            "e" => Some(IdentityType::Email),
            "p" => Some(IdentityType::Phone),
            _ => None,
        }
    }
}

/// A user as the operator keys it: the identity type and the base64 SHA-256 of the normalized
/// email or phone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HashedIdentity {
    /// Email or phone.
    pub kind: IdentityType,
    /// Standard base64 (44 characters) of the SHA-256 of the normalized value.
    pub hash: String,
}

impl HashedIdentity {
    /// From a raw email, normalized as the operator does.
    ///
    /// # Errors
    ///
    /// When the operator would answer "Invalid Identifier".
    pub fn from_email(email: &str) -> Result<HashedIdentity, InvalidIdentifier> {
        let normalized = normalize_email(email).map_err(|_| InvalidIdentifier)?;
        Ok(HashedIdentity { kind: IdentityType::Email, hash: sha256_base64(&normalized) })
    }

    /// From an already normalized phone number (`+` and 10 to 15 digits).
    ///
    /// # Errors
    ///
    /// When the operator would answer "Invalid Identifier".
    pub fn from_phone(phone: &str) -> Result<HashedIdentity, InvalidIdentifier> {
        let normalized = normalize_phone(phone).map_err(|_| InvalidIdentifier)?;
        Ok(HashedIdentity { kind: IdentityType::Phone, hash: sha256_base64(normalized) })
    }

    /// From an email hash: 44-character base64 or 64-character hex.
    ///
    /// # Errors
    ///
    /// When the operator would answer "Invalid Identifier".
    pub fn from_email_hash(hash: &str) -> Result<HashedIdentity, InvalidIdentifier> {
        let hash = normalize_email_hash(hash).map_err(|_| InvalidIdentifier)?;
        Ok(HashedIdentity { kind: IdentityType::Email, hash })
    }

    /// From a phone hash: 44-character base64 or 64-character hex.
    ///
    /// # Errors
    ///
    /// When the operator would answer "Invalid Identifier".
    pub fn from_phone_hash(hash: &str) -> Result<HashedIdentity, InvalidIdentifier> {
        let hash = normalize_phone_hash(hash).map_err(|_| InvalidIdentifier)?;
        Ok(HashedIdentity { kind: IdentityType::Phone, hash })
    }
}

/// The identity fails the operator's normalization or validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidIdentifier;

/// Why a request's identity was refused, with the operator's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityInputError {
    /// Zero or several of the four fields (or no JSON payload at all).
    Missing,
    /// The one field given does not normalize or validate.
    Invalid,
}

impl IdentityInputError {
    /// The operator's `message`.
    pub fn message(self) -> &'static str {
        match self {
            IdentityInputError::Missing => REQUIRED_PARAMETER_MISSING,
            IdentityInputError::Invalid => INVALID_IDENTIFIER,
        }
    }
}

/// Reads the identity of a request as the operator's `getTokenInputV2` does: a field counts
/// when present and not null; more than one, or none, is "missing"; the one given must
/// normalize.
///
/// # Errors
///
/// [`IdentityInputError`].
pub fn identity_from_request(
    payload: Option<&Map<String, Value>>,
) -> Result<HashedIdentity, IdentityInputError> {
    type Parse = fn(&str) -> Result<HashedIdentity, InvalidIdentifier>;
    const FIELDS: [(&str, Parse); 4] = [
        ("email", HashedIdentity::from_email),
        ("email_hash", HashedIdentity::from_email_hash),
        ("phone", HashedIdentity::from_phone),
        ("phone_hash", HashedIdentity::from_phone_hash),
    ];
    let payload = payload.ok_or(IdentityInputError::Missing)?;
    let mut chosen: Option<(Parse, String)> = None;
    for (field, parse) in FIELDS {
        if let Some(value) = json_string(payload, field) {
            if chosen.is_some() {
                return Err(IdentityInputError::Missing);
            }
            chosen = Some((parse, value));
        }
    }
    let (parse, value) = chosen.ok_or(IdentityInputError::Missing)?;
    parse(&value).map_err(|_| IdentityInputError::Invalid)
}

/// Vert.x `JsonObject.getString`: absent or null is `None`; a string is itself; any other
/// value is its JSON text.
pub(crate) fn json_string(payload: &Map<String, Value>, field: &str) -> Option<String> {
    match payload.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => Some(other.to_string()),
    }
}

/// The operator's special identities (`IdentityConst`), by hashed identity.
#[derive(Debug, Clone)]
pub struct TestIdentities {
    optout: [HashedIdentity; 2],
    refresh_optout: [HashedIdentity; 2],
    validate: [HashedIdentity; 2],
}

/// Which special behaviour an identity has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestIdentity {
    /// `optout@example.com`, `+00000000000`: generate answers optout.
    OptOut,
    /// `refresh-optout@example.com`, `+00000000002`: generate succeeds, refresh answers optout.
    RefreshOptOut,
    /// `validate@example.com`, `+12345678901`: never opted out.
    Validate,
}

impl TestIdentities {
    /// Hashes the six constants.
    pub fn new() -> TestIdentities {
        let email =
            |raw: &str| HashedIdentity { kind: IdentityType::Email, hash: sha256_base64(raw) };
        let phone =
            |raw: &str| HashedIdentity { kind: IdentityType::Phone, hash: sha256_base64(raw) };
        TestIdentities {
            optout: [email("optout@example.com"), phone("+00000000000")],
            refresh_optout: [email("refresh-optout@example.com"), phone("+00000000002")],
            validate: [email("validate@example.com"), phone("+12345678901")],
        }
    }

    /// The special behaviour of `identity`, if any.
    pub fn classify(&self, identity: &HashedIdentity) -> Option<TestIdentity> {
        if self.optout.contains(identity) {
            Some(TestIdentity::OptOut)
        } else if self.refresh_optout.contains(identity) {
            Some(TestIdentity::RefreshOptOut)
        } else if self.validate.contains(identity) {
            Some(TestIdentity::Validate)
        } else {
            None
        }
    }
}

impl Default for TestIdentities {
    fn default() -> TestIdentities {
        TestIdentities::new()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<HashedIdentity, IdentityInputError> {
        identity_from_request(value.as_object())
    }

    #[test]
    fn exactly_one_field_is_required_and_null_does_not_count() {
        assert_eq!(read(json!({})), Err(IdentityInputError::Missing));
        assert_eq!(
            read(json!({"email": "a@b.com", "phone": "+12345678901"})),
            Err(IdentityInputError::Missing)
        );
        assert_eq!(
            read(json!({"email": "a@b.com", "phone": null})).unwrap().kind,
            IdentityType::Email
        );
        assert_eq!(identity_from_request(None), Err(IdentityInputError::Missing));
    }

    #[test]
    fn several_fields_are_missing_even_when_one_is_invalid() {
        assert_eq!(
            read(json!({"email": "not an email", "email_hash": "x"})),
            Err(IdentityInputError::Missing)
        );
    }

    #[test]
    fn invalid_values_are_invalid_identifiers() {
        assert_eq!(read(json!({"email": ""})), Err(IdentityInputError::Invalid));
        assert_eq!(read(json!({"phone": "+1 234 567 8901"})), Err(IdentityInputError::Invalid));
        assert_eq!(read(json!({"email_hash": "abc"})), Err(IdentityInputError::Invalid));
        assert_eq!(read(json!({"phone": 12345678901u64})), Err(IdentityInputError::Invalid));
    }

    #[test]
    fn raw_and_hashed_forms_are_the_same_user() {
        let raw = read(json!({"email": " Optout@Example.com"})).unwrap();
        let hashed =
            read(json!({"email_hash": "DYsnJ8r5+cjRDHue98gIGDKvLIMuqAm/RRLODrjqK50="})).unwrap();
        assert_eq!(raw, hashed);
        assert_eq!(TestIdentities::new().classify(&raw), Some(TestIdentity::OptOut));
    }

    #[test]
    fn the_type_is_part_of_the_match() {
        let phone_hash_as_email = HashedIdentity {
            kind: IdentityType::Email,
            hash: "313yQvZOTb0vjjEU7sTO/UWxGPzVppIbCyQEJEnfxLo=".into(),
        };
        assert_eq!(TestIdentities::new().classify(&phone_hash_as_email), None);
    }
}
