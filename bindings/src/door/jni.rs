//! The door's entry points under the names the JVM binds by itself (JNI's `Java_<class>_<method>`
//! for the `external` functions of `org.euidsdk.Door`), so a call from Kotlin or Java is a plain
//! JNI call with primitive arguments: no JNA dispatch. Each forwards to its C entry point; the
//! arguments are the same values (JNI has no unsigned types or pointers: `jlong` carries them).

use std::ffi::c_void;

use super::{euid_call, euid_free, euid_queue_new, euid_queue_take, euid_submit};

/// JNI's `JNIEnv*` and `jclass`: unused, every argument is a primitive.
type Env = *mut c_void;
type Class = *mut c_void;

/// [`euid_call`] for `Door.euid_call`.
///
/// # Safety
///
/// As for [`euid_call`], the `jlong`s being its pointers and lengths.
#[no_mangle]
pub unsafe extern "system" fn Java_org_euidsdk_Door_euid_1call(
    _env: Env,
    _class: Class,
    op: i32,
    target: i64,
    args: i64,
    args_len: i64,
    out: i64,
    out_cap: i64,
    out_len: i64,
) -> i64 {
    // SAFETY: forwarded from the caller.
    unsafe {
        euid_call(
            op as u32,
            target as u64,
            args as *const u8,
            args_len as usize,
            out as *mut u8,
            out_cap as usize,
            out_len as *mut usize,
        ) as i64
    }
}

/// [`euid_submit`] for `Door.euid_submit`.
///
/// # Safety
///
/// As for [`euid_submit`].
#[no_mangle]
pub unsafe extern "system" fn Java_org_euidsdk_Door_euid_1submit(
    _env: Env,
    _class: Class,
    op: i32,
    target: i64,
    args: i64,
    args_len: i64,
    queue: i64,
    ticket: i64,
) -> i32 {
    // SAFETY: forwarded from the caller.
    unsafe {
        euid_submit(
            op as u32,
            target as u64,
            args as *const u8,
            args_len as usize,
            queue as u64,
            ticket as u64,
        )
    }
}

/// [`euid_free`] for `Door.euid_free`.
///
/// # Safety
///
/// As for [`euid_free`].
#[no_mangle]
pub unsafe extern "system" fn Java_org_euidsdk_Door_euid_1free(
    _env: Env,
    _class: Class,
    buf: i64,
    len: i64,
) {
    // SAFETY: forwarded from the caller.
    unsafe { euid_free(buf as *mut u8, len as usize) }
}

/// [`euid_queue_new`] for `Door.euid_queue_new`.
#[no_mangle]
pub extern "system" fn Java_org_euidsdk_Door_euid_1queue_1new(_env: Env, _class: Class) -> i64 {
    euid_queue_new() as i64
}

/// [`euid_queue_take`] for `Door.euid_queue_take`.
///
/// # Safety
///
/// As for [`euid_queue_take`].
#[no_mangle]
pub unsafe extern "system" fn Java_org_euidsdk_Door_euid_1queue_1take(
    _env: Env,
    _class: Class,
    queue: i64,
    timeout_ms: i64,
    out_len: i64,
) -> i64 {
    // SAFETY: forwarded from the caller.
    unsafe { euid_queue_take(queue as u64, timeout_ms, out_len as *mut usize) as i64 }
}
