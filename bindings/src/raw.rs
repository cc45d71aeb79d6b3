//! Plain C entry points for the hot calls, where UniFFI's per-call machinery costs far more than
//! the work itself.
//!
//! From Python a UniFFI call taking and returning a string takes three ctypes crossings and
//! buffer builders in Python: about 8–12 µs for `hash_email`, whose work is 0.2 µs, and more
//! than the official pure-Python SDK (about 3–4 µs). Through [`euid_hash_email_raw`] the same
//! call is one ctypes crossing with the email's bytes borrowed in place and the 44-byte hash
//! written into a buffer the caller owns. The rules stay in `euid_core::hash_email`; a failure
//! only reports -1, and the caller then makes the UniFFI call, which raises the typed error.
//!
//! Through JNA every UniFFI call allocates and reflects over `RustCallStatus` and
//! `RustBuffer.ByValue` structures: 25–40 µs of the caller's CPU per call with a record in or
//! out; from Python a client call also costs four more ctypes crossings than it needs. The
//! blocking client calls below take their arguments and give their result as byte arrays in
//! UniFFI's own serialized layout (the generated converters write and read them): one crossing
//! through JNA direct mapping or ctypes, and the call itself is the exported method, errors
//! included. The envelope functions the shared vectors run are exported the same way. The
//! client calls' async forms post each result to a [`Mailbox`] that one foreign thread waits
//! on, taking every finished result in one crossing; no callback runs foreign code on the SDK's
//! threads.
//!
//! This is the one module of the workspace with `unsafe` code: the caller-given buffers and the
//! client handle.

#![allow(unsafe_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use uniffi::ffi::Handle;
use uniffi::{Lift, Lower};

use crate::client::PublisherClient;
use crate::error::EuidError;
use crate::types::{generate_request, DiiInput, GenerateOutcome, Identity, RefreshOutcome};

type Tag = crate::UniFfiTag;

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

/// First byte of a result buffer: the rest is the value.
const RESULT_OK: u8 = 0;
/// First byte of a result buffer: the rest is an [`EuidError`].
const RESULT_ERR: u8 = 1;

/// Gives back a client handle used for the `euid_client_*_raw` calls.
///
/// The caller gets the handle once from UniFFI's clone function for `PublisherClient` (a
/// handle is `Arc::into_raw` of the object, [`Handle::from_arc`]), makes its calls with it, and
/// releases it here once after its last call.
///
/// # Safety
///
/// `client` must be a handle of a `PublisherClient` that the caller owns (cloned for it).
#[no_mangle]
pub unsafe extern "C" fn euid_client_release_raw(client: u64) {
    if client != 0 {
        // SAFETY: the caller gives back the one reference it owned.
        drop(unsafe { Handle::from_raw_unchecked(client).into_arc::<PublisherClient>() });
    }
}

/// Blocking `generate_token_blocking(dii, tcf_consent_string)`: `args[..len]` holds a `DiiInput`
/// then an optional string, written by UniFFI's converters. Returns a buffer of `*out_len` bytes
/// to give back with [`euid_raw_free`]: [`RESULT_OK`] then a `GenerateOutcome`, or
/// [`RESULT_ERR`] then an `EuidError`. Null only when a pointer argument is null.
///
/// # Safety
///
/// `client` must be a handle owned by the caller and not released during the call; `args` must
/// point to `len` readable bytes and `out_len` to a writable `u64`.
#[no_mangle]
pub unsafe extern "C" fn euid_client_generate_raw(
    client: u64,
    args: *const u8,
    len: usize,
    out_len: *mut u64,
) -> *mut u8 {
    // SAFETY: forwarded from the caller.
    unsafe {
        client_call(client, args, len, out_len, |client, input| {
            let dii = read::<DiiInput>(input)?;
            let tcf_consent_string = read::<Option<String>>(input)?;
            finish_args(input)?;
            client.generate_token_blocking(dii, tcf_consent_string)
        })
    }
}

