//! Browser cookie and local storage values: URI decoding and identity parsing.
#![no_main]

use euid_core::cookie::{self, BrowserIdentity, Cookie};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(BrowserIdentity::Identity(identity)) = cookie::parse_browser_value(text) {
        let cookie = Cookie::for_identity(&identity, None);
        assert_eq!(
            cookie::parse_browser_value(&cookie.value),
            Ok(BrowserIdentity::Identity(identity))
        );
    }
    let encoded = cookie::encode_uri_component(text);
    assert_eq!(cookie::decode_uri_component(&encoded).as_deref(), Ok(text));
});
