//! The emulator's clock: the system clock plus an offset that tests move, or a frozen
//! instant for exact edge tests.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use euid_core::system_now_ms;

/// The system clock shifted by a settable offset, or frozen at an instant. Every time the
/// emulator reads (token issue, expiry, the drift check, the `Date` header) comes from here.
#[derive(Debug, Default)]
pub struct EmulatorClock {
    /// The offset from the system clock, or the frozen instant when `frozen`.
    value_ms: AtomicI64,
    frozen: AtomicBool,
}

impl EmulatorClock {
    /// The emulator's now, epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        let value = self.value_ms.load(Ordering::Acquire);
        if self.frozen.load(Ordering::Acquire) {
            value
        } else {
            system_now_ms().saturating_add(value)
        }
    }

    /// The current offset from the system clock, ms.
    pub fn offset_ms(&self) -> i64 {
        self.now_ms().saturating_sub(system_now_ms())
    }

    /// Whether the clock is frozen.
    pub fn is_frozen(&self) -> bool {
        self.frozen.load(Ordering::Acquire)
    }

    /// Makes the emulator's now `now_ms`; it keeps ticking from there unless frozen.
    pub fn set_now_ms(&self, now_ms: i64) {
        if self.is_frozen() {
            self.value_ms.store(now_ms, Ordering::Release);
        } else {
            self.value_ms.store(now_ms.saturating_sub(system_now_ms()), Ordering::Release);
        }
    }

    /// Stops the clock at `now_ms` until [`EmulatorClock::unfreeze`].
    pub fn freeze_at(&self, now_ms: i64) {
        self.value_ms.store(now_ms, Ordering::Release);
        self.frozen.store(true, Ordering::Release);
    }

    /// Lets the clock tick again from where it stands.
    pub fn unfreeze(&self) {
        if self.frozen.swap(false, Ordering::AcqRel) {
            let now = self.value_ms.load(Ordering::Acquire);
            self.value_ms.store(now.saturating_sub(system_now_ms()), Ordering::Release);
        }
    }

    /// Moves the emulator's now by `delta_ms` (negative goes back), frozen or not.
    pub fn advance_ms(&self, delta_ms: i64) {
        // fetch_update cannot fail with a closure that always returns Some.
        let _ = self.value_ms.fetch_update(Ordering::AcqRel, Ordering::Acquire, |value| {
            Some(value.saturating_add(delta_ms))
        });
    }

    /// Back to the system clock, ticking.
    pub fn reset(&self) {
        self.frozen.store(false, Ordering::Release);
        self.value_ms.store(0, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_and_reset_returns_to_system_time() {
        let clock = EmulatorClock::default();
        clock.advance_ms(10_000);
        assert!((clock.offset_ms() - 10_000).abs() < 1_000);
        clock.set_now_ms(1_000);
        assert!((clock.now_ms() - 1_000).abs() < 1_000);
        clock.reset();
        assert!(clock.offset_ms().abs() < 1_000);
    }

    #[test]
    fn a_frozen_clock_stands_still_until_moved_or_unfrozen() {
        let clock = EmulatorClock::default();
        clock.freeze_at(5_000);
        assert_eq!(clock.now_ms(), 5_000);
        clock.advance_ms(250);
        assert_eq!(clock.now_ms(), 5_250);
        clock.set_now_ms(7_000);
        assert_eq!(clock.now_ms(), 7_000);
        clock.unfreeze();
        assert!(!clock.is_frozen());
        assert!((clock.now_ms() - 7_000).abs() < 1_000);
    }
}
