//! Normalization and hashing of emails and phone numbers: the bodies of the door's hashing ops.

use crate::error::EuidError;

/// Normalizes an email address as the EUID operator does.
pub(crate) fn normalize_email(email: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_email(&email)?)
}

/// Normalizes and hashes an email: base64 SHA-256 (the `email_hash` value).
pub(crate) fn hash_email(email: String) -> Result<String, EuidError> {
    Ok(euid_core::hash_email(&email)?)
}

/// Checks that a phone number is normalized (`+` and 10 to 15 ASCII digits).
pub(crate) fn normalize_phone(phone: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_phone(&phone)?.to_owned())
}

/// Validates and hashes a phone number (the `phone_hash` value).
pub(crate) fn hash_phone(phone: String) -> Result<String, EuidError> {
    Ok(euid_core::hash_phone(&phone)?)
}

/// Accepts an email hash as 44-character base64 or 64-character hex; returns base64.
pub(crate) fn normalize_email_hash(hash: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_email_hash(&hash)?)
}

/// Accepts a phone hash as 44-character base64 or 64-character hex; returns base64.
pub(crate) fn normalize_phone_hash(hash: String) -> Result<String, EuidError> {
    Ok(euid_core::normalize_phone_hash(&hash)?)
}

/// Hashes a batch of emails: `batch` is a u32 count, that many u32 byte lengths, then the UTF-8
/// bytes of every address one after another (big-endian). The result is each hash in order,
/// joined by `\n`, with an empty line for an invalid address (not UTF-8 included). The
/// hashing itself is core's one batching function, `euid_core::hash_emails`.
pub(crate) fn hash_emails(batch: Vec<u8>) -> Result<Vec<u8>, EuidError> {
    let malformed = || EuidError::internal("malformed `hash_emails` batch");
    let (count, rest) = split_u32(&batch).ok_or_else(malformed)?;
    let count = usize::try_from(count).map_err(|_| malformed())?;
    let lengths_len = count.checked_mul(4).ok_or_else(malformed)?;
    if rest.len() < lengths_len {
        return Err(malformed());
    }
    let (lengths, mut bytes) = rest.split_at(lengths_len);
    let mut addresses = Vec::with_capacity(count);
    for length in lengths.chunks_exact(4) {
        let length = u32::from_be_bytes([length[0], length[1], length[2], length[3]]);
        let length = usize::try_from(length).map_err(|_| malformed())?;
        if bytes.len() < length {
            return Err(malformed());
        }
        let (address, rest) = bytes.split_at(length);
        bytes = rest;
        // Not UTF-8: passed as "", which core rejects, so its line is empty.
        addresses.push(std::str::from_utf8(address).unwrap_or(""));
    }
    if !bytes.is_empty() {
        return Err(malformed());
    }
    let mut out = Vec::with_capacity(count * 45);
    for (index, hash) in euid_core::hash_emails(&addresses).into_iter().enumerate() {
        if index > 0 {
            out.push(b'\n');
        }
        if let Ok(hash) = hash {
            out.extend_from_slice(hash.as_bytes());
        }
    }
    Ok(out)
}

fn split_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = bytes.split_first_chunk::<4>()?;
    Some((u32::from_be_bytes(*head), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(addresses: &[&[u8]]) -> Vec<u8> {
        let mut out = (addresses.len() as u32).to_be_bytes().to_vec();
        for address in addresses {
            out.extend_from_slice(&(address.len() as u32).to_be_bytes());
        }
        for address in addresses {
            out.extend_from_slice(address);
        }
        out
    }

    #[test]
    fn hashes_each_address_in_order_with_an_empty_line_for_invalid_ones() {
        let hashed =
            hash_emails(batch(&[b"USER@example.com", b"not an email", &[0xff, b'@'], b"a@b.c"]))
                .unwrap();
        let text = String::from_utf8(hashed).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0], "tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=");
        assert_eq!((lines[1], lines[2]), ("", ""));
        assert_eq!(lines[3], euid_core::hash_email("a@b.c").unwrap());
        assert_eq!(hash_emails(batch(&[])).unwrap(), b"");
    }

    #[test]
    fn a_malformed_batch_is_an_internal_error() {
        let good = batch(&[b"a@b.c", b"d@e.f"]);
        for bad in
            [&good[..2], &good[..good.len() - 1], &[good.as_slice(), b"x"].concat(), &[0xff; 4]]
        {
            match hash_emails(bad.to_vec()) {
                Err(EuidError::Internal { info }) => assert!(info.message.contains("malformed")),
                other => panic!("expected an internal error, got {other:?}"),
            }
        }
    }
}
