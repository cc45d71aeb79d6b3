//! Records and enums that cross the FFI: mirrors of the core's types, converted in one place.

use euid_core::{Advice, IdentityStatus};
use serde_json::{Map, Value};

use crate::error::EuidError;

/// An EUID identity: the tokens and instants from the operator. Instants are epoch
/// milliseconds. `extra_json` holds the fields the SDK does not interpret, as a JSON object
/// (`"{}"` when there are none), so that they survive a round trip.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct Identity {
    pub advertising_token: String,
    pub refresh_token: String,
    pub identity_expires: i64,
    pub refresh_from: i64,
    pub refresh_expires: i64,
    pub refresh_response_key: Option<String>,
    pub extra_json: String,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("identity_expires", &self.identity_expires)
            .field("refresh_from", &self.refresh_from)
            .field("refresh_expires", &self.refresh_expires)
            .finish_non_exhaustive()
    }
}

impl From<euid_core::Identity> for Identity {
    fn from(mut identity: euid_core::Identity) -> Self {
        use std::mem::take;
        Identity {
            extra_json: Value::Object(take(&mut identity.extra)).to_string(),
            advertising_token: take(&mut identity.advertising_token),
            refresh_token: take(&mut identity.refresh_token),
            identity_expires: identity.identity_expires,
            refresh_from: identity.refresh_from,
            refresh_expires: identity.refresh_expires,
            refresh_response_key: take(&mut identity.refresh_response_key),
        }
    }
}

impl TryFrom<Identity> for euid_core::Identity {
    type Error = EuidError;

    fn try_from(identity: Identity) -> Result<Self, EuidError> {
        let mut map = match identity.extra_json.trim() {
            "" | "{}" => Map::new(),
            extra => match serde_json::from_str(extra) {
                Ok(Value::Object(map)) => map,
                _ => {
                    return Err(euid_core::Error::InvalidIdentity(
                        "extra_json must be a JSON object".into(),
                    )
                    .into())
                }
            },
        };
        map.insert("advertising_token".into(), identity.advertising_token.into());
        map.insert("refresh_token".into(), identity.refresh_token.into());
        map.insert("identity_expires".into(), identity.identity_expires.into());
        map.insert("refresh_from".into(), identity.refresh_from.into());
        map.insert("refresh_expires".into(), identity.refresh_expires.into());
        if let Some(key) = identity.refresh_response_key {
            map.insert("refresh_response_key".into(), key.into());
        }
        Ok(euid_core::Identity::from_map(map)?)
    }
}

/// What `/v2/token/generate` answered.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum GenerateOutcome {
    /// A new identity.
    Success { identity: Identity },
    /// The user opted out: no token, do not ask again.
    OptOut,
    /// The TCF consent string does not allow EUID: no token.
    InsufficientConsent,
}

impl From<euid_core::GenerateOutcome> for GenerateOutcome {
    fn from(outcome: euid_core::GenerateOutcome) -> Self {
        match outcome {
            euid_core::GenerateOutcome::Success(identity) => {
                GenerateOutcome::Success { identity: identity.into() }
            }
            euid_core::GenerateOutcome::OptOut => GenerateOutcome::OptOut,
            euid_core::GenerateOutcome::InsufficientConsent => GenerateOutcome::InsufficientConsent,
        }
    }
}

impl TryFrom<GenerateOutcome> for euid_core::GenerateOutcome {
    type Error = EuidError;

    fn try_from(outcome: GenerateOutcome) -> Result<Self, EuidError> {
        Ok(match outcome {
            GenerateOutcome::Success { identity } => {
                euid_core::GenerateOutcome::Success(identity.try_into()?)
            }
            GenerateOutcome::OptOut => euid_core::GenerateOutcome::OptOut,
            GenerateOutcome::InsufficientConsent => euid_core::GenerateOutcome::InsufficientConsent,
        })
    }
}

/// What `/v2/token/refresh` answered.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RefreshOutcome {
    /// A new identity that replaces the old one.
    Refreshed { identity: Identity },
    /// The user opted out: delete the identity, stop refreshing.
    OptOut,
    /// The refresh token expired: establish a new identity.
    ExpiredToken,
    /// The refresh token is invalid: establish a new identity.
    InvalidToken,
}

impl From<euid_core::RefreshOutcome> for RefreshOutcome {
    fn from(outcome: euid_core::RefreshOutcome) -> Self {
        match outcome {
            euid_core::RefreshOutcome::Refreshed(identity) => {
                RefreshOutcome::Refreshed { identity: identity.into() }
            }
            euid_core::RefreshOutcome::OptOut => RefreshOutcome::OptOut,
            euid_core::RefreshOutcome::ExpiredToken => RefreshOutcome::ExpiredToken,
            euid_core::RefreshOutcome::InvalidToken => RefreshOutcome::InvalidToken,
        }
    }
}