/// Blocking `refresh_token_blocking(identity)`: `args[..len]` holds an `Identity`; the result
/// holds a `RefreshOutcome`, as in [`euid_client_generate_raw`].
///
/// # Safety
///
/// As for [`euid_client_generate_raw`].
#[no_mangle]
pub unsafe extern "C" fn euid_client_refresh_raw(
    client: u64,
    args: *const u8,
    len: usize,
    out_len: *mut u64,
) -> *mut u8 {
    // SAFETY: forwarded from the caller.
    unsafe {
        client_call(client, args, len, out_len, |client, input| {
            let identity = read::<Identity>(input)?;
            finish_args(input)?;
            client.refresh_token_blocking(identity)
        })
    }
}

/// Results of submitted calls, for one foreign thread that waits for them: records of a ticket
/// (u64), a length (u32) and a result buffer as the blocking calls return it, big-endian.
#[derive(Default)]
struct Mailbox {
    done: Mutex<Vec<u8>>,
    ready: Condvar,
}

impl Mailbox {
    fn done(&self) -> MutexGuard<'_, Vec<u8>> {
        self.done.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn post<T: Lower<Tag>>(&self, ticket: u64, result: Result<T, EuidError>) {
        let encoded = encode(result);
        let Ok(len) = u32::try_from(encoded.len()) else { return };
        let mut done = self.done();
        let was_empty = done.is_empty();
        done.extend_from_slice(&ticket.to_be_bytes());
        done.extend_from_slice(&len.to_be_bytes());
        done.extend_from_slice(&encoded);
        drop(done);
        if was_empty {
            self.ready.notify_one();
        }
    }

    /// Waits up to `timeout` for results and takes them all.
    fn take(&self, timeout: Duration) -> Vec<u8> {
        let done = self.done();
        let (mut done, _) = self
            .ready
            .wait_timeout_while(done, timeout, |done| done.is_empty())
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::mem::take(&mut *done)
    }
}

/// A new mailbox for the `*_submit_raw` calls. It lives as long as the process.
#[no_mangle]
pub extern "C" fn euid_mailbox_new_raw() -> u64 {
    Box::into_raw(Box::new(Mailbox::default())) as u64
}

/// Waits up to `timeout_ms` for finished calls and returns their records (see [`Mailbox`]) in a
/// buffer of `*out_len` bytes to give back with [`euid_raw_free`]; null when none finished.
///
/// # Safety
///
/// `mailbox` must come from [`euid_mailbox_new_raw`] and `out_len` point to a writable `u64`.
#[no_mangle]
pub unsafe extern "C" fn euid_mailbox_wait_raw(
    mailbox: u64,
    timeout_ms: i64,
    out_len: *mut u64,
) -> *mut u8 {
    if out_len.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller guarantees a mailbox, which is never freed.
    let Some(mailbox) = (unsafe { mailbox_ref(mailbox) }) else { return std::ptr::null_mut() };
    let timeout = Duration::from_millis(u64::try_from(timeout_ms).unwrap_or(0));
    let records = catch_unwind(AssertUnwindSafe(|| mailbox.take(timeout))).unwrap_or_default();
    if records.is_empty() {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller guarantees a writable u64 at `out_len`.
    unsafe { leak(records, out_len) }
}

/// The async form of [`euid_client_generate_raw`]: its result is posted to `mailbox` under
/// `ticket` (invalid arguments at once). Returns 0, or -1 when a pointer or handle is null.
///
/// # Safety
///
/// As for [`euid_client_generate_raw`], and `mailbox` must come from [`euid_mailbox_new_raw`].
#[no_mangle]
pub unsafe extern "C" fn euid_client_generate_submit_raw(
    client: u64,
    args: *const u8,
    len: usize,
    mailbox: u64,
    ticket: u64,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        submit(client, args, len, mailbox, ticket, |client, input| {
            let dii = read::<DiiInput>(input)?;
            let tcf_consent_string = read::<Option<String>>(input)?;
            finish_args(input)?;
            let request = generate_request(&dii, tcf_consent_string)?;
            let inner = client.inner.clone();
            Ok(async move { Ok(GenerateOutcome::from(inner.generate_token(&request).await?)) })
        })
    }
}

