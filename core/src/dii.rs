//! `Dii`: the directly identifying information a token is generated from, validated once.

use std::fmt;

use crate::error::InputError;
use crate::normalize;

/// The user identifier sent to `/v2/token/generate` or `/v2/token/validate`.
///
/// Constructors normalize and validate. [`Dii::email`] and [`Dii::phone`] hash locally, so the
/// raw value never leaves the process; [`Dii::raw_email`] and [`Dii::raw_phone`] send the
/// normalized value itself and exist for callers who ask for that explicitly.
///
/// `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Dii {
    kind: DiiKind,
    value: String,
}

/// Which request field a [`Dii`] fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiiKind {
    /// `email`: a normalized email address.
    Email,
    /// `email_hash`: base64 SHA-256 of a normalized email address.
    EmailHash,
    /// `phone`: a normalized phone number.
    Phone,
    /// `phone_hash`: base64 SHA-256 of a normalized phone number.
    PhoneHash,
}

impl DiiKind {
    /// The request field name.
    pub fn field(self) -> &'static str {
        match self {
            DiiKind::Email => "email",
            DiiKind::EmailHash => "email_hash",
            DiiKind::Phone => "phone",
            DiiKind::PhoneHash => "phone_hash",
        }
    }
}

impl Dii {
    /// An email address, normalized and hashed here: sent as `email_hash`.
    ///
    /// # Errors
    ///
    /// [`InputError::Email`] if the operator would reject the address.
    pub fn email(email: &str) -> Result<Dii, InputError> {
        Ok(Dii { kind: DiiKind::EmailHash, value: normalize::hash_email(email)? })
    }

    /// A phone number, validated and hashed here: sent as `phone_hash`.
    ///
    /// # Errors
    ///
    /// [`InputError::Phone`] unless it is `+` and 10 to 15 ASCII digits.
    pub fn phone(phone: &str) -> Result<Dii, InputError> {
        Ok(Dii { kind: DiiKind::PhoneHash, value: normalize::hash_phone(phone)? })
    }

    /// A pre-computed email hash (44-character base64 or 64-character hex).
    ///
    /// # Errors
    ///
    /// [`InputError::EmailHash`] if it is not a SHA-256 digest in either form.
    pub fn email_hash(hash: &str) -> Result<Dii, InputError> {
        Ok(Dii { kind: DiiKind::EmailHash, value: normalize::normalize_email_hash(hash)? })
    }

    /// A pre-computed phone hash (44-character base64 or 64-character hex).
    ///
    /// # Errors
    ///
    /// [`InputError::PhoneHash`] if it is not a SHA-256 digest in either form.
    pub fn phone_hash(hash: &str) -> Result<Dii, InputError> {
        Ok(Dii { kind: DiiKind::PhoneHash, value: normalize::normalize_phone_hash(hash)? })
    }

    /// An email address sent in the clear (normalized), as `email`. Prefer [`Dii::email`].
    ///
    /// # Errors
    ///
    /// [`InputError::Email`] if the operator would reject the address.
    pub fn raw_email(email: &str) -> Result<Dii, InputError> {
        Ok(Dii { kind: DiiKind::Email, value: normalize::normalize_email(email)? })
    }

    /// A phone number sent in the clear, as `phone`. Prefer [`Dii::phone`].
    ///
    /// # Errors
    ///
    /// [`InputError::Phone`] unless it is `+` and 10 to 15 ASCII digits.
    pub fn raw_phone(phone: &str) -> Result<Dii, InputError> {
        Ok(Dii { kind: DiiKind::Phone, value: normalize::normalize_phone(phone)?.to_owned() })
    }

    /// The request field this identifier fills.
    pub fn kind(&self) -> DiiKind {
        self.kind
    }

    /// The normalized value as sent (a hash unless raw was asked for).
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Debug for Dii {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dii").field("kind", &self.kind).field("value", &"<redacted>").finish()
    }
}
