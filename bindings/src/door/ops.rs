//! The one table of door operations. An op's code is its index here; the foreign layers look
//! the codes up by name through [`door_operations`] when they load.
//!
//! Each line is `name: target(arguments) -> result, kind body;`:
//! - `target` is `none` (a free function, target 0), `client` or `manager` (a registry id);
//! - the arguments are read in order in UniFFI's layout, then must end;
//! - `sync` ops call `body(&target, args..)` (or `body(args..)`) for their result; `async` ops
//!   call it for a future (after checking the arguments at once) that the door drives.
//!
//! Adding an op: a body function, one line here, and the codec's `Value` impl of its result
//! type if it is a new one.

use std::future::Future;

use super::codec::{self, Value};
use super::queue::Completion;
use super::registry;
use crate::error::EuidError;
use crate::types::{DiiInput, Identity};

/// Generates one module per op (its `call` and `submit`) and the [`OPERATIONS`] table.
macro_rules! operations {
    ($($name:ident: $target:ident($($arg:ident: $ty:ty),* $(,)?) -> $result:ty, $kind:ident $body:path;)*) => {
        $(operations!(@op $kind $name $target ($($arg: $ty),*) ($result) $body);)*

        /// Every op, in code order.
        pub(crate) static OPERATIONS: &[Operation] = &[$(
            Operation { name: stringify!($name), call: $name::call, submit: $name::submit },
        )*];
    };
    (@op sync $name:ident $target:ident ($($arg:ident: $ty:ty),*) ($result:ty) $body:path) => {
        mod $name {
            use super::*;

            /// Looks up the target and reads the arguments; the op itself runs when called.
            fn prepare(
                target: u64,
                input: &mut &[u8],
            ) -> Result<impl FnOnce() -> Result<$result, EuidError> + Send + 'static, EuidError> {
                let target = registry::$target(target)?;
                $(let $arg = codec::read::<$ty>(input, stringify!($name), stringify!($arg))?;)*
                codec::finish(input, stringify!($name))?;
                Ok(move || operations!(@invoke $target $body, target, $($arg),*))
            }

            pub(super) fn call(target: u64, input: &mut &[u8]) -> Vec<u8> {
                call_sync(prepare(target, input))
            }

            pub(super) fn submit(target: u64, input: &mut &[u8], done: Completion) {
                submit_sync(prepare(target, input), done)
            }
        }
    };
    (@op async $name:ident $target:ident ($($arg:ident: $ty:ty),*) ($result:ty) $body:path) => {
        mod $name {
            use super::*;

            /// Looks up the target, reads and checks the arguments, and makes the future.
            fn prepare(
                target: u64,
                input: &mut &[u8],
            ) -> Result<impl Future<Output = Result<$result, EuidError>> + Send + 'static, EuidError>
            {
                let target = registry::$target(target)?;
                $(let $arg = codec::read::<$ty>(input, stringify!($name), stringify!($arg))?;)*
                codec::finish(input, stringify!($name))?;
                $body(&target, $($arg),*)
            }

            pub(super) fn call(target: u64, input: &mut &[u8]) -> Vec<u8> {
                call_async(prepare(target, input))
            }

            pub(super) fn submit(target: u64, input: &mut &[u8], done: Completion) {
                submit_async(prepare(target, input), done)
            }
        }
    };
    (@invoke none $body:path, $target:ident, $($arg:ident),*) => {{
        let () = $target;
        $body($($arg),*)
    }};
    (@invoke $kind:ident $body:path, $target:ident, $($arg:ident),*) => {
        $body(&$target, $($arg),*)
    };
}

