//! The operator's JSON answers, decrypted or plain, and non-200 bodies of any shape.
#![no_main]

use euid_core::wire::{self, Answer, Failure};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(answer) = Answer::parse(data) {
        let _ = answer.clone().into_generate_outcome();
        let _ = answer.clone().into_refresh_outcome();
        let _ = answer.into_validate_outcome();
    }
    let _ = wire::open_refresh_answer(None, data);
    for http_status in [400, 401, 403, 429, 500, 502] {
        let failure = Failure { http_status, body: data, retry_after_secs: Some(1) };
        let _ = failure.refresh_outcome();
        let message = failure.into_error().to_string();
        // Error messages never quote a body.
        assert!(data.len() < 64 || !message.contains(&*String::from_utf8_lossy(data)));
    }
});
