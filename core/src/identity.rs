//! `Identity`: the tokens and instants the operator returns, in its own JSON shape.

use std::fmt;

use serde_json::{Map, Value};
use zeroize::Zeroize;

use crate::credentials::SecretKey;
use crate::error::{json_error_text, Error, Result};

/// The largest identity JSON accepted, in bytes. A real one is about 1 KiB; a cookie holds 4 KiB.
pub const MAX_IDENTITY_JSON_BYTES: usize = 64 * 1024;

/// An EUID identity: the `body` of a successful generate or refresh answer.
///
/// All instants are epoch **milliseconds**. JSON in and out uses the operator's field names,
/// and fields this SDK does not know survive a round trip. `Debug` shows no token or key.
#[derive(Clone, PartialEq, Eq)]
pub struct Identity {
    /// `advertising_token`: the EUID token for the bidstream, sent to the SSP as is.
    pub advertising_token: String,
    /// `refresh_token`: opaque; sent to `/v2/token/refresh`.
    pub refresh_token: String,
    /// `identity_expires`: when the advertising token expires (epoch ms).
    pub identity_expires: i64,
    /// `refresh_from`: from when a refresh should be attempted (epoch ms).
    pub refresh_from: i64,
    /// `refresh_expires`: when the refresh token expires (epoch ms).
    pub refresh_expires: i64,
    /// `refresh_response_key`: base64 key for the next refresh answer; absent on legacy
    /// identities, whose refresh answers are plain JSON.
    pub refresh_response_key: Option<String>,
    /// Fields this SDK does not interpret, kept in their original order.
    pub extra: Map<String, Value>,
}

impl Identity {
    /// Parses identity JSON: the operator's `body`, a stored identity, or the browser SDK's
    /// `__euid` cookie value after URI-decoding.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidIdentity`] naming the first missing or mistyped field; the message never
    /// contains a value.
    pub fn from_json(json: &str) -> Result<Identity> {
        if json.len() > MAX_IDENTITY_JSON_BYTES {
            return Err(Error::InvalidIdentity(format!(
                "JSON larger than {MAX_IDENTITY_JSON_BYTES} bytes"
            )));
        }
        let value: Value = serde_json::from_str(json)
            .map_err(|err| Error::InvalidIdentity(json_error_text(&err)))?;
        match value {
            Value::Object(map) => Identity::from_map(map),
            _ => Err(Error::InvalidIdentity("not a JSON object".into())),
        }
    }

    /// Builds an identity from a parsed JSON object.
    ///
    /// # Errors
    ///
    /// As [`Identity::from_json`].
    pub fn from_map(mut map: Map<String, Value>) -> Result<Identity> {
        let identity = Identity {
            advertising_token: take_string(&mut map, "advertising_token")?,
            refresh_token: take_string(&mut map, "refresh_token")?,
            identity_expires: take_millis(&mut map, "identity_expires")?,
            refresh_from: take_millis(&mut map, "refresh_from")?,
            refresh_expires: take_millis(&mut map, "refresh_expires")?,
            refresh_response_key: match map.shift_remove("refresh_response_key") {
                None | Some(Value::Null) => None,
                Some(Value::String(key)) => {
                    SecretKey::from_base64(&key, "refresh_response_key")
                        .map_err(|_| invalid("refresh_response_key", "base64 of 32 bytes"))?;
                    Some(key)
                }
                Some(_) => return Err(invalid("refresh_response_key", "a string")),
            },
            extra: map,
        };
        Ok(identity)
    }

    /// The identity as compact JSON in the operator's shape: known fields first, then the
    /// unknown ones in their original order.
    pub fn to_json(&self) -> String {
        Value::Object(self.to_map()).to_string()
    }

    /// The identity as a JSON object.
    pub fn to_map(&self) -> Map<String, Value> {
        let mut map = Map::with_capacity(6 + self.extra.len());
        map.insert("advertising_token".into(), self.advertising_token.clone().into());
        map.insert("refresh_token".into(), self.refresh_token.clone().into());
        map.insert("identity_expires".into(), self.identity_expires.into());
        map.insert("refresh_from".into(), self.refresh_from.into());
        map.insert("refresh_expires".into(), self.refresh_expires.into());
        if let Some(key) = &self.refresh_response_key {
            map.insert("refresh_response_key".into(), key.clone().into());
        }
        for (name, value) in &self.extra {
            map.insert(name.clone(), value.clone());
        }
        map
    }

