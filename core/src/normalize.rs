//! Email and phone normalization and hashing, exactly as the EUID operator does it.
//!
//! The email algorithm is the operator's `InputUtil.normalizeEmailString`: ASCII-only lower-casing,
//! every space before the `@` and trailing domain spaces dropped, and for `gmail.com` the dots and
//! the `+` extension of the local part removed. (The operator's parser never leaves its
//! "starting" state before the `@`, so it skips interior local-part spaces too; the Python SDK
//! keeps them, and so would a reading of the docs. The operator decides the hash of a raw email.) Phone numbers are validated, never repaired. A hash is
//! SHA-256 of the normalized UTF-8 string in standard padded base64 (44 characters).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::error::InputError;

/// Longest email or phone input accepted, in bytes. Real addresses are at most 254 characters;
/// this bound keeps hostile input from costing memory or time.
pub const MAX_INPUT_BYTES: usize = 1024;

const GMAIL_DOMAIN: &str = "gmail.com";

/// Normalizes an email address as the operator does.
///
/// # Errors
///
/// [`InputError::Email`] when the operator would reject the address: no `@`, an empty local part
/// or domain, a second `@`, or more than [`MAX_INPUT_BYTES`] bytes.
///
/// # Examples
///
/// ```
/// assert_eq!(euid_core::normalize_email("  Jane.Doe+news@GMail.com ").unwrap(), "janedoe@gmail.com");
/// assert!(euid_core::normalize_email("not an email").is_err());
/// ```
pub fn normalize_email(email: &str) -> Result<String, InputError> {
    if email.len() > MAX_INPUT_BYTES {
        return Err(InputError::Email("longer than 1024 bytes"));
    }
    let mut local = String::with_capacity(email.len());
    // The local part as gmail.com reads it: no dots, nothing from the first `+` on.
    let mut gmail_local = String::with_capacity(email.len());
    let mut domain = String::with_capacity(email.len());
    let mut pending_spaces = 0usize;
    let mut in_extension = false;
    let mut in_domain = false;

    for given in email.chars() {
        let c = given.to_ascii_lowercase();
        if in_domain {
            match c {
                '@' => return Err(InputError::Email("more than one '@'")),
                ' ' => pending_spaces += 1,
                _ => {
                    domain.extend(std::iter::repeat_n(' ', pending_spaces));
                    pending_spaces = 0;
                    domain.push(c);
                }
            }
            continue;
        }
        match c {
            ' ' => {}
            '@' => in_domain = true,
            '.' => local.push(c),
            '+' => {
                local.push(c);
                in_extension = true;
            }
            _ => {
                local.push(c);
                if !in_extension {
                    gmail_local.push(c);
                }
            }
        }
    }

    if domain.is_empty() {
        return Err(InputError::Email("no domain"));
    }
    let mut chosen = if domain == GMAIL_DOMAIN { gmail_local } else { local };
    if chosen.is_empty() {
        return Err(InputError::Email("empty local part"));
    }
    chosen.push('@');
    chosen.push_str(&domain);
    Ok(chosen)
}

/// Checks that a phone number is normalized: `+` followed by 10 to 15 ASCII digits. Nothing is
/// stripped or repaired; the number is returned unchanged.
///
/// # Errors
///
/// [`InputError::Phone`] for anything else (spaces, dashes, letters, non-ASCII digits).
pub fn normalize_phone(phone: &str) -> Result<&str, InputError> {
    let digits = phone.strip_prefix('+').ok_or(InputError::Phone("must start with '+'"))?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(InputError::Phone("only ASCII digits may follow '+'"));
    }
    if !(10..=15).contains(&digits.len()) {
        return Err(InputError::Phone("must have 10 to 15 digits"));
    }
    Ok(phone)
}

/// SHA-256 of `normalized` in standard padded base64 (44 characters). The input must already be
/// normalized; use [`hash_email`] or [`hash_phone`] otherwise.
pub fn sha256_base64(normalized: &str) -> String {
    STANDARD.encode(Sha256::digest(normalized.as_bytes()))
}

/// Normalizes an email and hashes it: the value of `email_hash`.
///
/// # Errors
///
/// As [`normalize_email`].
///
/// # Examples
///
/// ```
/// assert_eq!(
///     euid_core::hash_email("USER@example.com").unwrap(),
///     "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ="
/// );
/// ```
pub fn hash_email(email: &str) -> Result<String, InputError> {
    normalize_email(email).map(|normalized| sha256_base64(&normalized))
}

/// Validates a phone number and hashes it: the value of `phone_hash`.
///
/// # Errors
///
/// As [`normalize_phone`].
pub fn hash_phone(phone: &str) -> Result<String, InputError> {
    normalize_phone(phone).map(sha256_base64)
}

/// Normalizes and hashes many emails in one call, keeping each one's result in order.
pub fn hash_emails<S: AsRef<str>>(emails: &[S]) -> Vec<Result<String, InputError>> {
    emails.iter().map(|email| hash_email(email.as_ref())).collect()
}

/// Accepts a pre-computed email hash, 44-character standard base64 or 64-character hex (any
/// case), and returns its base64 form.
///
/// # Errors
///
/// [`InputError::EmailHash`] for anything that is not a 32-byte digest in one of those forms.
pub fn normalize_email_hash(hash: &str) -> Result<String, InputError> {
    normalize_digest(hash).map_err(InputError::EmailHash)
}

/// Accepts a pre-computed phone hash, as [`normalize_email_hash`] does for emails.
///
/// # Errors
///
/// [`InputError::PhoneHash`] for anything that is not a 32-byte digest.
pub fn normalize_phone_hash(hash: &str) -> Result<String, InputError> {
    normalize_digest(hash).map_err(InputError::PhoneHash)
}

fn normalize_digest(hash: &str) -> Result<String, &'static str> {
    match hash.len() {
        44 => match STANDARD.decode(hash) {
            Ok(bytes) if bytes.len() == 32 => Ok(hash.to_owned()),
            _ => Err("not base64 of a 32-byte digest"),
        },
        64 => {
            let mut digest = [0u8; 32];
            for (byte, pair) in digest.iter_mut().zip(hash.as_bytes().chunks_exact(2)) {
                *byte = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
            }
            Ok(STANDARD.encode(digest))
        }
        _ => Err("must be 44 base64 or 64 hex characters"),
    }
}

fn hex_value(c: u8) -> Result<u8, &'static str> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err("not hexadecimal"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_letters_keep_their_case() {
        assert_eq!(normalize_email("ÄBC@test.com").unwrap(), "Äbc@test.com");
    }

    #[test]
    fn local_part_spaces_go_domain_spaces_stay_unless_trailing() {
        assert_eq!(normalize_email(" test test @te st.com  ").unwrap(), "testtest@te st.com");
    }

    #[test]
    fn tabs_are_not_spaces() {
        assert_eq!(normalize_email("\tuser@example.com").unwrap(), "\tuser@example.com");
    }

    #[test]
    fn phone_rejects_non_ascii_digits() {
        assert!(normalize_phone("+١٢٣٤٥٦٧٨٩٠١").is_err());
    }

    #[test]
    fn hex_hash_becomes_base64() {
        let hex = "0C7E6A405862E402EB76A70F8A26FC732D07C32931E9FAE9AB1582911D2E8A3B";
        assert_eq!(
            normalize_email_hash(hex).unwrap(),
            "DH5qQFhi5ALrdqcPiib8cy0Hwykx6frpqxWCkR0uijs="
        );
        assert_eq!(
            normalize_email_hash(&hex.to_lowercase()).unwrap(),
            sha256_base64("foo@bar.com")
        );
    }
}
