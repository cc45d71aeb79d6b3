//! Base64 as the operator's Java code reads it.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, PAD_INDIFFERENT};
use base64::Engine as _;

/// `java.util.Base64.getDecoder()`: the standard alphabet, no whitespace or line breaks,
/// padding optional (but correct when present), non-zero trailing bits ignored.
const JAVA_BASIC: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, PAD_INDIFFERENT.with_decode_allow_trailing_bits(true));

/// Decodes as `Base64.getDecoder().decode(text)`; `None` where Java throws.
pub fn java_base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    JAVA_BASIC.decode(text).ok()
}

/// Standard padded base64, as `Base64.getEncoder()` writes it.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_refused_and_padding_is_optional() {
        assert_eq!(java_base64_decode(b"dGVzdA=="), Some(b"test".to_vec()));
        assert_eq!(java_base64_decode(b"dGVzdA"), Some(b"test".to_vec()));
        assert_eq!(java_base64_decode(b"dGVzdA==\n"), None);
        assert_eq!(java_base64_decode(b" dGVzdA=="), None);
        assert_eq!(java_base64_decode(b"dGVz dA=="), None);
        assert_eq!(java_base64_decode(b"test string"), None);
    }
}
