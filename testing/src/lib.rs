//! The test kit's native library: the EUID operator emulator (`euid-emulator`) in the caller's
//! process, started and stopped through three C symbols. Everything else (clock, opt-outs,
//! faults, counters, reset) is the emulator's HTTP control API, which the foreign test kits
//! (`euid_sdk.testing`, `org.euidsdk.testing`) call on loopback.
//!
//! - `euid_testing_start(config)`: `config` is a NUL-terminated JSON object of
//!   [`EmulatorConfig`]'s fields, each optional (`{}`: the defaults). The answer, a
//!   NUL-terminated JSON object given back with `euid_testing_free`, is
//!   `{"id":…,"url":…,"api_key":…,"client_secret":…}` (the emulator process's start line, plus
//!   the id) or `{"error":…,"kind":"config"|"io"|"internal"}`.
//! - `euid_testing_stop(id)`: 0, or -1 when no running emulator has that id.
//! - `euid_testing_free(answer)`.
//!
//! A library of its own so that the production library `euid_ffi` carries no emulator.

// `unsafe` only in the three C symbols, each allowed where it stands.
#![deny(unsafe_code)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::ffi::{c_char, CStr, CString};
use std::panic::catch_unwind;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use euid_emulator::{Emulator, EmulatorConfig, EmulatorError};
use serde_json::{json, Map, Value};

#[cfg(test)]
mod tests;

/// Ids from 1, never reused: a stale id is an error, never another emulator.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The running emulators, by id. The foreign layers hold ids, never pointers.
static RUNNING: Mutex<BTreeMap<u64, Emulator>> = Mutex::new(BTreeMap::new());

fn running() -> MutexGuard<'static, BTreeMap<u64, Emulator>> {
    RUNNING.lock().unwrap_or_else(PoisonError::into_inner)
}

fn failure(kind: &str, message: &str) -> Value {
    json!({ "error": message, "kind": kind })
}

/// Starts an emulator configured by the JSON `config` and keeps it under a new id.
fn start(config: &[u8]) -> Value {
    // An object, read by name (serde would also take a struct's fields by position).
    let started = serde_json::from_slice::<Map<String, Value>>(config)
        .and_then(|fields| serde_json::from_value::<EmulatorConfig>(Value::Object(fields)))
        .map_err(|err| EmulatorError::Config(err.to_string()))
        .and_then(Emulator::start);
    match started {
        Ok(emulator) => {
            let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
            let answer = json!({
                "id": id,
                "url": emulator.url(),
                "api_key": emulator.api_key(),
                "client_secret": emulator.client_secret(),
            });
            running().insert(id, emulator);
            answer
        }
        Err(err) => {
            let kind = match err {
                EmulatorError::Config(_) | EmulatorError::Control(_) => "config",
                EmulatorError::Io(_) | EmulatorError::Startup => "io",
                _ => "internal",
            };
            failure(kind, &err.to_string())
        }
    }
}

/// Starts an emulator; its answer (see the crate docs), never NULL.
///
/// # Safety
///
/// A non-null `config` points to a NUL-terminated string, unchanged during the call.
#[no_mangle]
#[allow(unsafe_code)]
pub unsafe extern "C" fn euid_testing_start(config: *const c_char) -> *mut c_char {
    let answer = if config.is_null() {
        failure("internal", "the configuration pointer is null")
    } else {
        // SAFETY: non-null and NUL-terminated (the caller's guarantee).
        let config = unsafe { CStr::from_ptr(config) }.to_bytes();
        catch_unwind(|| start(config))
            .unwrap_or_else(|_| failure("internal", "the test kit panicked"))
    };
    // JSON text escapes every control character, so it holds no NUL: `new` cannot fail.
    CString::new(answer.to_string()).unwrap_or_default().into_raw()
}

/// Stops emulator `id`: its port is closed and its threads joined when this returns. 0, or -1
/// when no running emulator has that id.
#[no_mangle]
#[allow(unsafe_code)]
pub extern "C" fn euid_testing_stop(id: u64) -> i32 {
    catch_unwind(|| {
        // Dropped outside the lock: dropping joins the server thread.
        let emulator = running().remove(&id);
        match emulator {
            Some(emulator) => {
                drop(emulator);
                0
            }
            None => -1,
        }
    })
    .unwrap_or(-1)
}

/// Gives back an answer of [`euid_testing_start`]. NULL is ignored.
///
/// # Safety
///
/// `answer` is NULL or a pointer `euid_testing_start` returned, given back once.
#[no_mangle]
#[allow(unsafe_code)]
pub unsafe extern "C" fn euid_testing_free(answer: *mut c_char) {
    if !answer.is_null() {
        // SAFETY: a `CString` leaked by `euid_testing_start` (the caller's guarantee).
        drop(unsafe { CString::from_raw(answer) });
    }
}
