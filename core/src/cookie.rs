//! Hand-off with the EUID browser SDK: the `__euid` cookie (or `EUID-sdk-identity` local
//! storage entry) holds the identity JSON, URI-encoded in the cookie as `encodeURIComponent`
//! does. A server can give the browser SDK an identity it established, or take over one the
//! browser established.

use std::fmt;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::identity::{Identity, MAX_IDENTITY_JSON_BYTES};

/// The browser SDK's cookie name.
pub const COOKIE_NAME: &str = "__euid";
/// The browser SDK's local storage key.
pub const LOCAL_STORAGE_KEY: &str = "EUID-sdk-identity";
/// How long the browser SDK keeps an opt-out marker: 72 hours.
pub const OPT_OUT_MARKER_MS: i64 = 72 * 60 * 60 * 1000;

/// What the browser SDK stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrowserIdentity {
    /// An identity.
    Identity(Identity),
    /// The browser SDK's opt-out marker (`"status":"optout"`).
    OptedOut,
}

/// A cookie with the attributes the browser SDK expects and the ones this SDK recommends.
/// `Debug` does not show the value, which carries the tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Cookie {
    /// `__euid`.
    pub name: String,
    /// The URI-encoded JSON.
    pub value: String,
    /// When the cookie expires: the identity's `refresh_expires` (epoch ms).
    pub expires_ms: i64,
    /// `/`.
    pub path: String,
    /// The cookie domain, if the site wants one (e.g. `.example.com`).
    pub domain: Option<String>,
    /// `Secure`: true.
    pub secure: bool,
    /// `SameSite`: `Lax`.
    pub same_site: String,
}

impl fmt::Debug for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cookie")
            .field("name", &self.name)
            .field("value", &"<redacted>")
            .field("expires_ms", &self.expires_ms)
            .field("path", &self.path)
            .field("domain", &self.domain)
            .field("secure", &self.secure)
            .field("same_site", &self.same_site)
            .finish()
    }
}

impl Cookie {
    /// The cookie for `identity`: expires with its refresh token.
    pub fn for_identity(identity: &Identity, domain: Option<&str>) -> Cookie {
        Cookie::new(encode_uri_component(&identity.to_json()), identity.refresh_expires, domain)
    }

    /// The browser SDK's opt-out marker at `now_ms`, kept 72 hours as the SDK does.
    pub fn opt_out(now_ms: i64, domain: Option<&str>) -> Cookie {
        let expires_ms = now_ms.saturating_add(OPT_OUT_MARKER_MS);
        let json = serde_json::json!({
            "refresh_expires": expires_ms,
            "identity_expires": expires_ms,
            "status": "optout",
        });
        Cookie::new(encode_uri_component(&json.to_string()), expires_ms, domain)
    }

    fn new(value: String, expires_ms: i64, domain: Option<&str>) -> Cookie {
        Cookie {
            name: COOKIE_NAME.to_owned(),
            value,
            expires_ms,
            path: "/".to_owned(),
            domain: domain.map(str::to_owned),
            secure: true,
            same_site: "Lax".to_owned(),
        }
    }

    /// The `Set-Cookie` header value.
    pub fn to_header(&self) -> String {
        let expires = u64::try_from(self.expires_ms)
            .map(|ms| httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_millis(ms)))
            .unwrap_or_else(|_| httpdate::fmt_http_date(UNIX_EPOCH));
        let mut header =
            format!("{}={}; Expires={expires}; Path={}", self.name, self.value, self.path);
        if let Some(domain) = &self.domain {
            header.push_str("; Domain=");
            header.push_str(domain);
        }
        if self.secure {
            header.push_str("; Secure");
        }
        header.push_str("; SameSite=");
        header.push_str(&self.same_site);
        header
    }
}

/// Reads a `__euid` cookie value (URI-encoded JSON) or a local storage value (plain JSON).
///
/// # Errors
///
/// [`Error::InvalidIdentity`] for a value that is not URI-decodable, not JSON, or neither an
/// identity nor the opt-out marker.
pub fn parse_browser_value(value: &str) -> Result<BrowserIdentity> {
    if value.len() > 3 * MAX_IDENTITY_JSON_BYTES {
        return Err(Error::InvalidIdentity("cookie value too large".into()));
    }
    let json = decode_uri_component(value.trim())?;
    if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(&json) {
        if map.get("status").and_then(Value::as_str) == Some("optout") {
            return Ok(BrowserIdentity::OptedOut);
        }
    }
    Identity::from_json(&json).map(BrowserIdentity::Identity)
}

/// JavaScript's `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is
/// percent-encoded as UTF-8.
pub fn encode_uri_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len() * 3 / 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(byte >> 4)]));
            encoded.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
    encoded
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// JavaScript's `decodeURIComponent` (`+` stays `+`).
///
/// # Errors
///
/// [`Error::InvalidIdentity`] for a malformed escape or escapes that are not UTF-8.
pub fn decode_uri_component(text: &str) -> Result<String> {
    let malformed = || Error::InvalidIdentity("malformed URI encoding".into());
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = bytes.get(index + 1..index + 3).ok_or_else(malformed)?;
            let hex = std::str::from_utf8(hex).map_err(|_| malformed())?;
            decoded.push(u8::from_str_radix(hex, 16).map_err(|_| malformed())?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| malformed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_component_round_trips_like_javascript() {
        let text = r#"{"a":"x+y/z=","é":1, '(ok)'}"#;
        let encoded = encode_uri_component(text);
        assert_eq!(encoded, "%7B%22a%22%3A%22x%2By%2Fz%3D%22%2C%22%C3%A9%22%3A1%2C%20'(ok)'%7D");
        assert_eq!(decode_uri_component(&encoded).unwrap(), text);
        assert_eq!(decode_uri_component("a+b").unwrap(), "a+b");
        assert!(decode_uri_component("%E0%A4%A").is_err());
        assert!(decode_uri_component("%C3").is_err());
    }

    #[test]
    fn the_opt_out_marker_is_recognised() {
        let cookie = Cookie::opt_out(1_000, None);
        assert_eq!(parse_browser_value(&cookie.value).unwrap(), BrowserIdentity::OptedOut);
        assert_eq!(cookie.expires_ms, 1_000 + OPT_OUT_MARKER_MS);
    }
}
