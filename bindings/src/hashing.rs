//! Normalization and hashing of emails and phone numbers.

use crate::error::EuidError;

/// Normalizes an email address as the EUID operator does.
#[uniffi::export]
pub fn normalize_email(email: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_email(&email)?)
}

/// Normalizes and hashes an email: base64 SHA-256 (the `email_hash` value).
#[uniffi::export]
pub fn hash_email(email: String) -> Result<String, EuidError> {
    Ok(euid_core::hash_email(&email)?)
}

/// Hashes many emails in one call: each result in order, `None` where an email is invalid.
#[uniffi::export]
pub fn hash_emails(emails: Vec<String>) -> Vec<Option<String>> {
    euid_core::hash_emails(&emails).into_iter().map(Result::ok).collect()
}

/// Checks that a phone number is normalized (`+` and 10 to 15 ASCII digits).
#[uniffi::export]
pub fn normalize_phone(phone: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_phone(&phone)?.to_owned())
}

/// Validates and hashes a phone number (the `phone_hash` value).
#[uniffi::export]
pub fn hash_phone(phone: String) -> Result<String, EuidError> {
    Ok(euid_core::hash_phone(&phone)?)
}

/// Accepts an email hash as 44-character base64 or 64-character hex; returns base64.
#[uniffi::export]
pub fn normalize_email_hash(hash: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_email_hash(&hash)?)
}

/// Accepts a phone hash as 44-character base64 or 64-character hex; returns base64.
#[uniffi::export]
pub fn normalize_phone_hash(hash: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_phone_hash(&hash)?)
}

/// Hashes many emails given as one UTF-8 text, one address per line (`\n`), and returns one
/// text: each hash on its own line, in order, an empty line where an address is invalid.
///
/// The same work as [`hash_emails`], but one buffer crossing each way instead of one string
/// per address, which is what a batch costs from Python (about 4 µs per string crossing).
#[uniffi::export]
pub fn hash_emails_lines(emails: Vec<u8>) -> Result<Vec<u8>, EuidError> {
    let text = std::str::from_utf8(&emails)
        .map_err(|_| crate::error::invalid_argument("emails", "must be UTF-8"))?;
    let mut out = Vec::with_capacity(text.len() / 2 + 45 * 8);
    for (index, email) in text.split('\n').enumerate() {
        if index > 0 {
            out.push(b'\n');
        }
        if let Ok(hash) = euid_core::hash_email(email) {
            out.extend_from_slice(hash.as_bytes());
        }
    }
    Ok(out)
}
