//! What a client knows of the operator's clock: its offset from ours, learned from the
//! operator's own answers, with how far off that figure can be.
//!
//! The operator refuses a request whose timestamp is about 2 minutes or more from its clock,
//! and sends no `Date` header. Every successful generate or validate answer starts with its
//! clock in milliseconds, so each one is a sample: the operator read its clock at some instant
//! between our send and our receipt, so the offset lies within half the round trip of
//! `server - (sent + round trip / 2)`. A sample replaces the estimate when it is at least as
//! precise (the fresher of two equals wins), or when the two cannot both be true (a clock
//! moved): a drifting clock is followed one call after it moves, and a slow answer that agrees
//! with a better estimate is not trusted over it. A `Date` header on a rejection is a coarser
//! sample (whole seconds), and a rejection proves the estimate wrong, so it replaces it.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// The smallest change of the offset logged as a warning rather than at debug level.
const NOTABLE_CHANGE_MS: i64 = 1_000;

/// The operator's clock minus ours, and the most it can be off by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Estimate {
    /// Add to our clock to read the operator's, in ms.
    pub(crate) offset_ms: i64,
    /// The true offset is within this many ms of `offset_ms`.
    pub(crate) error_ms: i64,
}

impl Estimate {
    /// From the millisecond timestamp of an answer to a request sent when our clock read
    /// `sent_ms`, received `round_trip` later.
    pub(crate) fn from_timestamp(server_ms: i64, sent_ms: i64, round_trip: Duration) -> Estimate {
        Estimate::read(server_ms, 0, sent_ms, round_trip)
    }

    /// From a `Date` header, which truncates the operator's clock to whole seconds.
    pub(crate) fn from_date_header(date_ms: i64, sent_ms: i64, round_trip: Duration) -> Estimate {
        Estimate::read(date_ms, 1_000, sent_ms, round_trip)
    }

    /// A server reading in `[server_ms, server_ms + resolution_ms)`, taken within the round trip.
    fn read(server_ms: i64, resolution_ms: i64, sent_ms: i64, round_trip: Duration) -> Estimate {
        let half_trip_us = i64::try_from(round_trip.as_micros() / 2).unwrap_or(i64::MAX);
        let midpoint_ms = sent_ms.saturating_add((half_trip_us + 500) / 1_000);
        let server_mid_ms = server_ms.saturating_add(resolution_ms / 2);
        Estimate {
            offset_ms: server_mid_ms.saturating_sub(midpoint_ms),
            // Both clocks are read in whole ms: one more for that.
            error_ms: (half_trip_us.saturating_add(999) / 1_000)
                .saturating_add(resolution_ms / 2)
                .saturating_add(1),
        }
    }

    /// Whether the two cannot both be true: their ranges do not overlap.
    fn contradicts(&self, other: &Estimate) -> bool {
        self.offset_ms.abs_diff(other.offset_ms)
            > self.error_ms.saturating_add(other.error_ms).unsigned_abs()
    }
}

/// The estimate of one client, shared by its concurrent calls.
#[derive(Debug, Default)]
pub(crate) struct ClockSync {
    estimate: Mutex<Option<Estimate>>,
}

impl ClockSync {
    /// The estimate, if anything was learned.
    pub(crate) fn estimate(&self) -> Option<Estimate> {
        *self.lock()
    }

    /// The correction to add to our clock: the learned offset, or 0.
    pub(crate) fn offset_ms(&self) -> i64 {
        self.estimate().map_or(0, |estimate| estimate.offset_ms)
    }

    /// Takes the sample of a successful answer if it is as precise as what we know, or shows
    /// that a clock moved.
    pub(crate) fn learn(&self, sample: Estimate) {
        let mut estimate = self.lock();
        let previous = *estimate;
        let take = match previous {
            None => true,
            Some(known) => sample.error_ms <= known.error_ms || sample.contradicts(&known),
        };
        if take {
            *estimate = Some(sample);
            drop(estimate);
            log_change(previous, sample, "learned from its answer");
        }
    }