/// The async form of [`euid_client_refresh_raw`], as [`euid_client_generate_submit_raw`].
///
/// # Safety
///
/// As for [`euid_client_generate_submit_raw`].
#[no_mangle]
pub unsafe extern "C" fn euid_client_refresh_submit_raw(
    client: u64,
    args: *const u8,
    len: usize,
    mailbox: u64,
    ticket: u64,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        submit(client, args, len, mailbox, ticket, |client, input| {
            let identity: euid_core::Identity = read::<Identity>(input)?.try_into()?;
            finish_args(input)?;
            let inner = client.inner.clone();
            Ok(async move { Ok(RefreshOutcome::from(inner.refresh_token(&identity).await?)) })
        })
    }
}

/// # Safety
///
/// `mailbox` is 0 or comes from [`euid_mailbox_new_raw`].
unsafe fn mailbox_ref(mailbox: u64) -> Option<&'static Mailbox> {
    // SAFETY: mailboxes are leaked boxes, never freed.
    unsafe { (mailbox as *const Mailbox).as_ref() }
}

/// Starts `start`'s future on the SDK runtime and posts its result, or posts the error of a
/// call that could not start.
unsafe fn submit<T, F>(
    client: u64,
    args: *const u8,
    len: usize,
    mailbox: u64,
    ticket: u64,
    start: impl FnOnce(&PublisherClient, &mut &[u8]) -> Result<F, EuidError>,
) -> i32
where
    T: Lower<Tag> + Send + 'static,
    F: std::future::Future<Output = Result<T, EuidError>> + Send + 'static,
{
    if client == 0 || args.is_null() {
        return -1;
    }
    // SAFETY: the caller guarantees a mailbox, which is never freed.
    let Some(mailbox) = (unsafe { mailbox_ref(mailbox) }) else { return -1 };
    // SAFETY: the caller owns a reference to the client for the whole call.
    let client: &PublisherClient = unsafe { &*Handle::from_raw_unchecked(client).as_pointer() };
    // SAFETY: the caller guarantees `len` readable bytes at `args`.
    let mut input = unsafe { std::slice::from_raw_parts(args, len) };
    let started = catch_unwind(AssertUnwindSafe(|| {
        let future = start(client, &mut input)?;
        euid_core::runtime::handle()?.spawn(async move { mailbox.post(ticket, future.await) });
        Ok(())
    }))
    .unwrap_or_else(|_| Err(panicked()));
    if let Err(err) = started {
        mailbox.post::<T>(ticket, Err(err));
    }
    0
}

/// Frees a buffer returned by a `euid_client_*_raw` or `euid_mailbox_wait_raw` call.
///
/// # Safety
///
/// `buf` and `len` must be exactly what such a call returned, given back once.
#[no_mangle]
pub unsafe extern "C" fn euid_raw_free(buf: *mut u8, len: u64) {
    if buf.is_null() {
        return;
    }
    let Ok(len) = usize::try_from(len) else { return };
    // SAFETY: the buffer is a boxed slice of `len` bytes leaked by `client_call`.
    drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(buf, len)) });
}

