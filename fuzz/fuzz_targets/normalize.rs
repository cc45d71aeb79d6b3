//! Email and phone normalization and hash acceptance: no panic, and normalization is stable.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(normalized) = euid_core::normalize_email(text) {
        assert_eq!(euid_core::normalize_email(&normalized).as_ref(), Ok(&normalized));
        assert_eq!(euid_core::hash_email(text), Ok(euid_core::sha256_base64(&normalized)));
    }
    if let Ok(phone) = euid_core::normalize_phone(text) {
        assert!(phone.len() <= 16);
    }
    if let Ok(hash) = euid_core::normalize_email_hash(text) {
        assert_eq!(hash.len(), 44);
    }
    let _ = euid_core::normalize_phone_hash(text);
});
