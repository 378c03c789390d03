//! Retry timing: exponential back-off with jitter, and `Retry-After`.

use std::time::{Duration, SystemTime};

/// The wait before retry number `retry` (1 for the first retry):
/// `base × 2^(retry-1)`, capped at `cap`, then scaled by a random factor in
/// [0.5, 1.5) so that tasks that failed together do not retry together.
pub(crate) fn backoff(base: Duration, retry: u32, cap: Duration) -> Duration {
    let exp = retry.saturating_sub(1).min(30);
    let delay = base.saturating_mul(1u32 << exp).min(cap.max(base));
    delay.mul_f64(0.5 + fastrand::f64())
}

/// Parses a `Retry-After` value: delay-seconds or an HTTP-date (a date in
/// the past means no wait). `None` when it is neither.
pub(crate) fn parse_retry_after(value: &[u8], now: SystemTime) -> Option<Duration> {
    let value = std::str::from_utf8(value).ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long numbers saturate rather than fail: they are still "too long".
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let base = Duration::from_secs(1);
        let cap = Duration::from_secs(60);
        for _ in 0..100 {
            let first = backoff(base, 1, cap);
            assert!(first >= Duration::from_millis(500) && first < Duration::from_millis(1500));
            let third = backoff(base, 3, cap);
            assert!(third >= Duration::from_secs(2) && third < Duration::from_secs(6));
            let late = backoff(base, 40, cap);
            assert!(late < Duration::from_secs(90));
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            parse_retry_after(b"120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(b" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(later.as_bytes(), now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(earlier.as_bytes(), now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(b"soon", now), None);
        assert_eq!(parse_retry_after(b"-5", now), None);
        assert!(
            parse_retry_after(b"99999999999999999999999", now).unwrap()
                > Duration::from_secs(1 << 40)
        );
    }
}
