//! Request and response envelopes: decoding and decryption must fail with a typed error, never
//! panic, whatever the bytes.
#![no_main]

use euid_core::envelope::{self, Encoding};
use euid_core::SecretKey;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let key = SecretKey::from_bytes([7; 32]);
    let nonce = [1u8; 8];
    for encoding in [Encoding::Base64, Encoding::Binary] {
        if let Ok(bytes) = encoding.decode(data) {
            let _ = envelope::open_request(&key, &bytes);
            let _ = envelope::open_response(&key, &bytes, &nonce);
            let _ = envelope::open_refresh_response(&key, &bytes);
        }
    }
    let _ = euid_core::wire::open_answer(&key, data, Encoding::Base64, &nonce);
    let _ = euid_core::wire::open_refresh_answer(Some(&key), data);
});
