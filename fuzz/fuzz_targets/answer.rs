//! The operator's JSON answers, decrypted or plain, and non-200 bodies of any shape.
#![no_main]

use euid_core::wire::{self, Answer, Failure};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let parsed = Answer::parse(data);
    let is_answer = parsed.is_ok();
    if let Ok(answer) = parsed {
        let _ = answer.clone().into_generate_outcome();
        let _ = answer.clone().into_refresh_outcome();
        let _ = answer.into_validate_outcome();
    }
    let _ = wire::open_refresh_answer(None, data);
    for http_status in [400, 401, 403, 429, 500, 502] {
        let failure = Failure { http_status, body: data, retry_after_secs: Some(1) };
        let _ = failure.refresh_outcome();
        let message = failure.into_error().to_string();
        // A body that is not an operator answer is described by its size, never quoted.
        if !is_answer && !matches!(http_status, 401 | 429) {
            assert!(message.ends_with(&format!("({} bytes)", data.len())), "{message}");
        }
    }
});
