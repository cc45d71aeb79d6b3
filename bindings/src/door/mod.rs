//! The door: one C calling convention for every exported operation (docs: ARCHITECTURE.md).
//!
//! An operation (a row of [`ops`]) takes its arguments as one byte buffer in UniFFI's serialized
//! layout and gives back one tag byte then its value or an `EuidError`, in the same layout: the
//! foreign layer writes and reads them with the generated converters. `euid_call` runs it on the
//! calling thread (an async op is driven there inside the SDK runtime's context: one hand-off);
//! `euid_submit` starts it and posts the result to a completion queue ([`queue`]). Targets are
//! registry ids ([`registry`]), never pointers.
//!
//! This is the one module of the workspace with `unsafe` code: the caller's buffers. Every
//! pointer is checked for null, every call catches panics, and nothing else is trusted.

#![allow(unsafe_code)]

mod codec;
mod jni;
mod ops;
mod queue;
pub(crate) mod registry;
#[cfg(test)]
mod tests;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use crate::error::EuidError;

pub use ops::{door_operations, library_version};

/// The caller's argument bytes, or an error result when the pointer is null but the length
/// is not 0.
///
/// # Safety
///
/// A non-null `args` points to `args_len` readable bytes, unchanged during the call.
unsafe fn arguments<'a>(args: *const u8, args_len: usize) -> Result<&'a [u8], EuidError> {
    if args.is_null() {
        return if args_len == 0 {
            Ok(&[])
        } else {
            Err(EuidError::internal("the arguments pointer is null"))
        };
    }
    // SAFETY: non-null, and the caller guarantees `args_len` readable bytes there.
    Ok(unsafe { std::slice::from_raw_parts(args, args_len) })
}

/// Runs operation `op` on `target` (0 for free functions) with `args[..args_len]` and returns
/// the result: tag 0 then the value, or tag 1 then an `EuidError`.
///
/// The result is written to `out[..out_cap]` when it fits (then NULL is returned); otherwise it
/// is returned in a new buffer, given back with [`euid_free`]. Either way `*out_len` is its
/// length. `out` may be NULL with `out_cap` 0. If `out_len` is NULL nothing runs and NULL is
/// returned. A panic becomes an internal error result.
///
/// # Safety
///
/// A non-null `args` points to `args_len` readable bytes, a non-null `out` to `out_cap`
/// writable bytes not overlapping them, and a non-null `out_len` to a writable `size_t`; none
/// is used by another thread during the call.
#[no_mangle]
pub unsafe extern "C" fn euid_call(
    op: u32,
    target: u64,
    args: *const u8,
    args_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_len: *mut usize,
) -> *mut u8 {
    if out_len.is_null() {
        return ptr::null_mut();
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded from the caller.
        let mut input = match unsafe { arguments(args, args_len) } {
            Ok(input) => input,
            Err(err) => return codec::encode::<()>(Err(err)),
        };
        match ops::operation(op) {
            Ok(operation) => (operation.call)(target, &mut input),
            Err(err) => codec::encode::<()>(Err(err)),
        }
    }))
    .unwrap_or_else(|_| codec::encode::<()>(Err(codec::panicked())));
    // SAFETY: `out_len` is non-null and writable (the caller's guarantee).
    unsafe { *out_len = result.len() };
    if !out.is_null() && result.len() <= out_cap {
        // SAFETY: `out` holds `out_cap >= result.len()` writable bytes, distinct from `result`.
        unsafe { ptr::copy_nonoverlapping(result.as_ptr(), out, result.len()) };
        return ptr::null_mut();
    }
    Box::into_raw(result.into_boxed_slice()).cast()
}

/// Starts operation `op` (as [`euid_call`]) and returns at once; its result, the same bytes
/// as `euid_call`'s, is posted to `queue` under `ticket`, also when it fails at once (bad
/// arguments, unknown target or op). Returns 0, or -1 when `queue` is unknown or closed (then
/// nothing is posted). Async ops are spawned once on the SDK runtime, sync ops run on its
/// blocking pool.
///
/// # Safety
///
/// A non-null `args` points to `args_len` readable bytes, unchanged during the call (they are
/// read before it returns).
#[no_mangle]
pub unsafe extern "C" fn euid_submit(
    op: u32,
    target: u64,
    args: *const u8,
    args_len: usize,
    queue: u64,
    ticket: u64,
) -> i32 {
    let Some(queue) = queue::get(queue) else { return -1 };
    let done = queue::Completion::new(queue, ticket);
    // A panic drops `done`, which then posts an internal error.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded from the caller.
        let mut input = match unsafe { arguments(args, args_len) } {
            Ok(input) => input,
            Err(err) => return done.post(&codec::encode::<()>(Err(err))),
        };
        match ops::operation(op) {
            Ok(operation) => (operation.submit)(target, &mut input, done),
            Err(err) => done.post(&codec::encode::<()>(Err(err))),
        }
    }));
    0
}

/// Gives back a buffer returned by [`euid_call`] or [`euid_queue_take`]. NULL is ignored.
///
/// # Safety
///
/// `buf` and `len` are exactly a buffer and length such a call returned, given back once.
#[no_mangle]
pub unsafe extern "C" fn euid_free(buf: *mut u8, len: usize) {
    if !buf.is_null() {
        // SAFETY: the buffer is a leaked `Box<[u8]>` of `len` bytes (the caller's guarantee).
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(buf, len)) });
    }
}

/// A new completion queue's id; 0 when it cannot be made.
#[no_mangle]
pub extern "C" fn euid_queue_new() -> u64 {
    catch_unwind(queue::create).unwrap_or(0)
}

/// A file descriptor that is readable while results wait in `queue` (and once it is closed);
/// -1 when the queue is unknown. The queue owns it: never close it.
#[no_mangle]
pub extern "C" fn euid_queue_fd(queue: u64) -> i32 {
    catch_unwind(|| queue::get(queue).map_or(-1, |queue| queue.fd())).unwrap_or(-1)
}

/// Waits up to `timeout_ms` (0: no wait; < 0: until a result arrives or the queue is closed)
/// for results and takes all of them: records of ticket (u64 big-endian), length (u32
/// big-endian) and result bytes (as [`euid_call`]'s), in a buffer of `*out_len` bytes given
/// back with [`euid_free`]. Returns NULL with `*out_len` 0 when none came, the queue is unknown
/// or closed; NULL (and nothing waits) when `out_len` is NULL. Drains the fd's signal.
///
/// # Safety
///
/// A non-null `out_len` points to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn euid_queue_take(
    queue: u64,
    timeout_ms: i64,
    out_len: *mut usize,
) -> *mut u8 {
    if out_len.is_null() {
        return ptr::null_mut();
    }
    let records = catch_unwind(|| queue::get(queue).map(|queue| queue.take(timeout_ms)))
        .ok()
        .flatten()
        .unwrap_or_default();
    // SAFETY: `out_len` is non-null and writable (the caller's guarantee).
    unsafe { *out_len = records.len() };
    if records.is_empty() {
        return ptr::null_mut();
    }
    Box::into_raw(records.into_boxed_slice()).cast()
}

/// Closes `queue`: a waiting take returns, later submits to it return -1, results of calls
/// still running are dropped. Unknown ids are ignored.
#[no_mangle]
pub extern "C" fn euid_queue_close(queue: u64) {
    let _ = catch_unwind(|| queue::close(queue));
}
