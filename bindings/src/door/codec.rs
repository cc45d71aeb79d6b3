//! The bytes of a door call: arguments in UniFFI's serialized layout (what the generated
//! converters' `write()` produces), and a result of one tag byte then the value or the error.

use uniffi::{Lift, Lower};

use crate::error::EuidError;

type Tag = crate::UniFfiTag;

/// First byte of a result: the op's value follows.
pub(crate) const RESULT_OK: u8 = 0;
/// First byte of a result: an [`EuidError`] follows.
pub(crate) const RESULT_ERR: u8 = 1;

/// Reads argument `arg` of op `op` from the front of `input`.
pub(crate) fn read<T: Lift<Tag>>(
    input: &mut &[u8],
    op: &'static str,
    arg: &'static str,
) -> Result<T, EuidError> {
    T::try_read(input).map_err(|_| {
        EuidError::internal(format!("malformed arguments for `{op}`: cannot read `{arg}`"))
    })
}

/// Checks that the arguments of `op` were read to their end.
pub(crate) fn finish(input: &[u8], op: &'static str) -> Result<(), EuidError> {
    if input.is_empty() {
        Ok(())
    } else {
        Err(EuidError::internal(format!(
            "malformed arguments for `{op}`: {} bytes after the last argument",
            input.len()
        )))
    }
}

/// A result type of an op, written in UniFFI's layout (`()` writes nothing).
pub(crate) trait Value {
    fn write(self, buf: &mut Vec<u8>);
}

impl Value for () {
    fn write(self, _: &mut Vec<u8>) {}
}

/// `Value` through the UniFFI converter, for each type an op returns.
macro_rules! lowered {
    ($($ty:ty),* $(,)?) => {$(
        impl Value for $ty {
            fn write(self, buf: &mut Vec<u8>) {
                <$ty as Lower<Tag>>::write(self, buf);
            }
        }
    )*};
}

lowered!(
    bool,
    String,
    Vec<u8>,
    Option<crate::types::Identity>,
    crate::types::GenerateOutcome,
    crate::types::RefreshOutcome,
    crate::envelope::OpenedRequest,
    crate::manager::TokenAnswer,
    euid_core::IdentityStatus,
);

/// The result bytes of a call: the tag, then the value or the error.
pub(crate) fn encode<T: Value>(result: Result<T, EuidError>) -> Vec<u8> {
    let mut buf = Vec::with_capacity(256);
    match result {
        Ok(value) => {
            buf.push(RESULT_OK);
            value.write(&mut buf);
        }
        Err(err) => {
            buf.push(RESULT_ERR);
            <EuidError as Lower<Tag>>::write(err, &mut buf);
        }
    }
    buf
}

/// The error of a call that panicked.
pub(crate) fn panicked() -> EuidError {
    EuidError::internal("the SDK panicked")
}