operations! {
    hash_email: none(email: String) -> String, sync crate::hashing::hash_email;
    hash_phone: none(phone: String) -> String, sync crate::hashing::hash_phone;
    normalize_email: none(email: String) -> String, sync crate::hashing::normalize_email;
    normalize_phone: none(phone: String) -> String, sync crate::hashing::normalize_phone;
    normalize_email_hash: none(hash: String) -> String, sync crate::hashing::normalize_email_hash;
    normalize_phone_hash: none(hash: String) -> String, sync crate::hashing::normalize_phone_hash;
    hash_emails: none(batch: Vec<u8>) -> Vec<u8>, sync crate::hashing::hash_emails;
    envelope_seal_request: none(
        key_base64: String, payload: Vec<u8>, timestamp_ms: i64, nonce: Vec<u8>, iv: Vec<u8>
    ) -> Vec<u8>, sync crate::envelope::envelope_seal_request;
    envelope_open_request: none(key_base64: String, body: Vec<u8>, binary: bool)
        -> crate::envelope::OpenedRequest, sync crate::envelope::envelope_open_request;
    envelope_seal_response: none(
        key_base64: String, payload: Vec<u8>, timestamp_ms: i64, nonce: Vec<u8>, iv: Vec<u8>
    ) -> Vec<u8>, sync crate::envelope::envelope_seal_response;
    decrypt_generate_response: none(key_base64: String, body: Vec<u8>, binary: bool, nonce: Vec<u8>)
        -> crate::types::GenerateOutcome, sync crate::envelope::decrypt_generate_response;
    decrypt_refresh_response: none(key_base64: Option<String>, body: Vec<u8>)
        -> crate::types::RefreshOutcome, sync crate::envelope::decrypt_refresh_response;
    client_generate: client(dii: DiiInput, tcf_consent_string: Option<String>)
        -> crate::types::GenerateOutcome, async crate::client::generate;
    client_refresh: client(identity: Identity)
        -> crate::types::RefreshOutcome, async crate::client::refresh;
    client_validate: client(advertising_token: String, dii: DiiInput)
        -> bool, async crate::client::validate;
    manager_establish: manager(user: String, dii: DiiInput, tcf_consent_string: Option<String>)
        -> crate::types::GenerateOutcome, async crate::manager::establish;
    manager_advertising_token: manager(user: String)
        -> crate::manager::TokenAnswer, async crate::manager::advertising_token;
    manager_logout: manager(user: String) -> (), sync crate::manager::logout;
    manager_status: manager(user: String) -> euid_core::IdentityStatus, sync crate::manager::status;
    manager_identity: manager(user: String) -> Option<Identity>, sync crate::manager::identity;
}

/// One entry of the table.
pub(crate) struct Operation {
    pub(crate) name: &'static str,
    /// Runs the op on the calling thread and returns its result bytes.
    pub(crate) call: fn(u64, &mut &[u8]) -> Vec<u8>,
    /// Starts the op; its result bytes go to the completion.
    pub(crate) submit: fn(u64, &mut &[u8], Completion),
}

/// The op with code `op`.
pub(crate) fn operation(op: u32) -> Result<&'static Operation, EuidError> {
    usize::try_from(op)
        .ok()
        .and_then(|index| OPERATIONS.get(index))
        .ok_or_else(|| EuidError::internal(format!("unknown operation code {op}")))
}

/// The names of the door's operations; an op's code is its index.
#[uniffi::export]
pub fn door_operations() -> Vec<String> {
    OPERATIONS.iter().map(|op| op.name.to_owned()).collect()
}

/// The version of this library (`euid-ffi`), for the foreign layers' load-time checks.
#[uniffi::export]
pub fn library_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn call_sync<R: Value>(
    prepared: Result<impl FnOnce() -> Result<R, EuidError>, EuidError>,
) -> Vec<u8> {
    codec::encode(prepared.and_then(|run| run()))
}

/// Runs a sync op on the SDK runtime's blocking pool.
fn submit_sync<R: Value>(
    prepared: Result<impl FnOnce() -> Result<R, EuidError> + Send + 'static, EuidError>,
    done: Completion,
) {
    match prepared.and_then(|run| Ok((run, euid_core::runtime::handle()?))) {
        Ok((run, runtime)) => {
            runtime.spawn_blocking(move || done.post(&codec::encode(run())));
        }
        Err(err) => done.post(&codec::encode::<R>(Err(err))),
    }
}

/// Drives an async op's future on the calling thread, inside the SDK runtime's context.
fn call_async<R: Value>(
    prepared: Result<impl Future<Output = Result<R, EuidError>>, EuidError>,
) -> Vec<u8> {
    codec::encode(prepared.and_then(|future| {
        euid_core::runtime::block_on(async { Ok(future.await) })
            .unwrap_or_else(|err| Err(err.into()))
    }))
}

/// Spawns an async op's future once on the SDK runtime.
fn submit_async<R: Value + Send + 'static>(
    prepared: Result<impl Future<Output = Result<R, EuidError>> + Send + 'static, EuidError>,
    done: Completion,
) {
    match prepared.and_then(|future| Ok((future, euid_core::runtime::handle()?))) {
        Ok((future, runtime)) => {
            runtime.spawn(async move { done.post(&codec::encode(future.await)) });
        }
        Err(err) => done.post(&codec::encode::<R>(Err(err))),
    }
}
