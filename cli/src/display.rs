//! How the CLI shows tokens and instants: shortened, and in UTC.

use std::time::{Duration, UNIX_EPOCH};

/// The first characters of a token and its length; never the whole token.
pub fn short(token: &str) -> String {
    let head: String = token.chars().take(12).collect();
    format!("{head}… ({} chars)", token.chars().count())
}

/// An epoch-millisecond instant as UTC ISO 8601, with its distance from `now_ms`.
pub fn instant(epoch_ms: i64, now_ms: i64) -> String {
    let at = u64::try_from(epoch_ms)
        .map(|ms| humantime::format_rfc3339_seconds(UNIX_EPOCH + Duration::from_millis(ms)))
        .map_or_else(|_| epoch_ms.to_string(), |at| at.to_string());
    format!("{at} ({})", relative(epoch_ms - now_ms))
}

fn relative(delta_ms: i64) -> String {
    let rounded = |unit_ms: u64| (delta_ms.unsigned_abs() + unit_ms / 2) / unit_ms;
    let span = match delta_ms.unsigned_abs() {
        ms if ms < 120_000 => format!("{} s", rounded(1_000)),
        ms if ms < 7_200_000 => format!("{} min", rounded(60_000)),
        ms if ms < 259_200_000 => format!("{} h", rounded(3_600_000)),
        _ => format!("{} days", rounded(86_400_000)),
    };
    if delta_ms >= 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_shortened() {
        assert_eq!(short("AgAAAAN6QZRCFTau+sfOlMMUY2ft"), "AgAAAAN6QZRC… (28 chars)");
    }

    #[test]
    fn instants_are_utc_with_a_distance() {
        assert_eq!(instant(3_600_000, 1), "1970-01-01T01:00:00Z (in 60 min)");
        assert_eq!(instant(259_199_000, 0), "1970-01-03T23:59:59Z (in 72 h)");
        assert_eq!(instant(0, 3 * 86_400_000), "1970-01-01T00:00:00Z (3 days ago)");
    }
}