    /// The decoded `refresh_response_key`, if the identity has one.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidIdentity`] if the key is not base64 of 32 bytes (only possible for an
    /// identity built by hand: parsing checks it).
    pub fn refresh_key(&self) -> Result<Option<SecretKey>> {
        self.refresh_response_key
            .as_deref()
            .map(|key| {
                SecretKey::from_base64(key, "refresh_response_key")
                    .map_err(|_| invalid("refresh_response_key", "base64 of 32 bytes"))
            })
            .transpose()
    }

    /// Whether the advertising token has expired at `now_ms` (`identity_expires <= now_ms`).
    pub fn is_expired(&self, now_ms: i64) -> bool {
        self.identity_expires <= now_ms
    }

    /// Whether a refresh is due at `now_ms` (`refresh_from <= now_ms`).
    pub fn is_due_for_refresh(&self, now_ms: i64) -> bool {
        self.refresh_from <= now_ms
    }

    /// Whether the refresh token can still be used at `now_ms` (`now_ms <= refresh_expires`:
    /// the operator refuses it only when `refresh_expires` is before now).
    pub fn is_refreshable(&self, now_ms: i64) -> bool {
        now_ms <= self.refresh_expires
    }
}

impl Drop for Identity {
    /// The tokens and the refresh response key are credentials: zero them.
    fn drop(&mut self) {
        self.advertising_token.zeroize();
        self.refresh_token.zeroize();
        self.refresh_response_key.zeroize();
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("advertising_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("identity_expires", &self.identity_expires)
            .field("refresh_from", &self.refresh_from)
            .field("refresh_expires", &self.refresh_expires)
            .field(
                "refresh_response_key",
                &self.refresh_response_key.as_ref().map(|_| "<redacted>"),
            )
            .field("extra_fields", &self.extra.len())
            .finish()
    }
}

fn invalid(field: &str, expected: &str) -> Error {
    Error::InvalidIdentity(format!("field `{field}` must be {expected}"))
}

fn take_string(map: &mut Map<String, Value>, field: &str) -> Result<String> {
    match map.shift_remove(field) {
        Some(Value::String(value)) => Ok(value),
        Some(_) => Err(invalid(field, "a string")),
        None => Err(Error::InvalidIdentity(format!("missing field `{field}`"))),
    }
}

fn take_millis(map: &mut Map<String, Value>, field: &str) -> Result<i64> {
    match map.shift_remove(field) {
        Some(Value::Number(number)) => {
            number.as_i64().ok_or_else(|| invalid(field, "an integer (epoch milliseconds)"))
        }
        Some(_) => Err(invalid(field, "an integer (epoch milliseconds)")),
        None => Err(Error::InvalidIdentity(format!("missing field `{field}`"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{"advertising_token":"AT","refresh_token":"RT","identity_expires":3,"refresh_from":2,"refresh_expires":4,"refresh_response_key":"P941vVeuyjaDRVnFQ8DPd0AZnW4bPeiJPXER2K9QXcU=","user_token":"UT","private":{}}"#;

    #[test]
    fn round_trip_keeps_unknown_fields_in_order() {
        let identity = Identity::from_json(JSON).unwrap();
        assert_eq!(identity.extra.len(), 2);
        assert_eq!(identity.to_json(), JSON);
    }

    #[test]
    fn debug_hides_tokens_and_key() {
        let shown = format!("{:?}", Identity::from_json(JSON).unwrap());
        assert!(!shown.contains("AT\""));
        assert!(!shown.contains("P941"));
        assert!(shown.contains("identity_expires: 3"));
    }

    #[test]
    fn wrong_types_name_the_field_not_the_value() {
        let err = Identity::from_json(&JSON.replace("3,", "\"secret-3\",")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid identity: field `identity_expires` must be an integer (epoch milliseconds)"
        );
    }
}