/// Runs `call` on the borrowed client and the argument bytes, catching panics, and leaks the
/// encoded result for the caller.
unsafe fn client_call<T: Lower<Tag>>(
    client: u64,
    args: *const u8,
    len: usize,
    out_len: *mut u64,
    call: impl FnOnce(&PublisherClient, &mut &[u8]) -> Result<T, EuidError>,
) -> *mut u8 {
    if client == 0 {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller owns a reference to the client for the whole call.
    let client: &PublisherClient = unsafe { &*Handle::from_raw_unchecked(client).as_pointer() };
    // SAFETY: forwarded from the caller.
    unsafe { function_call(args, len, out_len, |input| call(client, input)) }
}

/// Runs `call` on the argument bytes, catching panics, and leaks the encoded result for the
/// caller.
///
/// # Safety
///
/// `args` must point to `len` readable bytes and `out_len` to a writable `u64`.
unsafe fn function_call<T: Lower<Tag>>(
    args: *const u8,
    len: usize,
    out_len: *mut u64,
    call: impl FnOnce(&mut &[u8]) -> Result<T, EuidError>,
) -> *mut u8 {
    if args.is_null() || out_len.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller guarantees `len` readable bytes at `args`.
    let mut input = unsafe { std::slice::from_raw_parts(args, len) };
    let result =
        catch_unwind(AssertUnwindSafe(|| call(&mut input))).unwrap_or_else(|_| Err(panicked()));
    // SAFETY: the caller guarantees a writable u64 at `out_len`.
    unsafe { leak(encode(result), out_len) }
}

/// Exports an envelope function of [`crate::envelope`] as `euid_<name>_raw(args, len, out_len)`:
/// its arguments read in order from `args`, its result returned as the client calls return it.
macro_rules! raw_function {
    ($raw:ident => $function:ident($($arg:ident: $ty:ty),* $(,)?)) => {
        #[doc = concat!("[`crate::envelope::", stringify!($function), "`] with its arguments and result")]
        /// as byte arrays (see [`euid_client_generate_raw`]).
        ///
        /// # Safety
        ///
        /// `args` must point to `len` readable bytes and `out_len` to a writable `u64`.
        #[no_mangle]
        pub unsafe extern "C" fn $raw(args: *const u8, len: usize, out_len: *mut u64) -> *mut u8 {
            // SAFETY: forwarded from the caller.
            unsafe {
                function_call(args, len, out_len, |input| {
                    $(let $arg = read::<$ty>(input)?;)*
                    finish_args(input)?;
                    crate::envelope::$function($($arg),*)
                })
            }
        }
    };
}

raw_function!(euid_envelope_seal_request_raw => envelope_seal_request(
    key_base64: String, payload: Vec<u8>, timestamp_ms: i64, nonce: Vec<u8>, iv: Vec<u8>,
));
raw_function!(euid_envelope_open_request_raw => envelope_open_request(
    key_base64: String, body: Vec<u8>, binary: bool,
));
raw_function!(euid_envelope_seal_response_raw => envelope_seal_response(
    key_base64: String, payload: Vec<u8>, timestamp_ms: i64, nonce: Vec<u8>, iv: Vec<u8>,
));
raw_function!(euid_decrypt_generate_response_raw => decrypt_generate_response(
    key_base64: String, body: Vec<u8>, binary: bool, nonce: Vec<u8>,
));
raw_function!(euid_decrypt_refresh_response_raw => decrypt_refresh_response(
    key_base64: Option<String>, body: Vec<u8>,
));

/// Hands `bytes` to the caller, who gives them back with [`euid_raw_free`].
///
/// # Safety
///
/// `out_len` must point to a writable `u64`.
unsafe fn leak(bytes: Vec<u8>, out_len: *mut u64) -> *mut u8 {
    let bytes = bytes.into_boxed_slice();
    // SAFETY: guaranteed by the caller.
    unsafe { *out_len = bytes.len() as u64 };
    Box::into_raw(bytes).cast()
}

fn panicked() -> EuidError {
    EuidError::Internal { kind: "internal".into(), detail: "the SDK panicked".into() }
}

fn read<T: Lift<Tag>>(input: &mut &[u8]) -> Result<T, EuidError> {
    T::try_read(input).map_err(|_| malformed_arguments())
}

fn finish_args(input: &[u8]) -> Result<(), EuidError> {
    if input.is_empty() {
        Ok(())
    } else {
        Err(malformed_arguments())
    }
}

fn malformed_arguments() -> EuidError {
    EuidError::Internal {
        kind: "internal".into(),
        detail: "the arguments of a raw call are malformed".into(),
    }
}

fn encode<T: Lower<Tag>>(result: Result<T, EuidError>) -> Vec<u8> {
    let mut buf = Vec::with_capacity(1024);
    match result {
        Ok(value) => {
            buf.push(RESULT_OK);
            T::write(value, &mut buf);
        }
        Err(err) => {
            buf.push(RESULT_ERR);
            <EuidError as Lower<Tag>>::write(err, &mut buf);
        }
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::Arc;

    use euid_emulator::{Emulator, EmulatorConfig};

    use crate::config::ClientConfig;
    use crate::types::DiiType;

    fn client(url: &str, api_key: &str, client_secret: &str) -> Arc<PublisherClient> {
        let config = ClientConfig {
            base_url: url.into(),
            api_key: api_key.into(),
            client_secret: client_secret.into(),
            timeout_ms: 5000,
            connect_timeout_ms: 2000,
            deadline_ms: 15000,
            max_retries: 0,
            retry_base_delay_ms: 100,
            retry_max_delay_ms: 2000,
            binary_envelopes: false,
            max_response_bytes: 1 << 20,
            client_version: None,
            clock: None,
        };
        PublisherClient::new(config).expect("client")
    }

    fn args(write: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut buf = Vec::new();
        write(&mut buf);
        buf
    }

    /// Makes a raw call the way a foreign caller does and decodes its result.
    fn call<T: Lift<Tag>>(
        entry: unsafe extern "C" fn(u64, *const u8, usize, *mut u64) -> *mut u8,
        handle: u64,
        args: &[u8],
    ) -> Result<T, EuidError> {
        let mut len = 0u64;
        // SAFETY: the handle is owned by the test, the buffers valid for their lengths.
        let buf = unsafe { entry(handle, args.as_ptr(), args.len(), &mut len) };
        decode(&take(buf, len))
    }

    /// Copies a returned buffer and gives it back.
    fn take(buf: *mut u8, len: u64) -> Vec<u8> {
        assert!(!buf.is_null());
        // SAFETY: `buf` holds `len` bytes until freed below.
        let bytes = unsafe { std::slice::from_raw_parts(buf, len as usize) }.to_vec();
        // SAFETY: given back once, as returned.
        unsafe { euid_raw_free(buf, len) };
        bytes
    }

    #[test]
    fn generate_and_refresh_through_the_raw_calls() {
        let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator");
        let client = client(emulator.url(), emulator.api_key(), &emulator.client_secret());
        let handle = Handle::from_arc(Arc::clone(&client)).as_raw();

        let dii = DiiInput { dii_type: DiiType::Email, value: "User@Example.com".into() };
        let generate_args = args(|buf| {
            <DiiInput as Lower<Tag>>::write(dii, buf);
            <Option<String> as Lower<Tag>>::write(None, buf);
        });
        let identity =
            match call::<GenerateOutcome>(euid_client_generate_raw, handle, &generate_args) {
                Ok(GenerateOutcome::Success { identity }) => identity,
                other => panic!("expected an identity, got {other:?}"),
            };
        let refresh_args = args(|buf| <Identity as Lower<Tag>>::write(identity.clone(), buf));
        match call::<RefreshOutcome>(euid_client_refresh_raw, handle, &refresh_args) {
            Ok(RefreshOutcome::Refreshed { identity: refreshed }) => {
                assert_ne!(refreshed.refresh_token, identity.refresh_token);
            }
            other => panic!("expected a new identity, got {other:?}"),
        }

        // SAFETY: the test's own reference, given back once.
        unsafe { euid_client_release_raw(handle) };
        assert_eq!(Arc::strong_count(&client), 1);
    }

    /// Splits a mailbox buffer into its (ticket, result bytes) records.
    fn records(mut bytes: &[u8]) -> Vec<(u64, Vec<u8>)> {
        let mut out = Vec::new();
        while !bytes.is_empty() {
            let (ticket, rest) = bytes.split_at(8);
            let (len, rest) = rest.split_at(4);
            let len = u32::from_be_bytes(len.try_into().unwrap()) as usize;
            out.push((u64::from_be_bytes(ticket.try_into().unwrap()), rest[..len].to_vec()));
            bytes = &rest[len..];
        }
        out
    }

    fn decode<T: Lift<Tag>>(bytes: &[u8]) -> Result<T, EuidError> {
        let (tag, mut rest) = bytes.split_first().expect("a tag byte");
        let result = match *tag {
            RESULT_OK => Ok(T::try_read(&mut rest).expect("a value")),
            RESULT_ERR => Err(<EuidError as Lift<Tag>>::try_read(&mut rest).expect("an error")),
            other => panic!("unknown tag {other}"),
        };
        assert!(rest.is_empty(), "the result has trailing bytes");
        result
    }

    /// Waits until `count` results arrived in `mailbox`, or fails after 10 s.
    fn wait_for(mailbox: u64, count: usize) -> Vec<(u64, Vec<u8>)> {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let mut all = Vec::new();
        while all.len() < count {
            assert!(std::time::Instant::now() < deadline, "only {} results", all.len());
            let mut len = 0u64;
            // SAFETY: a mailbox of the test's; a writable length.
            let buf = unsafe { euid_mailbox_wait_raw(mailbox, 100, &mut len) };
            if !buf.is_null() {
                all.extend(records(&take(buf, len)));
            }
        }
        all
    }

    #[test]
    fn submitted_calls_post_their_results_to_the_mailbox() {
        let emulator = Emulator::start(EmulatorConfig::default()).expect("emulator");
        let client = client(emulator.url(), emulator.api_key(), &emulator.client_secret());
        let handle = Handle::from_arc(Arc::clone(&client)).as_raw();
        let mailbox = euid_mailbox_new_raw();
        let generate_args = |email: &str| {
            args(|buf| {
                let dii = DiiInput { dii_type: DiiType::Email, value: email.into() };
                <DiiInput as Lower<Tag>>::write(dii, buf);
                <Option<String> as Lower<Tag>>::write(None, buf);
            })
        };

        for ticket in 1..=8u64 {
            let args = generate_args(&format!("user{ticket}@example.com"));
            // SAFETY: the handle, buffer and mailbox are valid for the call.
            let submitted = unsafe {
                euid_client_generate_submit_raw(handle, args.as_ptr(), args.len(), mailbox, ticket)
            };
            assert_eq!(submitted, 0);
        }
        let invalid = generate_args("not an email");
        // SAFETY: as above.
        assert_eq!(
            unsafe {
                euid_client_generate_submit_raw(handle, invalid.as_ptr(), invalid.len(), mailbox, 9)
            },
            0
        );
        let mut results = wait_for(mailbox, 9);
        results.sort_by_key(|(ticket, _)| *ticket);
        assert_eq!(
            results.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
            (1..=9).collect::<Vec<_>>()
        );
        let mut tokens = std::collections::HashSet::new();
        for (_, bytes) in &results[..8] {
            match decode::<GenerateOutcome>(bytes) {
                Ok(GenerateOutcome::Success { identity }) => {
                    tokens.insert(identity.advertising_token);
                }
                other => panic!("expected an identity, got {other:?}"),
            }
        }
        assert_eq!(tokens.len(), 8);
        match decode::<GenerateOutcome>(&results[8].1) {
            Err(EuidError::InvalidInput { kind, .. }) => assert_eq!(kind, "invalid_email"),
            other => panic!("expected invalid input, got {other:?}"),
        }

        let identity = match decode::<GenerateOutcome>(&results[0].1) {
            Ok(GenerateOutcome::Success { identity }) => identity,
            other => panic!("expected an identity, got {other:?}"),
        };
        let refresh_args = args(|buf| <Identity as Lower<Tag>>::write(identity, buf));
        // SAFETY: as above.
        let submitted = unsafe {
            euid_client_refresh_submit_raw(
                handle,
                refresh_args.as_ptr(),
                refresh_args.len(),
                mailbox,
                10,
            )
        };
        assert_eq!(submitted, 0);
        let results = wait_for(mailbox, 1);
        assert_eq!(results[0].0, 10);
        assert!(matches!(
            decode::<RefreshOutcome>(&results[0].1),
            Ok(RefreshOutcome::Refreshed { .. })
        ));

        // Nothing more arrives.
        let mut len = 0u64;
        // SAFETY: as above.
        assert!(unsafe { euid_mailbox_wait_raw(mailbox, 10, &mut len) }.is_null());
        // SAFETY: null pointers and handles are refused before use.
        assert_eq!(
            unsafe { euid_client_refresh_submit_raw(0, refresh_args.as_ptr(), 0, mailbox, 11) },
            -1
        );
        // SAFETY: the test's own reference, given back once.
        unsafe { euid_client_release_raw(handle) };
    }

    /// Calls an `euid_*_raw` function the way a foreign caller does and decodes its result.
    fn call_function<T: Lift<Tag>>(
        entry: unsafe extern "C" fn(*const u8, usize, *mut u64) -> *mut u8,
        args: &[u8],
    ) -> Result<T, EuidError> {
        let mut len = 0u64;
        // SAFETY: the buffers are valid for their lengths.
        let buf = unsafe { entry(args.as_ptr(), args.len(), &mut len) };
        decode(&take(buf, len))
    }

    #[test]
    fn envelope_functions_take_and_give_bytes() {
        let key = format!("{}=", "A".repeat(43));
        let sealed: Vec<u8> = call_function(
            euid_envelope_seal_request_raw,
            &args(|buf| {
                <String as Lower<Tag>>::write(key.clone(), buf);
                <Vec<u8> as Lower<Tag>>::write(b"{\"a\":1}".to_vec(), buf);
                <i64 as Lower<Tag>>::write(1_700_000_000_000, buf);
                <Vec<u8> as Lower<Tag>>::write(vec![7; 8], buf);
                <Vec<u8> as Lower<Tag>>::write(vec![9; 12], buf);
            }),
        )
        .expect("sealed");
        let direct = crate::envelope::envelope_seal_request(
            key.clone(),
            b"{\"a\":1}".to_vec(),
            1_700_000_000_000,
            vec![7; 8],
            vec![9; 12],
        );
        assert_eq!(Ok(sealed.clone()), direct);

        let open = |key: String, body: Vec<u8>| {
            call_function::<crate::envelope::OpenedRequest>(
                euid_envelope_open_request_raw,
                &args(|buf| {
                    <String as Lower<Tag>>::write(key, buf);
                    <Vec<u8> as Lower<Tag>>::write(body, buf);
                    <bool as Lower<Tag>>::write(true, buf);
                }),
            )
        };
        let opened = open(key.clone(), sealed.clone()).expect("opened");
        assert_eq!(
            (opened.timestamp_ms, opened.payload),
            (1_700_000_000_000, b"{\"a\":1}".to_vec())
        );
        let other_key = format!("{}A=", "B".repeat(42));
        match open(other_key, sealed) {
            Err(EuidError::Protocol { kind, .. }) => assert_eq!(kind, "decryption_failed"),
            other => panic!("expected a decryption failure, got {other:?}"),
        }
    }

    #[test]
    fn failures_come_back_as_typed_errors() {
        // Nothing listens here: these calls fail before any request.
        let client = client("http://127.0.0.1:9", "key", &format!("{}=", "A".repeat(43)));
        let handle = Handle::from_arc(Arc::clone(&client)).as_raw();

        let invalid = args(|buf| {
            let dii = DiiInput { dii_type: DiiType::Email, value: "not an email".into() };
            <DiiInput as Lower<Tag>>::write(dii, buf);
            <Option<String> as Lower<Tag>>::write(None, buf);
        });
        match call::<GenerateOutcome>(euid_client_generate_raw, handle, &invalid) {
            Err(EuidError::InvalidInput { kind, .. }) => assert_eq!(kind, "invalid_email"),
            other => panic!("expected invalid input, got {other:?}"),
        }
        for malformed in [&invalid[..invalid.len() - 1], &[invalid.as_slice(), &[0]].concat()] {
            match call::<GenerateOutcome>(euid_client_generate_raw, handle, malformed) {
                Err(EuidError::Internal { detail, .. }) => assert!(detail.contains("malformed")),
                other => panic!("expected an internal error, got {other:?}"),
            }
        }
        let mut len = 0u64;
        // SAFETY: null pointers are checked before use.
        assert!(unsafe { euid_client_refresh_raw(handle, std::ptr::null(), 0, &mut len) }.is_null());
        // SAFETY: as above.
        assert!(unsafe { euid_client_generate_raw(0, invalid.as_ptr(), 0, &mut len) }.is_null());

        // SAFETY: the test's own reference, given back once.
        unsafe { euid_client_release_raw(handle) };
        assert_eq!(Arc::strong_count(&client), 1);
    }

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
