//! `OffsetClock`: a clock tests and demos can move in step with the emulator's.

use std::sync::Arc;

use euid_core::Clock as _;

/// The system clock plus an adjustable offset, in milliseconds.
#[derive(Debug, Default, uniffi::Object)]
pub struct OffsetClock {
    pub(crate) inner: Arc<euid_core::OffsetClock>,
}

#[uniffi::export]
impl OffsetClock {
    /// A clock that starts at the system time.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(OffsetClock::default())
    }

    /// Now, in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.inner.now_ms()
    }

    /// Moves the clock by `delta_ms` (negative moves it back).
    pub fn advance_ms(&self, delta_ms: i64) {
        self.inner.advance_ms(delta_ms)
    }

    /// Sets the offset from the system clock.
    pub fn set_offset_ms(&self, offset_ms: i64) {
        self.inner.set_offset_ms(offset_ms)
    }

    /// The offset from the system clock.
    pub fn offset_ms(&self) -> i64 {
        self.inner.offset_ms()
    }
}

/// The system clock, in epoch milliseconds.
#[uniffi::export]
pub fn system_now_ms() -> i64 {
    euid_core::system_now_ms()
}
