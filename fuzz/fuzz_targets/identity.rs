//! Identity JSON from a store or a cookie: parse, and if it parses, round-trip exactly.
#![no_main]

use euid_core::Identity;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(identity) = Identity::from_json(text) {
        let json = identity.to_json();
        assert_eq!(Identity::from_json(&json).as_ref(), Ok(&identity));
        let _ = identity.refresh_key();
    }
});
