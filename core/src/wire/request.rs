//! Request payloads: the JSON sent to `/v2/token/generate` and `/v2/token/validate`.

use serde_json::{Map, Value};

use crate::dii::Dii;
use crate::error::{InputError, Result};

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
    /// [`GenerateOutcome::InsufficientConsent`](crate::GenerateOutcome::InsufficientConsent)
    /// when it lacks consent, and rejects a string it cannot parse ("User consent is invalid").
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
}