impl TryFrom<RefreshOutcome> for euid_core::RefreshOutcome {
    type Error = EuidError;

    fn try_from(outcome: RefreshOutcome) -> Result<Self, EuidError> {
        Ok(match outcome {
            RefreshOutcome::Refreshed { identity } => {
                euid_core::RefreshOutcome::Refreshed(identity.try_into()?)
            }
            RefreshOutcome::OptOut => euid_core::RefreshOutcome::OptOut,
            RefreshOutcome::ExpiredToken => euid_core::RefreshOutcome::ExpiredToken,
            RefreshOutcome::InvalidToken => euid_core::RefreshOutcome::InvalidToken,
        })
    }
}

/// How an identifier is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DiiType {
    /// An email address, normalized and hashed locally (sent as `email_hash`).
    Email,
    /// A phone number, validated and hashed locally (sent as `phone_hash`).
    Phone,
    /// A SHA-256 email hash, base64 or hex.
    EmailHash,
    /// A SHA-256 phone hash, base64 or hex.
    PhoneHash,
    /// An email address sent normalized but unhashed (`email`), on explicit request.
    RawEmail,
    /// A phone number sent unhashed (`phone`), on explicit request.
    RawPhone,
}

/// An identifier to generate or validate a token from.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct DiiInput {
    pub dii_type: DiiType,
    pub value: String,
}

impl std::fmt::Debug for DiiInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiiInput").field("dii_type", &self.dii_type).finish_non_exhaustive()
    }
}

impl TryFrom<&DiiInput> for euid_core::Dii {
    type Error = EuidError;

    fn try_from(input: &DiiInput) -> Result<Self, EuidError> {
        let value = input.value.as_str();
        Ok(match input.dii_type {
            DiiType::Email => euid_core::Dii::email(value)?,
            DiiType::Phone => euid_core::Dii::phone(value)?,
            DiiType::EmailHash => euid_core::Dii::email_hash(value)?,
            DiiType::PhoneHash => euid_core::Dii::phone_hash(value)?,
            DiiType::RawEmail => euid_core::Dii::raw_email(value)?,
            DiiType::RawPhone => euid_core::Dii::raw_phone(value)?,
        })
    }
}

/// Builds the generate request the core sends.
pub(crate) fn generate_request(
    dii: &DiiInput,
    tcf_consent_string: Option<String>,
) -> Result<euid_core::GenerateRequest, EuidError> {
    let request = euid_core::GenerateRequest::new(dii.try_into()?);
    Ok(match tcf_consent_string {
        Some(consent) => request.with_tcf_consent_string(&consent)?,
        None => request,
    })
}

/// The EUID JavaScript SDK's identity statuses.
#[uniffi::remote(Enum)]
pub enum IdentityStatus {
    Established,
    Refreshed,
    Expired,
    NoIdentity,
    Invalid,
    RefreshExpired,
    OptOut,
}

/// What to do with an identity at a given instant.
#[uniffi::remote(Enum)]
pub enum Advice {
    UseAsIs,
    UseAndRefresh,
    RefreshBeforeUse,
    Reestablish,
    DoNotUse,
}

/// The JavaScript SDK's numeric code of a status (0, 1, 100, -1, -2, -3, -4).
#[uniffi::export]
pub fn identity_status_code(status: IdentityStatus) -> i32 {
    status.code()
}

/// Parses identity JSON (the operator's `body`, a stored identity, a cookie value).
#[uniffi::export]
pub fn identity_from_json(json: String) -> Result<Identity, EuidError> {
    Ok(euid_core::Identity::from_json(&json)?.into())
}

/// The identity as compact JSON in the operator's shape.
#[uniffi::export]
pub fn identity_to_json(identity: Identity) -> Result<String, EuidError> {
    Ok(euid_core::Identity::try_from(identity)?.to_json())
}

/// The status of an identity seen at `now_ms`.
#[uniffi::export]
pub fn identity_status(identity: Identity, now_ms: i64) -> Result<IdentityStatus, EuidError> {
    Ok(euid_core::Lifecycle::from_identity(identity.try_into()?, now_ms).status())
}

/// What to do with an identity at `now_ms`.
#[uniffi::export]
pub fn identity_advice(identity: Identity, now_ms: i64) -> Result<Advice, EuidError> {
    Ok(euid_core::Lifecycle::from_identity(identity.try_into()?, now_ms).advice(now_ms))
}
