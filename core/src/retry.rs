//! When to try a request again: exponential backoff with jitter, bounded attempts.

use std::time::Duration;

/// Retries of transient failures ([`Error::is_retryable`](crate::Error::is_retryable)).
///
/// The delay before retry `n` (0-based) is drawn uniformly from `[d/2, d]` where
/// `d = min(max_delay, base_delay * 2^n)`. A `Retry-After` longer than that delay wins. The
/// client's deadline bounds the whole call, retries included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` attempts at most).
    pub max_retries: u32,
    /// The delay before the first retry, before jitter.
    pub base_delay: Duration,
    /// The longest delay between attempts, before jitter.
    pub max_delay: Duration,
}

/// Default retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default delay before the first retry.
pub const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(100);
/// Default longest delay between attempts.
pub const DEFAULT_RETRY_MAX_DELAY: Duration = Duration::from_secs(2);

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            base_delay: DEFAULT_RETRY_BASE_DELAY,
            max_delay: DEFAULT_RETRY_MAX_DELAY,
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// The backoff ceiling before retry `retry` (0-based): `min(max_delay, base_delay * 2^retry)`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// The delay before retry `retry`, with `jitter` in `[0, 1]` picking a point in
    /// `[ceiling/2, ceiling]`, and never shorter than `retry_after`.
    pub fn delay(&self, retry: u32, jitter: f64, retry_after: Option<Duration>) -> Duration {
        let ceiling = self.ceiling(retry);
        let half = ceiling / 2;
        let jittered = half + half.mul_f64(jitter.clamp(0.0, 1.0));
        retry_after.map_or(jittered, |after| after.max(jittered))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_within_jitter_bounds_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(0, 0.0, None), Duration::from_millis(50));
        assert_eq!(policy.delay(0, 1.0, None), Duration::from_millis(100));
        assert_eq!(policy.delay(3, 1.0, None), Duration::from_millis(800));
        assert_eq!(policy.delay(10, 1.0, None), Duration::from_secs(2));
        assert_eq!(policy.delay(40, 0.0, None), Duration::from_secs(1));
        assert_eq!(policy.delay(0, 0.5, Some(Duration::from_secs(3))), Duration::from_secs(3));
    }
}
