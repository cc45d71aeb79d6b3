//! Plain C entry points for the calls a host language makes once per item, where UniFFI's
//! per-call machinery costs far more than the work itself.
//!
//! From Python a UniFFI call taking and returning a string takes three ctypes crossings and
//! buffer builders in Python: about 8–12 µs for `hash_email`, whose work is 0.2 µs, and more
//! than the official pure-Python SDK (about 3–4 µs). Through this entry point the same call is
//! one ctypes crossing with the email's bytes borrowed in place and the 44-byte hash written
//! into a buffer the caller owns. The rules stay in `euid_core::hash_email`; a failure only
//! reports -1, and the caller then makes the UniFFI call, which raises the typed error.
//!
//! This is the one module of the workspace with `unsafe` code: reading and writing the two
//! caller-given buffers.

#![allow(unsafe_code)]

/// Length of a base64 SHA-256 hash.
pub const HASH_LEN: usize = 44;

/// Normalizes and hashes the email in `email[..len]` (UTF-8) and writes the base64 hash
/// (44 ASCII bytes, no terminator) to `out`. Returns 0, or -1 if the email is invalid, not
/// UTF-8, or a pointer is null (then `out` is left as it was).
///
/// # Safety
///
/// `email` must point to `len` readable bytes and `out` to 44 writable bytes, neither
/// changed by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn euid_hash_email_raw(email: *const u8, len: usize, out: *mut u8) -> i32 {
    if email.is_null() || out.is_null() {
        return -1;
    }
    // SAFETY: the caller guarantees `len` readable bytes at `email`.
    let bytes = unsafe { std::slice::from_raw_parts(email, len) };
    let hashed = std::panic::catch_unwind(|| {
        std::str::from_utf8(bytes).ok().and_then(|text| euid_core::hash_email(text).ok())
    });
    match hashed {
        Ok(Some(hash)) if hash.len() == HASH_LEN => {
            // SAFETY: the caller guarantees 44 writable bytes at `out`, not overlapping `email`
            // (they are distinct buffers it owns).
            unsafe { std::ptr::copy_nonoverlapping(hash.as_ptr(), out, HASH_LEN) };
            0
        }
        _ => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_into_the_buffer_or_reports_invalid() {
        let mut out = [0u8; HASH_LEN];
        let email = b"USER@example.com";
        // SAFETY: both buffers are valid for the lengths given.
        assert_eq!(
            unsafe { euid_hash_email_raw(email.as_ptr(), email.len(), out.as_mut_ptr()) },
            0
        );
        assert_eq!(&out, b"tMmiiTI7IaAcPpQPFQ65uMVCWH8av9jw4cwf/F5HVRQ=");
        let invalid = b"not an email";
        // SAFETY: as above.
        assert_eq!(
            unsafe { euid_hash_email_raw(invalid.as_ptr(), invalid.len(), out.as_mut_ptr()) },
            -1
        );
        let not_utf8 = [0xff_u8, b'@', b'a'];
        // SAFETY: as above.
        assert_eq!(unsafe { euid_hash_email_raw(not_utf8.as_ptr(), 3, out.as_mut_ptr()) }, -1);
        // SAFETY: null pointers are checked before use.
        assert_eq!(unsafe { euid_hash_email_raw(std::ptr::null(), 0, out.as_mut_ptr()) }, -1);
    }
}