    /// After the operator rejected a request that carried the correction `carried`: that
    /// correction is wrong. Unless a newer one was learned meanwhile, takes `date` (a `Date`
    /// header's reading) instead, or forgets the estimate. Returns whether a retry would send a
    /// different time: not when there is nothing to forget and nothing to take.
    pub(crate) fn rejected(&self, carried: Option<i64>, date: Option<Estimate>) -> bool {
        let mut estimate = self.lock();
        if estimate.map(|known| known.offset_ms) != carried {
            return true;
        }
        match date {
            Some(sample) => {
                *estimate = Some(sample);
                drop(estimate);
                log::warn!(
                    "the operator rejected the request time; its Date header puts its clock \
                     {} ms (±{} ms) from ours; request times are corrected by it",
                    sample.offset_ms,
                    sample.error_ms
                );
                true
            }
            None => {
                *estimate = None;
                drop(estimate);
                if let Some(offset) = carried {
                    log::warn!(
                        "the operator rejected the request time corrected by {offset} ms: a \
                         clock moved; the correction is dropped"
                    );
                }
                carried.is_some()
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Estimate>> {
        // An estimate is a plain Copy value: a panic elsewhere cannot leave it half written.
        self.estimate.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn log_change(previous: Option<Estimate>, now: Estimate, how: &str) {
    let before = previous.map_or(0, |estimate| estimate.offset_ms);
    if previous.is_some() && before == now.offset_ms {
        return;
    }
    if before.abs_diff(now.offset_ms) >= NOTABLE_CHANGE_MS.unsigned_abs() {
        log::warn!(
            "the operator's clock is {} ms (±{} ms) from ours ({how}; it was {before} ms); \
             request times are corrected by it",
            now.offset_ms,
            now.error_ms
        );
    } else {
        log::debug!(
            "the operator's clock is {} ms (±{} ms) from ours ({how})",
            now.offset_ms,
            now.error_ms
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_sample_is_centred_on_the_round_trip() {
        // Sent at 1000, back 40 ms later; the operator read 61_020 on the way.
        let sample = Estimate::from_timestamp(61_020, 1_000, ms(40));
        assert_eq!(sample, Estimate { offset_ms: 60_000, error_ms: 21 });
        let fast = Estimate::from_timestamp(5_000, 5_000, Duration::from_micros(300));
        assert_eq!(fast, Estimate { offset_ms: 0, error_ms: 2 });
    }

    #[test]
    fn a_date_header_reads_the_middle_of_its_second() {
        let sample = Estimate::from_date_header(10_000, 1_000, ms(40));
        assert_eq!(sample, Estimate { offset_ms: 9_480, error_ms: 521 });
    }

    #[test]
    fn a_less_precise_sample_that_agrees_is_not_taken() {
        let sync = ClockSync::default();
        sync.learn(Estimate { offset_ms: 100, error_ms: 2 });
        sync.learn(Estimate { offset_ms: 700, error_ms: 750 }); // a slow answer
        assert_eq!(sync.estimate(), Some(Estimate { offset_ms: 100, error_ms: 2 }));
        sync.learn(Estimate { offset_ms: 101, error_ms: 2 }); // as precise and fresher
        assert_eq!(sync.offset_ms(), 101);
    }

    #[test]
    fn a_sample_that_contradicts_is_taken_however_slow() {
        let sync = ClockSync::default();
        sync.learn(Estimate { offset_ms: 0, error_ms: 1 });
        sync.learn(Estimate { offset_ms: 30_000, error_ms: 900 }); // the clock moved 30 s
        assert_eq!(sync.offset_ms(), 30_000);
        sync.learn(Estimate { offset_ms: 30_004, error_ms: 3 }); // then refined
        assert_eq!(sync.estimate(), Some(Estimate { offset_ms: 30_004, error_ms: 3 }));
    }

    #[test]
    fn a_rejection_replaces_or_forgets_the_estimate() {
        let sync = ClockSync::default();
        assert!(!sync.rejected(None, None), "nothing to forget, nothing to take: no retry");
        let date = Estimate { offset_ms: -300_000, error_ms: 501 };
        assert!(sync.rejected(None, Some(date)));
        assert_eq!(sync.estimate(), Some(date));
        assert!(sync.rejected(Some(-300_000), None), "a wrong estimate is forgotten");
        assert_eq!(sync.estimate(), None);
        assert_eq!(sync.offset_ms(), 0);
    }

    #[test]
    fn a_late_rejection_keeps_what_was_learned_since() {
        let sync = ClockSync::default();
        let learned = Estimate { offset_ms: 30_000, error_ms: 2 };
        sync.learn(learned);
        // A request sent before that answer came back, and was refused.
        assert!(sync.rejected(None, None), "the retry carries the newer correction");
        assert!(sync.rejected(Some(0), Some(Estimate { offset_ms: 29_500, error_ms: 600 })));
        assert_eq!(sync.estimate(), Some(learned));
    }
}
